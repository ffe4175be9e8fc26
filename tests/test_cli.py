"""Bad input on the command line: a clear message, exit status 2, and no result file."""
import gzip, json, os, re, shutil, subprocess, sys
from pathlib import Path
import pytest
from conftest import cli, SHARED, ROOT
from invtransfer.catalog import targets

def no_results(d: Path): return not d.exists() or not any(d.rglob('*.json'))

@pytest.mark.parametrize('args, message', [
    (['--source', 'mnist'], "unknown dataset 'mnist'"),
    (['--nuisances', 'blur'], "unknown nuisance 'blur'"),
    (['--methods', 'ldam-drw'], "unknown method 'ldam-drw'"),
    (['--profile', 'huge'], "unknown Section 3-4 profile 'huge'"),
    (['--epochs', '0'], 'epochs must be positive'),
    (['--epochs', '-3'], 'epochs must be positive'),
    (['--instances', '0'], 'instances must be positive'),
])
def test_bad_names_and_values(args, message, results):
    r = cli('--profile', 'smoke', *args, '--results', str(results)) if '--profile' not in args else cli(*args, '--results', str(results))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert no_results(results)

def test_unknown_architecture(results):
    r = cli('--profile', 'smoke', '--arch', 'vgg', '--results', str(results))
    assert r.returncode == 2 and "unknown architecture 'vgg'" in r.stderr
    assert no_results(results)

def test_missing_data_file(tmp_path, results):
    r = cli('--profile', 'kmnist', '--instances', '1', '--results', str(results), env={'INVTRANSFER_DATA': str(tmp_path/'empty')})
    assert r.returncode == 2
    assert 't10k-images-idx3-ubyte.gz' in r.stderr and '5c965bf0a639b31b8f53240b1b52f4d7' in r.stderr
    assert 'INVTRANSFER_DATA' in r.stderr
    assert no_results(results)

def test_md5_mismatch(tmp_path, results):
    d = tmp_path/'data'/'kmnist'; d.mkdir(parents=True)
    for name in ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'):
        with gzip.open(d/name, 'wb') as f: f.write(b'\x00\x00\x08\x01' + (10).to_bytes(4, 'big') + bytes(10))
    r = cli('--profile', 'kmnist', '--instances', '1', '--results', str(results), env={'INVTRANSFER_DATA': str(tmp_path/'data')})
    assert r.returncode == 2
    assert 'expected 5c965bf0a639b31b8f53240b1b52f4d7' in r.stderr
    assert no_results(results)

@pytest.mark.skipif(not (SHARED/'kmnist'/'t10k-images-idx3-ubyte.gz').exists(), reason='KMNIST test split not in $INVTRANSFER_DATA')
def test_kmnist_source_is_real_and_split():
    import numpy as np
    from invtransfer.data import load_source
    s = load_source('kmnist', root=SHARED)
    assert np.bincount(s.test.y).tolist() == [200] * 10
    assert len(s.train) + len(s.val) + len(s.test) == 10_000
    assert s.lt_sizes.tolist() == [640, 160, 71, 40, 25, 17, 13, 10, 7, 6]

def test_damaged_cached_result_is_set_aside(results):
    "A truncated result file is named on stderr, moved aside and computed again, to the same numbers."
    import json
    args = ('--profile', 'smoke', '--nuisances', 'bg', '--methods', 'erm', '--instances', '1', '--epochs', '2', '--no-progress', '--results', str(results))
    assert cli(*args).returncode == 0
    f = next((results/'sec3').glob('*.json')); good = json.loads(f.read_text())
    f.write_text(f.read_text()[:40])
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert str(f) in r.stderr and 'CorruptCacheWarning' in r.stderr, r.stderr
    assert len(list(f.parent.glob(f'{f.name}.corrupt-*'))) == 1
    again = json.loads(f.read_text())
    assert again['status'] == 'ok' and again['classes'] == good['classes'] and again['train_loss'] == good['train_loss']


def invtransfer(*args, env=None):
    "Run the installed `invtransfer` command (the console script beside this Python)."
    return subprocess.run([str(Path(sys.executable).parent/'invtransfer'), *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})}, cwd=ROOT)

