"""The book's configuration: book.yml, _quarto.yml and nbs/ agree; the Section 3 chapter runs under papermill."""
import nbformat, yaml, pytest
from conftest import ROOT

def test_pages_agree_with_quarto():
    pages = yaml.safe_load((ROOT/'book.yml').read_text())['pages']
    quarto = (ROOT/'_quarto.yml').read_text()
    for p in pages:
        assert (ROOT/'nbs'/p['nb']).exists(), p
        assert f"book/{p.get('out', p['nb'])}" in quarto, p

def test_parameters_cell_is_tagged_and_smoke_by_default():
    nb = nbformat.read(ROOT/'nbs'/'31_section3.ipynb', as_version=4)
    cells = [c for c in nb.cells if 'parameters' in c.metadata.get('tags', [])]
    assert len(cells) == 1 and "profile = 'smoke'" in cells[0].source

def test_section3_under_papermill(tmp_path, monkeypatch):
    import papermill as pm
    monkeypatch.setenv('INVTRANSFER_RESULTS', str(tmp_path/'results'))
    out = tmp_path/'s3.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/'31_section3.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3',
                        parameters={'instances': 1, 'epochs': 2, 'nuisances': ['bg'], 'methods': ['erm']}, progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    assert any('image/png' in o.get('data', {}) for o in outputs)
    md = ' '.join(o.get('data', {}).get('text/markdown', '') for o in outputs)
    assert 'Profile **smoke**' in md and 'ρ =' in md
    assert (tmp_path/'results'/'smoke'/'sec3').exists()

def test_section4_under_papermill(tmp_path, monkeypatch):
    import papermill as pm
    monkeypatch.setenv('INVTRANSFER_RESULTS', str(tmp_path/'results'))
    out = tmp_path/'s4.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/'41_section4.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3',
                        parameters={'instances': 2, 'epochs': 2, 'nuisances': ['bg'], 'methods': ['ce-drs', 'ce-drs-git'],
                                    'munit_iterations': 20, 'show_rot': False}, progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    assert sum('image/png' in o.get('data', {}) for o in outputs) >= 3      # Figure 2, the loss curves, Figure 3
    md = ' '.join(o.get('data', {}).get('text/markdown', '') for o in outputs)
    assert 'Profile **smoke**' in md and 'What MUNIT learned' in md and 'In one line' in md
    assert len(list((tmp_path/'results'/'smoke'/'munit').glob('*.json'))) == 2   # one MUNIT per instance, shared by Figure 2
