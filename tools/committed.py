"""Point invtransfer at the committed results and at no data, for tools that must print the same on every checkout.

Import this module before invtransfer: it copies the files of results/ that git tracks into a temporary folder and sets
INVTRANSFER_RESULTS to it (so results a book build or a local run left beside them are not read), and points
INVTRANSFER_DATA at an empty folder (so nothing is read from a dataset). Both folders are removed at exit.
"""
import atexit, os, shutil, subprocess, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _committed_results() -> Path:
    dst = Path(tempfile.mkdtemp(prefix='committed-results-')); atexit.register(shutil.rmtree, dst, True)
    files = subprocess.run(['git', 'ls-files', '-z', 'results'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split('\0')
    for f in filter(None, files):
        (dst/f).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(ROOT/f, dst/f)
    return dst/'results'

RESULTS = _committed_results()
os.environ['INVTRANSFER_RESULTS'] = str(RESULTS)
os.environ['INVTRANSFER_DATA'] = tempfile.mkdtemp(prefix='no-data-'); atexit.register(shutil.rmtree, os.environ['INVTRANSFER_DATA'], True)
