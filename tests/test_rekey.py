"tools/rekey.py: after a configuration field is renamed, each record moves to the key of its renamed configuration, with its .npz."
import json, subprocess, sys
from conftest import ROOT
from invtransfer.config import atomic_write_json, config_hash

def test_a_renamed_field_moves_each_record_to_its_new_key(tmp_path):
    old_cfg, other = {'epochs': 3, 'old_name': 7}, {'epochs': 3}
    for cfg in (old_cfg, other):
        atomic_write_json(tmp_path/f'{config_hash(cfg)}.json', {'key': config_hash(cfg), 'config': cfg, 'status': 'ok', 'value': 1.5})
    (tmp_path/f'{config_hash(old_cfg)}.npz').write_bytes(b'grids')
    run = lambda *a: subprocess.run([sys.executable, str(ROOT/'tools'/'rekey.py'), str(tmp_path), 'old_name', 'new_name', *a],
                                    capture_output=True, text=True, cwd=ROOT)
    assert run('--dry-run').returncode == 0 and (tmp_path/f'{config_hash(old_cfg)}.json').exists()   # a dry run moves nothing
    r = run()
    assert r.returncode == 0 and '1 record(s) moved' in r.stdout, r.stdout + r.stderr
    new = {'epochs': 3, 'new_name': 7}
    rec = json.loads((tmp_path/f'{config_hash(new)}.json').read_text())
    assert rec == {'key': config_hash(new), 'config': new, 'status': 'ok', 'value': 1.5}
    assert (tmp_path/f'{config_hash(new)}.npz').read_bytes() == b'grids'
    assert sorted(p.stem for p in tmp_path.glob('*.json')) == sorted([config_hash(new), config_hash(other)])   # the other record stays
