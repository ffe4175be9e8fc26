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

def _statuses(folder) -> list[str]:
    import json
    return sorted(json.loads(f.read_text())['status'] for f in folder.glob('*.json'))

def test_section3_under_papermill(tmp_path, monkeypatch):
    import papermill as pm
    monkeypatch.setenv('INVTRANSFER_RESULTS', str(tmp_path/'results'))
    out = tmp_path/'s3.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/'31_section3.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3',
                        parameters={'instances': 1, 'epochs': 2, 'nuisances': ['bg'], 'methods': ['erm']}, progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    assert any('image/png' in o.get('data', {}) for o in outputs)
    assert not any(o.get('output_type') == 'error' for o in outputs)
    assert _statuses(tmp_path/'results'/'smoke'/'sec3') == ['ok']      # the one run it asked for, stored under INVTRANSFER_RESULTS

def test_section4_under_papermill(tmp_path, monkeypatch):
    import papermill as pm
    monkeypatch.setenv('INVTRANSFER_RESULTS', str(tmp_path/'results'))
    out = tmp_path/'s4.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/'41_section4.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3',
                        parameters={'instances': 2, 'epochs': 2, 'nuisances': ['bg'], 'methods': ['ce-drs', 'ce-drs-git'], 'ldam_methods': ['ldam-drs'],
                                    'munit_iterations': 20, 'show_rot': False}, progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    assert sum('image/png' in o.get('data', {}) for o in outputs) >= 3      # Figure 2, the loss curves, Figure 3
    assert not any(o.get('output_type') == 'error' for o in outputs)
    assert _statuses(tmp_path/'results'/'smoke'/'munit') == ['ok'] * 2   # one MUNIT per instance, shared by Figure 2
    assert any('LDAM+DRS' in o.get('data', {}).get('text/html', '') for o in outputs)   # Table 1's K49 columns, LDAM row included
    assert _statuses(tmp_path/'results'/'smoke'/'sec3') == ['ok'] * 6    # 2 CE methods and LDAM+DRS (Table 1's K49 columns) x 2 instances

def test_static_site_hides_and_folds_code():
    "The static builder reads Quarto's options: `echo: false` hides a cell's code, `code-fold` (page or cell) folds it above its outputs; progress bars are dropped."
    import sys; sys.path.insert(0, str(ROOT/'tools')); import book
    from nbformat.v4 import new_notebook, new_raw_cell, new_code_cell, new_output
    nb = new_notebook(cells=[new_raw_cell('---\nskip_exec: true\ncode-fold: true\n---'),
                             new_code_cell("#| code-fold: false\nprofile = 'smoke'"), new_code_cell('#| echo: false\nimport numpy as np'),
                             new_code_cell('x = 1 < 2', outputs=[new_output('stream', text='ok'),
                                                                 new_output('stream', name='stderr', text='runs:  40%|####      | 2/5 [00:03<00:04]\r'),
                                                                 new_output('stream', name='stderr', text='UserWarning: few images'),
                                                                 new_output('stream', text='\rruns: 100%|##########| 5/5 [00:09<00:00]'),
                                                                 new_output('stream', text='\n5 runs: 0 from the cache\n')])])
    shown = book.shown(nb)
    assert [c.cell_type for c in shown.cells] == ['code'] * 3                       # the front matter is not a page element
    assert shown.cells[0].source == "profile = 'smoke'" and 'transient' not in shown.cells[0].metadata
    assert shown.cells[1].metadata['transient'] == {'remove_source': True} and shown.cells[1].outputs == []
    fold = shown.cells[2].outputs[0]['data']['text/html']
    assert shown.cells[2].metadata['transient'] == {'remove_source': True} and '<details' in fold and 'x = 1 &lt; 2' in fold
    assert [o['text'] for o in shown.cells[2].outputs[1:]] == ['ok', 'UserWarning: few images', '5 runs: 0 from the cache\n']   # the progress bars are dropped

def test_chapters_fold_their_code_and_library_pages_are_not_executed():
    pages = yaml.safe_load((ROOT/'book.yml').read_text())['pages']
    for p in pages:
        nb = nbformat.read(ROOT/'nbs'/p['nb'], as_version=4)
        chapter = 31 <= int(p['nb'][:2]) < 99 if p['nb'][:2].isdigit() else False   # chapters are numbered 31-98, library pages 00-30
        if chapter:
            assert 'code-fold: true' in nb.cells[0].source, p['nb']
            assert nb.cells[3].source.startswith('#| echo: false') and 'import' in nb.cells[3].source, p['nb']   # the imports are not shown
        assert (p.get('execute', True) is False) == (not chapter and p['nb'][:2] not in ('22', '23', '24') and p['nb'] != 'index.ipynb' and not p['nb'].startswith('99')), p

def test_pages_run_in_two_lanes_with_chains_kept_in_order():
    "`make book` runs pages two at a time: every page once, each lane in book order, each chain in one lane; every page that computes is in a chain."
    import sys; sys.path.insert(0, str(ROOT/'tools')); import book
    run = [p for p in book.pages() if p.get('execute', True) is not False]
    order = [p['out'] for p in run]
    computing = [p for p in run if 'profile' in p['params'] and p['params'].get('compute', True) is not False]
    assert computing and all(p.get('chain') for p in computing), [p['out'] for p in computing if not p.get('chain')]
    for seconds in (None, {o: 100.0 * (i % 3) for i, o in enumerate(order)}):
        lanes = book.lanes(run, 2, seconds)
        assert len(lanes) == 2 and sorted(o for l in lanes for o in l) == sorted(order)
        assert all(l == sorted(l, key=order.index) for l in lanes)
        for chain in {p['chain'] for p in computing}:
            outs = [p['out'] for p in run if p.get('chain') == chain]
            holding = [l for l in lanes if set(outs) & set(l)]
            assert len(holding) == 1 and [o for o in holding[0] if o in outs] == outs, (chain, lanes)
    assert book.lanes(run, 1) == [order]

def test_notebooks_are_valid():
    "Every notebook is valid nbformat as stored (a cell whose id is null, for one, stops nbconvert and a reader's Run all)."
    import json
    for p in sorted((ROOT/'nbs').glob('*.ipynb')): nbformat.validate(json.loads(p.read_text()))

def test_slow_and_gpu_cells_are_skipped_unless_asked(tmp_path):
    "nbdev_test (as `make nbtest` calls it) skips cells marked `#| slow` or `#| gpu`, and runs them when asked with --flags."
    import subprocess, sys
    from pathlib import Path
    from nbformat.v4 import new_notebook, new_code_cell
    nb = tmp_path/'flags.ipynb'
    nbformat.write(new_notebook(cells=[new_code_cell('x = 1'), new_code_cell('#| slow\nraise RuntimeError("the slow cell ran")'),
                                       new_code_cell('#| gpu\nraise RuntimeError("the gpu cell ran")')]), nb)
    def run(*flags): return subprocess.run([str(Path(sys.executable).parent/'nbdev_test'), '--path', str(nb), '--n_workers', '1', *flags],
                                            cwd=ROOT, capture_output=True, text=True)
    assert run().returncode == 0
    for flag in ('slow', 'gpu'):
        r = run('--flags', flag)
        assert r.returncode != 0 and f'the {flag} cell ran' in r.stdout + r.stderr, (flag, r.stdout[-500:], r.stderr[-500:])