def test_invtransfer_command_lists_the_committed_results():
    assert invtransfer('--help').returncode == 0
    r = invtransfer('status', '--profile', 'gtsrb', '--summary')
    assert r.returncode == 0, r.stderr
    runs, ok, failed, missing = map(int, re.match(r'profile gtsrb: (\d+) runs, (\d+) ok, (\d+) failed, (\d+) missing', r.stdout).groups())
    assert runs > 100 and failed == 0 and ok + missing == runs
    per = {m[0]: tuple(map(int, m[1:])) for m in re.findall(r'^(\S+)\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$', r.stdout, re.M)}
    assert len(per) == len(targets('gtsrb')) and sum(v[0] for v in per.values()) == runs, per
    incomplete = {t for t, v in per.items() if v[1] != v[0]}
    assert not incomplete, per   # every gtsrb target complete: the stronger T~'s GIT runs with prior and encoded styles, the remedies chapter's benchmark arm and its Hessian pairs on 4 seeds
    assert per['munit-quality'][:2] == (9, 9), per   # the 9,000-iteration MUNIT and two of 12,000 (subnormals kept and flushed), each with its two measurements
    kmnist = invtransfer('status', '--profile', 'kmnist', 'fig1')
    assert kmnist.returncode == 0 and re.search(r'fig1\s+bg · erm\s+15\s+15\s+0\s+0', kmnist.stdout), kmnist.stdout
    probe = invtransfer('status', '--profile', 'kmnist', 'probe')   # chapter 71's backbones and probes: a cell per nuisance and arm
    cells = re.findall(r'^probe\s+(bg|dil) · backbone (\S+)\s+15\s+(\d+)\s+0\s+(\d+)', probe.stdout, re.M)
    assert probe.returncode == 0 and len(cells) == 8 and all(int(ok) >= 3 and int(ok) + int(miss) == 15 for *_, ok, miss in cells), probe.stdout

@pytest.mark.parametrize('args, message', [
    ([], 'usage: invtransfer'),
    (['status', '--profile', 'huge'], "unknown profile 'huge'"),
    (['status', '--profile', 'gtsrb', 'fig1'], "profile 'gtsrb' has no target 'fig1'"),
    (['status', '--profile', 'gtsrb', '--epochs', '3'], 'unrecognized arguments: --epochs'),
    (['run', '--profile', 'smoke', 'table7'], "unknown target 'table7'"),
    (['run', '--profile', 'smoke', 'fig1', '--methods', 'ldam-drw'], "unknown method 'ldam-drw'"),
    (['run', '--profile', 'smoke', 'probe', '--methods', 'erm'], 'probe compares backbones'),
    (['bench', 'gpu'], "invalid choice: 'gpu'"),
])
def test_invtransfer_bad_input(args, message, results):
    r = invtransfer(*args, *(['--results', str(results)] if args[:1] == ['run'] else []))
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert no_results(results)

def test_invtransfer_run_is_the_module_command(results):
    "`invtransfer run` and `python -m invtransfer.tables` print the same table from the cache."
    a = invtransfer('run', 'table3', '--profile', 'gtsrb', '--no-compute')
    b = subprocess.run([sys.executable, '-m', 'invtransfer.tables', '--profile', 'gtsrb', '--tables', 'table3', '--no-compute'],
                       capture_output=True, text=True, cwd=ROOT)
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout and 'LDAM None' in a.stdout

def test_invtransfer_output_cut_short():
    "`invtransfer status ... | head -1`: the reader stops early and the command ends quietly, with no traceback."
    cmd = f'"{Path(sys.executable).parent}/invtransfer" status --profile gtsrb | head -1'
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.startswith('profile gtsrb:') and 'Traceback' not in p.stderr, p.stderr[-2000:]

def _bench_munit(*args):
    return subprocess.run([sys.executable, str(ROOT/'tools'/'bench_munit.py'), '--rounds', '1', '--seconds', '0.1',
                           '--shapes', '28x28x1:1', *args], capture_output=True, text=True, cwd=ROOT)

