"""Section 4 end to end: GIT and the Oracle through the command line and the cache; bad GIT/MUNIT input; failed MUNIT runs."""
import json
from dataclasses import replace
import pytest
import torch
from conftest import cli
from invtransfer.experiment import sec3_grid, run_grid, collect, munit_config
from invtransfer.munit import MunitRun, MunitConfig, munit_paths, load_nuisance_model

TINY = ['--instances', '1', '--nuisances', 'bg', '--epochs', '2', '--munit-iterations', '20', '--no-progress']

@pytest.mark.parametrize('args, message', [
    (['--git-p', '1.5'], 'p must be in [0, 1]'),
    (['--git-p', '-0.5'], 'p must be in [0, 1]'),
    (['--git-K', '-1'], 'K must be a positive integer'),
    (['--git-K', '0'], 'K must be a positive integer'),
    (['--munit', 'huge'], "unknown MUNIT configuration 'huge'"),
    (['--munit-iterations', '0'], 'iterations must be positive'),
])
def test_bad_git_and_munit_input(args, message, results):
    r = cli('--profile', 'smoke', '--figure', 'fig3', *args, '--results', str(results))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert not results.exists() or not any(results.rglob('*.json'))

def test_fig3_and_fig2_through_the_cli(results):
    r = cli('--profile', 'smoke', '--figure', 'fig3', '--methods', 'ce-drs-git', 'oracle', *TINY, '--results', str(results))
    assert r.returncode == 0, r.stderr
    recs = [json.loads(p.read_text()) for p in (results/'sec3').glob('*.json')]
    assert sorted(x['config']['method'] for x in recs) == ['ce-drs-git', 'oracle']
    for x in recs:
        assert x['status'] == 'ok' and x['git_stats']['augmented'] > 0 and x['config']['git']['p'] == 0.5
    munits = [json.loads(p.read_text()) for p in (results/'munit').glob('*.json')]
    assert len(munits) == 1 and munits[0]['status'] == 'ok' and munits[0]['config']['nuisance'] == 'bg'
    # Figure 2's MUNIT for BG on instance 0 is the very run GIT used: cached, not retrained
    r = cli('--profile', 'smoke', '--figure', 'fig2', '--nuisances', 'bg', '--munit-iterations', '20', '--results', str(results))
    assert r.returncode == 0 and '1 cached, 0 computed' in r.stdout, r.stdout

def test_diverged_munit_fails_the_git_run_and_is_not_plotted(results):
    cfg = sec3_grid('smoke', 'fig3', ['bg'], ['ce-drs-git'], 1, epochs=1,
                    munit=replace(munit_config('smoke'), iterations=10, lr=1e10))[0]
    s = run_grid([cfg], root=results, progress=False)
    assert s['failed'] == 1 and 'MUNIT diverged' in s['errors'][0]
    assert cfg.munit_run.load_record(results)['status'] == 'failed'
    assert not munit_paths(cfg.munit_run, results)['pt'].exists()
    ok, counts = collect([cfg, cfg.munit_run], results)
    assert ok == [] and counts == {'ok': 0, 'missing': 0, 'failed': 2}

def test_generator_that_does_not_match_the_data(results):
    run = MunitRun(source='digits', nuisance='dil', munit=replace(munit_config('smoke'), iterations=5))
    run.run(root=results)
    with pytest.raises(ValueError, match=r'trained on 1x28x28 images .* got 3x32x32'):
        load_nuisance_model(munit_paths(run, results)['pt'], run.munit, image_shape=(3, 32, 32))
    with pytest.raises(Exception):   # a MUNIT configuration of another shape cannot load these weights
        load_nuisance_model(munit_paths(run, results)['pt'], MunitConfig(), image_shape=(1, 28, 28))

def test_git_trains_on_a_kept_generator_without_training_munit(results):
    "The smoke profile's generator, kept (float16, compressed, md5 in its record) and its trained weights removed, as in a fresh clone: a GIT run uses it and MUNIT is not trained again."
    cfg = sec3_grid('smoke', 'fig3', ['bg'], ['ce-drs-git'], 1, epochs=1)[0]
    cfg.munit_run.run(root=results)
    kept = cfg.munit_run.keep(root=results)['kept_generator']
    paths = munit_paths(cfg.munit_run, results)
    paths['pt'].unlink()
    s = run_grid([cfg], root=results, progress=False)
    assert s['failed'] == 0 and cfg.load_record(results)['status'] == 'ok' and cfg.load_record(results)['git_stats']['augmented'] > 0
    assert not paths['pt'].exists() and cfg.munit_run.load_record(results)['kept_generator'] == kept   # MUNIT was not trained again
