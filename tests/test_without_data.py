"""The book without any dataset: each page that reads committed results runs with an empty data root and draws its figures
from the committed records and artefacts alone. (`make test` also builds the whole book, smoke pages and library chapters
included, with an empty data root: `make book-without-data`.)"""
import nbformat, pytest, yaml
from conftest import ROOT

COMMITTED = [p for p in yaml.safe_load((ROOT/'book.yml').read_text())['pages'] if p.get('params', {}).get('compute') is False]
# Cells that draw data, by page notebook: the benchmark sheet of Section 5, Figure 2's samples and their true-nuisance table.
DATA_CELLS = {'51_section5.ipynb': {'9218c3bf': 'image/png'}, '41_section4.ipynb': {'03e8c28c': 'text/html'}}

def outputs(nb, cid: str, mime: str) -> list[str]:
    cell = next(c for c in nb.cells if c.get('id') == cid)
    return [''.join(o['data'][mime]) for o in cell.get('outputs', []) if mime in o.get('data', {})]

def test_committed_pages_are_listed():
    listed = {p['nb'] for p in COMMITTED}
    assert {'31_section3.ipynb', '41_section4.ipynb', '51_section5.ipynb', '61_section6.ipynb'} <= listed, listed

@pytest.mark.parametrize('page', COMMITTED, ids=[p.get('out', p['nb']) for p in COMMITTED])
def test_committed_page_without_data(page, tmp_path, monkeypatch):
    import papermill as pm
    (empty := tmp_path/'no-data').mkdir()
    monkeypatch.setenv('INVTRANSFER_DATA', str(empty)); monkeypatch.delenv('INVTRANSFER_RESULTS', raising=False)
    out = tmp_path/'page.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/page['nb']), str(out), parameters=page['params'], cwd=str(ROOT/'nbs'),
                        kernel_name='python3', progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    figures = sum('image/png' in o.get('data', {}) for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', []))
    assert figures >= 1, f"{page.get('out', page['nb'])}: no figure drawn"
    for cid, mime in DATA_CELLS.get(page['nb'], {}).items():
        shown = outputs(nb, cid, mime)
        assert shown, f'cell {cid} drew nothing ({mime}) without the data'
        if mime.startswith('text/'): assert not any('NaN' in s for s in shown), f'cell {cid} has missing values without the data'