def test_bench_munit_without_the_official_code(tmp_path):
    "Without the official trainer, the MUNIT benchmark says so, times ours (the reference and this machine's speed) and records it with the chip's bfloat16 support; bad names end with exit status 2."
    from invtransfer.munit import cpu_capability, speed_for
    r = _bench_munit('--official', str(tmp_path/'absent'), '--out', str(tmp_path))
    assert r.returncode == 0 and 'official MUNIT not found' in r.stdout, r.stderr[-1000:]
    rec = json.loads(next(tmp_path.glob('munit-cpu-*.json')).read_text())
    row, = rec['rows']
    assert set(rec['speeds']) == set(row['it_per_s']) == {'reference', speed_for('cpu')} and rec['machine'].endswith(cpu_capability())
    assert set(row['gflop_per_it']) == set(row['it_per_s']) and row['gflop_per_it']['reference'] > 1
    assert rec['official'] is None and 'ratio' not in row and len(row['it_per_s']['reference']) == 1 and row['it_per_s']['reference'][0] > 0
    for bad, message in ((['--speeds', 'fastest'], "unknown MUNIT speed 'fastest'"), (['--shapes', '32x3'], "shape '32x3' is not HxWxC:batch")):
        r = _bench_munit('--out', str(tmp_path), *bad)
        assert r.returncode == 2 and message in r.stderr, r.stderr

def test_bench_munit_from_a_checkpoint(tmp_path):
    "`--from-checkpoint` counts a checkpoint's subnormal weights, times each variant once per round with ratios to the stored state's rate of the same round, and records it; a missing or foreign file ends with exit status 2 and no record."
    import torch
    from invtransfer.config import config_dict, save_state
    from invtransfer.munit import MUNIT_CONFIGS, MunitSpeed, MunitTrainer
    cfg = MUNIT_CONFIGS['smoke']; tr = MunitTrainer(1, cfg)
    with torch.no_grad(): next(tr.parameters()).view(-1)[:5] = 1e-40   # five subnormal weights
    save_state(ck := tmp_path/'ck.pt', {'iteration': 7, 'model': tr.state_dict(), 'opt_g': tr.opt_g.state_dict(), 'opt_d': tr.opt_d.state_dict(),
                                        'log': [], 'grids': [], 'config': config_dict(cfg), 'image_shape': (1, 28, 28), 'speed': config_dict(MunitSpeed())})
    r = _bench_munit('--from-checkpoint', str(ck), '--steps', '1', '--threads', '1', '--out', str(tmp_path/'out'))
    assert r.returncode == 0, r.stderr[-2000:]
    rec = json.loads((out := next((tmp_path/'out').glob('munit-checkpoint-cpu-*-1threads.json'))).read_text())
    assert rec['subnormals'] == 5 and rec['iteration'] == 7 and rec['image_shape'] == [1, 28, 28] and rec['threads'] == 1
    rates = rec['it_per_s']
    assert list(rates) == ['as stored', 'flush_subnormal', 'FTZ/DAZ flag', 'fresh initialisation'] and all(len(v) == 1 and v[0] > 0 for v in rates.values())
    assert rec['ratio'] == {v: [rates[v][0] / rates['as stored'][0]] for v in list(rates)[1:]} and '| flush_subnormal |' in r.stdout
    out.unlink(); torch.save({'weights': torch.zeros(2)}, foreign := tmp_path/'foreign.pt')
    for path, message in ((tmp_path/'absent.pt', 'no MUNIT checkpoint at'), (foreign, 'is not a MUNIT training checkpoint')):
        r = _bench_munit('--from-checkpoint', str(path), '--steps', '1', '--out', str(tmp_path/'out'))
        assert r.returncode == 2 and message in r.stderr and not any((tmp_path/'out').iterdir()), r.stderr[-2000:]

@pytest.mark.skipif(not (ROOT.parent/'shared'/'anchors'/'nvlabs-munit'/'official_munit.py').exists(), reason='the official MUNIT is not beside the checkout')
def test_bench_munit_times_ours_against_the_official(tmp_path):
    "With the official trainer beside the checkout (the default folder), each ratio divides our rate by the official rate of its round."
    r = _bench_munit('--speeds', 'reference', 'cpu', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    row, = json.loads(next(tmp_path.glob('munit-cpu-*.json')).read_text())['rows']
    rates = row['it_per_s']
    assert set(rates) == {'official', 'reference', 'cpu'} and all(v[0] > 0 for v in rates.values())
    for s in ('reference', 'cpu'): assert row['ratio'][s] == [rates[s][0] / rates['official'][0]]
    flops = row['gflop_per_it']   # the same networks, and ours computes the generators' forward pass once per iteration where the official code computes it twice
    assert flops['reference'] == flops['cpu'] and 1.1 < flops['official'] / flops['reference'] < 1.25, flops
    assert '| 28x28x1 | 1 |' in r.stdout
