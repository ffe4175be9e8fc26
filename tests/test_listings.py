"The committed results print the same tables and figures' numbers as recorded in tests/committed_listing.txt (tools/listings.py)."
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def test_committed_results_list_as_recorded():
    p = subprocess.run([sys.executable, 'tools/listings.py', 'compare', 'tests/committed_listing.txt'], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]

def test_a_changed_number_is_caught(tmp_path):
    text = (ROOT/'tests/committed_listing.txt').read_text()
    assert '67.41' in text   # gtsrb Table 3, LDAM None without GIT
    changed = tmp_path/'listing.txt'; changed.write_text(text.replace('67.41', '67.42', 1))
    p = subprocess.run([sys.executable, 'tools/listings.py', 'compare', str(changed)], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 1 and '-' in p.stdout and '67.41' in p.stdout
