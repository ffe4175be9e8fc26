import os, sys, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get('INVTRANSFER_DATA') or ROOT.parent/'shared'/'data')

def cli(*args, env=None, timeout=600):
    "Run `python -m invtransfer.experiment ARGS`; returns the CompletedProcess."
    return subprocess.run([sys.executable, '-m', 'invtransfer.experiment', *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT)

@pytest.fixture
def results(tmp_path):
    return tmp_path/'results'
