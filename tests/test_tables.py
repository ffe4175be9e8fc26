"""Sections 5-6: the tables' command line rejects bad input, and the chapters render (from committed GTSRB-LT results)."""
import os, re, subprocess, sys, json
import nbformat, pytest
import pandas as pd
from conftest import ROOT, SHARED

def tables_cli(*args, env=None, timeout=600):
    return subprocess.run([sys.executable, '-m', 'invtransfer.tables', *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT)

@pytest.mark.parametrize('args, message', [
    (['--tables', 'table9'], "unknown table 'table9'"),
    (['--profile', 'huge'], "unknown Section 5-6 profile 'huge'"),
    (['--rows', 'Hinge+DRS'], "unknown row 'Hinge+DRS'"),
    (['--seeds', '0'], 'seeds must be positive'),
    (['--tilde-styles', 'encoded'], 'give --stronger-munit too'),
])
def test_bad_input(args, message, tmp_path):
    r = tables_cli(*args, '--results', str(tmp_path/'r'))
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert not (tmp_path/'r').exists()

def test_missing_gtsrb_names_file_and_md5(tmp_path):
    r = tables_cli('--profile', 'gtsrb', '--rows', 'ERM', '--results', str(tmp_path/'r'), env={'INVTRANSFER_DATA': str(tmp_path/'empty')})
    assert r.returncode == 2
    assert 'gtsrb32-train.npz' in r.stderr and '99e752332b375096e70602a56505d543' in r.stderr
    assert not (tmp_path/'r').exists()

def test_smoke_cli_computes_and_caches(tmp_path):
    args = ['--profile', 'smoke', '--tables', 'table3', '--rows', 'CE DRS', '--seeds', '1', '--results', str(tmp_path/'r')]
    r = tables_cli(*args, timeout=900)
    assert r.returncode == 0, r.stderr
    assert '3 runs: 0 cached, 3 computed, 0 failed' in r.stdout    # MUNIT + without GIT + with GIT (all classes)
    assert '3 runs: 3 cached' in tables_cli(*args).stdout

def test_switch_epoch_cli_reads_committed_runs():
    "The command line prints the library's frame of GIT from the switch epoch on, read back without computing: 5 rows, 3 runs per arm."
    from invtransfer.config import results_root
    from invtransfer.variants import switch_epoch_frame
    r = tables_cli('--profile', 'gtsrb', '--tables', 'table3', '--rows', 'LDAM None', '--git-from-switch-epoch', '--no-compute')
    assert r.returncode == 0, r.stderr
    f = switch_epoch_frame('gtsrb', results_root()/'gtsrb')
    assert len(f) == 5 and (f['n'] == '3 / 3 / 3').all() and (f['start'] == 'epoch 24 of 30').all(), f
    assert f.to_string(index=False) in r.stdout, r.stdout
    assert ((f['late vs without'] - (f['late'] - f['without'])).abs() < 0.015).all()   # the change is the difference of the two means

@pytest.mark.parametrize('table, row, rows, runs, cutoff', [('table3', 'LDAM None', 5, 23, 'all classes'), ('table1', 'LDAM+DRS +GIT', 3, 14, 'K = 25')])
def test_longer_munit_cli_reads_committed_runs(table, row, rows, runs, cutoff):
    "GIT on the 4,500-iteration MUNIT beside the baseline and GIT on the 1,500-iteration one, read back without computing."
    from invtransfer.config import results_root
    from invtransfer.variants import longer_munit_frame
    r = tables_cli('--profile', 'gtsrb', '--tables', table, '--rows', row, '--longer-munit', '--no-compute')
    assert r.returncode == 0, r.stderr
    f = longer_munit_frame('gtsrb', results_root()/'gtsrb', table=table)
    assert len(f) == rows and (f['n'] == '3 / 3 / 3').all() and (f['munit'] == '1,500 → 4,500').all() and (f['cutoff'] == cutoff).all(), f
    assert f.to_string(index=False) in r.stdout, r.stdout
    assert f'{runs} runs: {runs} in the cache, 0 not computed' in r.stdout, r.stdout   # the row's own runs and MUNIT, the longer MUNIT and its rows x 3 runs

def test_fidelity_cli_reads_committed_measurements():
    "Does T~ keep the class? The judge's measurements of the gtsrb profile's MUNIT runs, read back without computing."
    r = tables_cli('--profile', 'gtsrb', '--tables', 'table1', '--rows', 'ERM', '--fidelity', '--no-compute')
    assert r.returncode == 0, r.stderr
    assert re.search(r'real images\s+1500\s+all classes\s+43\s+3260\s+91\.1\s+55\.3\s+34\.2', r.stdout), r.stdout   # the judge: originals, reconstructions, T~ samples
    assert r.stdout.count('all images') == 4, r.stdout                   # the 1,500- and 4,500-iteration MUNITs, each by both judges

def test_quality_cli_reads_committed_curve():
    "T~ over its training: the committed quality curve of the gtsrb profile's stronger MUNIT, printed without computing, one row per kept snapshot."
    from invtransfer.fidelity import fidelity_root
    from invtransfer.quality import quality_config, load_quality, quality_frame
    rec = load_quality(quality_config('gtsrb'), fidelity_root('gtsrb'))
    assert rec is not None and rec['config']['munit']['munit']['iterations'] == 9_000 and 'speed' not in rec['config']['munit']
    f = quality_frame(rec)
    assert f.iteration.tolist() == list(range(1500, 9001, 1500)) and (f['real images'] == 91.1).all(), f   # the fidelity judge on the real training images
    r = tables_cli('--profile', 'gtsrb', '--tables', 'table1', '--rows', 'ERM', '--munit-quality', '--no-compute')
    assert r.returncode == 0, r.stderr
    assert f.to_string(index=False) in r.stdout, r.stdout
    # the last snapshot again with styles encoded from training images: its own committed record, printed beside the prior's row
    from invtransfer.quality import style_config, style_frame
    enc = load_quality(style_config('gtsrb'), fidelity_root('gtsrb'))
    assert enc is not None and [p['iteration'] for p in enc['points']] == [9_000], enc and enc['points']
    s = style_frame(rec, enc)
    assert s['T~ sample'].iloc[1] > s['T~ sample'].iloc[0] + 10 and s['diversity / first'].iloc[1] >= 0.5, s   # encoded styles keep the class more often, diversity kept
    assert s.to_string(index=False) in r.stdout, r.stdout
    # the same MUNIT trained further: one row per length, the 9,000-iteration row the style frame's, printed with its finding
    from invtransfer.quality import length_configs, length_frame, length_finding
    lengths = length_configs('gtsrb')
    lf = length_frame([(load_quality(q, fidelity_root('gtsrb')), load_quality(e, fidelity_root('gtsrb'))) for q, e in lengths],
                      [q.munit.load_record(fidelity_root('gtsrb')) for q, _ in lengths])
    assert [(q.munit.munit.iterations, q.munit.munit.step_size) for q, _ in lengths] == [(9_000, 3_000), (12_000, 4_000), (12_000, 4_000)]
    assert [bool(q.munit.speed and q.munit.speed.flush_subnormal) for q, _ in lengths] == [False, False, True]   # the second 12,000-iteration run: subnormals flushed
    assert lf.iterations.tolist() == [9_000, 12_000, 12_000] and lf['lr halved every'].tolist() == [3_000, 4_000, 4_000], lf
    assert lf['subnormals flushed'].tolist() == [False, False, True], lf
    assert lf['T~ sample, encoded'].iloc[0] == s['T~ sample'].iloc[1] and lf['T~ sample, N(0, I)'].iloc[0] == s['T~ sample'].iloc[0], lf
    # the 12,000-iteration run had a training setback at 2,100 (the reconstruction loss 2.3x its lowest), before its schedule differs: it keeps the class far less often
    twelve, flushed = lf.iloc[1], lf.iloc[2]
    assert (twelve['T~ sample, encoded'], twelve['T~ sample, N(0, I)'], twelve.reconstruction, twelve['setback at'], twelve['setback ×']) == (25.8, 24.5, 37.4, 2_100, 2.3), twelve
    assert lf['setback at'].isna().iloc[0] and pd.isna(twelve['MUNIT h']) and lf['MUNIT h'].iloc[0] == 1.36, lf   # a resumed run's record times only its last leg
    # the second 12,000-iteration run, its subnormals flushed (rounding only): no setback
    assert (flushed['T~ sample, encoded'], flushed['T~ sample, N(0, I)'], flushed.reconstruction) == (71.3, 50.5, 80.6) and pd.isna(flushed['setback at']), flushed
    finding = length_finding(lf, 3)
    assert lf.to_string(index=False) in r.stdout and finding in r.stdout and 'not measured yet' not in r.stdout, r.stdout
    assert "The training of the 12,000-iteration run with subnormals kept had a setback at iteration 2,100" in finding and "its gap to them is the setback's, not the length's" in finding, finding
    assert '2 runs of 12,000 iterations, the same mathematics with their rounding differing' in finding and '(the 12,000-iteration run with subnormals flushed, the longest without a setback)' in finding, finding

def test_stronger_generator_is_kept_and_loads():
    "The stronger T~ is committed as a kept generator within the size budget, its md5 in the record; it loads (weights_only) without the trained weights, and refuses a wrong md5 and other image sizes."
    import torch
    from invtransfer.config import results_root
    from invtransfer.munit import munit_paths, load_generator
    from invtransfer.quality import stronger_munit_run
    run, root = stronger_munit_run('gtsrb'), results_root()/'gtsrb'
    rec, paths = run.load_record(root), munit_paths(run, root)
    k = rec['kept_generator']
    assert rec['status'] == 'ok' and k['bytes'] == paths['kept'].stat().st_size <= 25 * 2**20, k
    T = load_generator(paths['kept'], k['md5'], run.munit, image_shape=(3, 32, 32))
    x = torch.rand(4, 3, 32, 32); out = T(x, torch.Generator().manual_seed(0))
    assert out.shape == x.shape and 0 <= out.min() and out.max() <= 1
    with pytest.raises(ValueError, match='trained on 3x32x32'): load_generator(paths['kept'], k['md5'], run.munit, image_shape=(1, 28, 28))
    with pytest.raises(ValueError, match='has md5'): load_generator(paths['kept'], '0' * 32, run.munit)

def test_stronger_munit_cli_reads_committed_runs():
    "GIT on the stronger T~, read back without computing: the library's frame of the committed runs (every change the difference of its means), or the finding that says none is there."
    from invtransfer.config import results_root
    from invtransfer.quality import stronger_munit_run
    from invtransfer.variants import stronger_munit_frame, stronger_munit_finding
    f = stronger_munit_frame('gtsrb', results_root()/'gtsrb')
    assert ((f['stronger vs without'] - (f['stronger'] - f['without'])).abs() < 0.015).all(), f
    r = tables_cli('--profile', 'gtsrb', '--tables', 'table1', '--rows', 'ERM', '--stronger-munit', '--no-compute')
    assert r.returncode == 0, r.stderr
    assert f'MUNIT run {stronger_munit_run("gtsrb").key}' in r.stdout and stronger_munit_finding(f, 9_000) in r.stdout, r.stdout
    assert (f.to_string(index=False) in r.stdout) if len(f) else 'No row has its baseline and a GIT run on the stronger T~' in r.stdout

def test_encoded_styles_cli_reads_committed_runs():
    "Table 1's GIT rows and Table 2's all-classes rows on the stronger T~ with encoded styles: 3 committed runs a row, read against the same T~ with N(0, I) styles, and printed by the command line without computing."
    from invtransfer.config import results_root
    from invtransfer.variants import stronger_munit_frame, stronger_munit_finding
    f = stronger_munit_frame('gtsrb', results_root()/'gtsrb', styles='encoded')
    prior = stronger_munit_frame('gtsrb', results_root()/'gtsrb').set_index('row')
    t1 = f[f.table == 'table1'].set_index('row')
    assert list(t1.index) == ['CE+DRS +GIT', 'Focal+DRS +GIT', 'LDAM+DRS +GIT'] and (t1.n == '3 / 3 / 3').all(), t1
    assert (t1.git == prior.loc[t1.index, 'stronger']).all(), (t1.git, prior.stronger)   # the comparison column: the same rows on the same T~ with N(0, I) styles
    assert ((t1['stronger vs git'] - (t1.stronger - t1.git)).abs() < 0.015).all(), t1
    t2 = f[f.table == 'table2'].set_index('row')   # Table 2's rows with GIT on all classes, 3 runs each too
    assert list(t2.index) == ['CE+DRS +GIT (all classes)', 'Focal+DRS +GIT (all classes)', 'LDAM+DRS +GIT (all classes)'] and (t2.n == '3 / 3 / 3').all(), t2
    r = tables_cli('--profile', 'gtsrb', '--tables', 'table1', '--rows', 'ERM', '--stronger-munit', '--tilde-styles', 'encoded', '--no-compute')
    assert r.returncode == 0, r.stderr
    assert f.to_string(index=False) in r.stdout and stronger_munit_finding(f, 9_000, 'encoded') in r.stdout, r.stdout

def _outputs(path):
    nb = nbformat.read(path, as_version=4)
    outs = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
    return outs, ' '.join(o.get('data', {}).get('text/markdown', '') + o.get('data', {}).get('text/html', '') for o in outs)

def _kinds(outs) -> dict:
    "How many figures, tables, text blocks and errors a page's outputs hold."
    data = [o.get('data', {}) for o in outs]
    return {'figures': sum('image/png' in d for d in data), 'tables': sum('<table' in d.get('text/html', '') for d in data),
            'errors': sum(o.get('output_type') == 'error' for o in outs)}

@pytest.mark.skipif(not (SHARED/'gtsrb32'/'gtsrb32-train.npz').exists(), reason='GTSRB is not in the data folder')
@pytest.mark.parametrize('nb, figures, tables', [('51_section5', 1, 4), ('52_section5_diagnostics', 1, 4), ('61_section6', 1, 2)])
def test_gtsrb_chapters_render_committed_results(nb, figures, tables, tmp_path):
    "The GTSRB-LT chapters render from the committed records: their figures and tables are drawn (their numbers: test_gtsrb_numbers)."
    import papermill as pm
    out = tmp_path/f'{nb}.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/f'{nb}.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3',
                        parameters={'profile': 'gtsrb', 'compute': False}, progress_bar=False)
    k = _kinds(_outputs(out)[0])
    assert k['errors'] == 0 and k['figures'] >= figures and k['tables'] >= tables, k

