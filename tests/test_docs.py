"The generated documents (README.md's headline and cost tables, results/README.md) match the committed records: tools/docs.py check."
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

def test_readme_cost_table_is_generated():
    "The README's cost table is cost_frame's, one row per committed profile; an edited row makes the README stale."
    path = ROOT/'README.md'
    saved = path.read_text()
    block = saved.split('<!-- costs: written by tools/docs.py from the committed records -->', 1)[1].split('<!-- /costs -->', 1)[0]
    rows = [line for line in block.splitlines() if line.startswith('| `')]
    assert [r.split(' | ')[0] for r in rows] == ['| `kmnist`', '| `gtsrb`', '| `gpu`'], block
    assert all(int(r.split(' | ')[1]) > 50 for r in rows), block
    try:
        path.write_text(saved.replace(rows[1], rows[1].replace('| `gtsrb` |', '| `gtsrb` (edited) |'), 1))
        r = docs('check')
        assert r.returncode == 1 and 'README.md is out of date' in r.stdout.replace('results/README.md', ''), r.stdout
    finally:
        path.write_text(saved)
    assert docs('check').returncode == 0
