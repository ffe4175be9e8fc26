"""Fail if nbdev_clean would change a notebook or nbdev_export would change the package (run from the repo root)."""
import hashlib, subprocess, sys
from pathlib import Path

def snapshot():
    files = sorted(Path('nbs').glob('**/*.ipynb')) + sorted(Path('invtransfer').glob('**/*.py'))
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if '.ipynb_checkpoints' not in str(p)}

before = snapshot()
bindir = Path(sys.executable).parent
for cmd in ('nbdev_clean', 'nbdev_export'):
    subprocess.run([str(bindir/cmd)], check=True)
after = snapshot()
changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
if changed:
    print('Not in sync: nbdev_clean / nbdev_export changed these files (edit the notebooks, then run both and commit):')
    for c in changed: print('  ', c)
    sys.exit(1)
print(f'notebooks clean and package in sync with nbs/ ({len(after)} files checked)')