def test_gtsrb_numbers():
    "The numbers the Section 5 chapters read from the committed gtsrb records, as the library computes them (no data needed)."
    from invtransfer.config import results_root
    from invtransfer import fidelity as Fi, variants as V, reports as R
    root = results_root()/'gtsrb'
    t3 = R.table_frame('table3', 'gtsrb', root)
    ours = t3[t3['column'] == 'gtsrb-lt without GIT'].set_index('row')
    assert ours.loc['LDAM None', 'n'] == 3 and abs(ours.loc['LDAM None', 'ours_mean'] - 67.41) < 0.005
    assert (R.size_group_frame('table3', 'gtsrb', root)['classes'] == '5 many / 7 medium / 31 few').all()   # class-size groups
    ff = Fi.fidelity_frame(Fi.fidelity_configs('gtsrb'), Fi.fidelity_root('gtsrb'))
    real = ff[(ff['judge trained on'] == 'real images') & (ff['group'] == 'all classes')].set_index('MUNIT iterations')
    assert real.loc[1500, 'original'] == 91.1 and real.loc[1500, 'T~ sample'] == 34.2 and real.loc[4500, 'T~ sample'] == 52.9
    from invtransfer.quality import quality_config, load_quality, quality_frame   # the stronger MUNIT over its training
    q = quality_frame(load_quality(quality_config('gtsrb'), Fi.fidelity_root('gtsrb'))).set_index('iteration')
    assert q.loc[1500, 'T~ sample'] == 41.0 and q.loc[9000, 'T~ sample'] == 49.2 and q.loc[9000, 'reconstruction'] == 78.6 and q['T~ sample'].max() == 50.6
    assert q['diversity / first'].min() == 0.917
    st = V.stronger_munit_frame('gtsrb', root).set_index(['table', 'row'])            # GIT on the stronger T~: 3 runs a row, every gap to the paper narrower
    assert (st['n'] == '3 / 3 / 3').all() and len(st) == 6 and (st['gap stronger'] < st['gap git']).all()
    ldam = st.loc[('table1', 'LDAM+DRS +GIT')]
    assert ldam['stronger'] == 60.96 and ldam['stronger vs without'] == -5.89 and not ldam['below 0 vs without']   # lower on average, the interval includes 0
    sf = V.switch_epoch_frame('gtsrb', root)                                          # GIT from the switch epoch on
    assert list(sf['baseline']) == list(V.SWITCH_EPOCH_ROWS) and (sf['n'] == '3 / 3 / 3').all() and (sf['start'] == 'epoch 24 of 30').all()
    p = V.longer_munit_pairs('gtsrb', root)                                           # the longer-trained MUNIT, paired by seed
    ldam = p[p['baseline'].isin(['LDAM None', 'LDAM DRW', 'LDAM DRS'])]
    assert len(ldam) == 9 and (ldam['change'] > 0).sum() == 8

