"""The whole K49 path (official npz format, md5 checks, 49 classes, the paper's LT profile) on small generated files."""
import pytest
import invtransfer.data as data
from invtransfer.experiment import Sec3Config

def test_k49_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv('INVTRANSFER_DATA', str(tmp_path/'data'))
    specs = data.write_fake_k49(tmp_path/'data', n_train=490)
    with pytest.raises(data.DataCorruptError, match='expected 7ac088b2'):
        data.load_k49_source(root=tmp_path/'data')
    monkeypatch.setattr(data, 'K49_FILES', specs)
    data._load_cached.cache_clear()
    cfg = Sec3Config(source='k49', nuisance='dil', arch='simple-cnn', epochs=1, ekld_images=2, ekld_transforms=2)
    r = cfg.run(root=tmp_path/'results')
    assert r['status'] == 'ok' and len(r['classes']) == 49
    assert sorted(c['size'] for c in r['classes'])[::-1][:3] == [4828, 1207, 536]
    assert sum(c['size'] for c in r['classes']) == 7864
    data._load_cached.cache_clear()
