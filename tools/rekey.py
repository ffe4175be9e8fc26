"""Re-key stored records after a configuration field is renamed.

A run's key is the hash of its configuration, so renaming a field changes every key that holds it. This tool renames the
field in each record's configuration, recomputes the key, and moves the record (and any `.npz` beside it) to its new
name. Check the result by comparing the read-only listings before and after (`python tools/listings.py compare ...`).

    python tools/rekey.py results/<profile>/<kind> OLD_FIELD NEW_FIELD [--dry-run]
"""
from __future__ import annotations
import argparse, json, sys
from pathlib import Path
from invtransfer.config import atomic_write_json, config_hash

def rekey(folder: Path, old: str, new: str, dry_run: bool = False) -> list[tuple[str, str]]:
    "Rename field `old` to `new` in the configuration of every record in `folder`; returns (old key, new key) for each record moved."
    moved = []
    for p in sorted(Path(folder).glob('*.json')):
        rec = json.loads(p.read_text())
        cfg = rec.get('config')
        if not isinstance(cfg, dict) or old not in cfg: continue
        if new in cfg: raise SystemExit(f'{p}: its configuration has both {old!r} and {new!r}')
        cfg[new] = cfg.pop(old)
        key = config_hash(cfg)
        if rec.get('key') != p.stem: raise SystemExit(f'{p}: its key {rec.get("key")!r} is not its file name')
        rec['key'] = key
        moved.append((p.stem, key))
        if dry_run: continue
        atomic_write_json(p.with_name(f'{key}.json'), rec)
        side = p.with_suffix('.npz')
        if side.exists(): side.rename(side.with_name(f'{key}.npz'))
        if key != p.stem: p.unlink()
    return moved

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('folder', type=Path); ap.add_argument('old'); ap.add_argument('new')
    ap.add_argument('--dry-run', action='store_true', help='say what would move, change nothing')
    a = ap.parse_args(argv)
    if not a.folder.is_dir(): print(f'error: {a.folder} is not a folder', file=sys.stderr); return 2
    moved = rekey(a.folder, a.old, a.new, a.dry_run)
    print(f"{len(moved)} record(s) {'would move' if a.dry_run else 'moved'}: {a.old!r} -> {a.new!r} in {a.folder}")
    return 0

if __name__ == '__main__': sys.exit(main())