@pytest.mark.parametrize('nb', ['51_section5', '52_section5_diagnostics', '61_section6'])
def test_paper_chapters_render_before_any_run(nb, tmp_path, monkeypatch):
    "A researcher opening the paper profile before the GPU runs: every cell says what is missing instead of failing, and no table cell holds a number."
    import papermill as pm
    from invtransfer import reports as R, variants as V
    monkeypatch.setenv('INVTRANSFER_RESULTS', str(tmp_path/'empty'))
    out = tmp_path/f'{nb}.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/f'{nb}.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3',
                        parameters={'profile': 'paper', 'compute': False}, progress_bar=False)
    assert _kinds(_outputs(out)[0])['errors'] == 0
    assert R.table_frame('table1', 'paper', tmp_path/'empty'/'paper')['n'].eq(0).all()
    g = R.gain_frame('table3', 'paper', tmp_path/'empty'/'paper')
    assert (g['verdict'] == 'not run').all() and g['our_gain'].isna().all() and len(V.switch_epoch_frame('paper', tmp_path/'empty'/'paper')) == 0

def test_gpu_cli_reads_committed_runs():
    "The committed GPU runs (results/gpu): Table 1's GTSRB-LT column and Table 2's all-classes rows, 3 runs a cell."
    r = tables_cli('--profile', 'gpu', '--tables', 'table1', 'table2', '--no-compute')
    assert r.returncode == 0, r.stderr
    assert '31 runs: 31 in the cache, 0 not computed (--no-compute)' in r.stdout, r.stdout
    assert re.search(r'LDAM\+DRS \+GIT\s+gtsrb-lt 81\.39 ± 0\.98\s+75\.89 ± 0\.54\s+3\s+False', r.stdout), r.stdout

