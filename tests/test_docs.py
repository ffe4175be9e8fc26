"The generated documents (README.md's headline table, results/README.md) match the committed records: tools/docs.py check."
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def docs(*args): return subprocess.run([sys.executable, 'tools/docs.py', *args], cwd=ROOT, capture_output=True, text=True)

def test_generated_documents_are_current():
    r = docs('check')
    assert r.returncode == 0, r.stdout + r.stderr

def test_a_stale_document_is_named(tmp_path):
    path = ROOT/'results'/'README.md'
    saved = path.read_text()
    try:
        path.write_text(saved.replace('| table3 |', '| table3 (edited) |', 1))
        r = docs('check')
        assert r.returncode == 1 and 'results/README.md is out of date' in r.stdout and 'README.md is out of date' not in r.stdout.replace('results/README.md', '')
    finally:
        path.write_text(saved)
    assert docs('check').returncode == 0