@pytest.mark.skipif(not (SHARED/'gtsrb32'/'gtsrb32-train.npz').exists(), reason='GTSRB is not in the data folder')
@pytest.mark.parametrize('nb', ['51_section5', '52_section5_diagnostics', '61_section6'])
def test_gpu_chapters_render_committed_results(nb, tmp_path):
    import papermill as pm
    out = tmp_path/f'{nb}.ipynb'
    params = {'profile': 'gpu', 'compute': False, **({'tables': ['table1', 'table3']} if nb == '51_section5' else {})}
    pm.execute_notebook(str(ROOT/'nbs'/f'{nb}.ipynb'), str(out), cwd=str(ROOT/'nbs'), kernel_name='python3', parameters=params, progress_bar=False)
    _, text = _outputs(out)
    if nb != '52_section5_diagnostics': assert 'Profile **gpu**' in text and 'NVIDIA H200' in text and 'resnet32, 200 epochs' in text and 'n=3' in text
    if nb == '51_section5':
        assert 'This profile trains the classifier as the paper did' in text and '(GPU budget;' in text
    elif nb == '52_section5_diagnostics':
        assert 'LDAM+DRS → LDAM+DRS +GIT: -12.92 → +3.32 (paper +4.14)' in text            # the same T~ under two classifier budgets
        assert "closer to the paper's in 8 of 8 comparisons" in text and 'Under gpu (200 epochs) GIT still lowers accuracy in' in text
        assert "This profile's GIT runs use the `gtsrb` profile's MUNIT run" in text and 'With MUNIT after 1,500 iterations' in text
        assert 'lower on the damaged classes than on the others in 7 of 8 comparisons' in text
        assert 'No GIT classifier was trained with the longer MUNIT on this profile' in text and '(not computed: GPU budget)' in text
    else:
        assert 'On the 1,500-iteration MUNIT, GIT with the cutoff (K = 25) beat GIT on all classes' in text   # Table 2's question, 200-epoch runs
        assert 'The 18 runs on the longer MUNIT (not computed: GPU budget)' in text

def test_gpu_runs_tool_packs_and_runs_on_cpu(tmp_path):
    "tools/gpu_runs.py: the packed split is the loader's, an unpacked benchmark is refused, --seed-first orders by seed, --extra adds the late-GIT and longer-MUNIT runs with their MUNITs, and two workers share one queue."
    tool = [sys.executable, str(ROOT/'tools'/'gpu_runs.py')]
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    pack = tmp_path/'digits.pkl.xz'
    subprocess.run(tool + ['pack', str(pack), '--benchmark', 'digits-lt'], check=True, env=env, cwd=ROOT, capture_output=True)
    check = ("import sys, numpy as np; sys.path.insert(0, 'tools'); import gpu_runs; from invtransfer.benchmarks import load_benchmark;"
             f"gpu_runs.use_pack({str(pack)!r}); import invtransfer.benchruns as T; b, ref = T.bench('digits-lt', 0, ()), load_benchmark('digits-lt', seed=0);"
             "assert (b.train.x == ref.train.x).all() and (b.test.y == ref.test.y).all()\n"
             "q = [c.seed for c in gpu_runs.queue('smoke', ['table1'], ['ERM', 'CE+DRS'], seed_first=True)]; assert q == [0, 0, 1, 1], q\n"
             "e = gpu_runs.queue('gpu', ['table3'], ['LDAM None'], extras=['git-from-switch-epoch', 'longer-munit']); assert len(e) == 4 * 3, len(e)\n"
             "assert sorted(m.munit.iterations for m in gpu_runs.munit_runs(e)) == [1500, 4500] and {c.epochs for c in e} == {200}\n"
             "k = gpu_runs.queue('gpu', ['table1'], ['LDAM+DRS +GIT'], extras=['longer-munit']); assert len(k) == 2 * 3 and {c.git.K for c in k} == {25}, len(k)\n"
             "try: T.bench('gtsrb-lt', 0, ())\nexcept FileNotFoundError as e: print('refused:', e)")
    r = subprocess.run([sys.executable, '-c', check], env=env, cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0 and "refused: benchmark ('gtsrb-lt', 0, ()) is not in the pack" in r.stdout, r.stderr + r.stdout
    r = subprocess.run(tool + ['run', str(tmp_path/'res'), '--profile', 'smoke', '--tables', 'table1', '--rows', 'ERM', 'CE+DRS', '--pack', str(pack),
                               '--procs', '2', '--device', 'cpu', '--seed-first'], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and 'exit codes [0, 0]' in r.stdout, r.stderr[-2000:]
    assert len(list((tmp_path/'res'/'sec5').glob('*.json'))) == 4 and r.stdout.count("'computed': 1") == 4, r.stdout   # 2 rows x 2 seeds, each once

def test_git_on_a_named_kept_generator(tmp_path):
    "A GIT run may name another MUNIT run of its benchmark split as its generator; kept (float16, md5 in the record) and without trained weights, it is used as it is, and neither MUNIT is trained."
    from dataclasses import replace
    from invtransfer.recipes import sec5_config
    from invtransfer.munit import munit_paths
    base = sec5_config('smoke', 'digits-lt', 'ce', 'drs', 'git')
    other = replace(base.munit_run, munit=replace(base.munit_run.munit, iterations=base.munit_run.munit.iterations + 10))   # trained longer, same split
    other.run(root=tmp_path); other.keep(root=tmp_path); munit_paths(other, tmp_path)['pt'].unlink()
    rec = replace(base, generator=other.key).run(root=tmp_path)
    assert rec['status'] == 'ok', rec.get('error')
    assert not munit_paths(other, tmp_path)['pt'].exists() and base.munit_run.load_record(tmp_path) is None
    kept = munit_paths(other, tmp_path)['kept']; kept.write_bytes(kept.read_bytes()[:-1])
    with pytest.raises(ValueError, match='the file is damaged or belongs to another run'):
        replace(base, generator=other.key, seed=1).run(root=tmp_path)
