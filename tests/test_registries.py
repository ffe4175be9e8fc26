"Every registry, entry by entry: each registered name builds and works on a small input, and bad names and values are refused with a message naming them."
import dataclasses, re
import numpy as np
import pytest
import torch
import invtransfer.benchmarks   # noqa: F401 (registers the benchmarks users download)
from invtransfer.data import SOURCES, BENCHMARKS, load_source, DataMissingError
from invtransfer.benchmarks import load_benchmark
from invtransfer.transforms import NUISANCES, get_nuisance
from invtransfer.samplers import SAMPLERS, make_sampler
from invtransfer.losses import LOSSES, SCHEDULES, make_loss
from invtransfer.models import MODELS, make_model
from invtransfer.munit import MUNIT_CONFIGS, MUNIT_SPEEDS, MunitTrainer
from invtransfer.experiment import METHODS, PROFILES, sec3_grid
from invtransfer.recipes import BENCH_PROFILES, table_grid
from invtransfer.catalog import EXTRA_TARGETS, targets, target_cells

REGISTRIES = [SOURCES, BENCHMARKS, NUISANCES, SAMPLERS, LOSSES, SCHEDULES, MODELS, MUNIT_CONFIGS, MUNIT_SPEEDS, METHODS, PROFILES, BENCH_PROFILES]
LABELS = np.repeat(np.arange(5), [40, 20, 10, 5, 2])

@pytest.mark.parametrize('registry', REGISTRIES, ids=lambda r: r.kind)
def test_an_unknown_name_is_refused_with_the_known_ones(registry):
    assert len(registry) >= 2
    with pytest.raises(ValueError, match=re.escape(f"unknown {registry.kind} 'nope'; known: {', '.join(sorted(registry))}")):
        registry.get('nope')

@pytest.mark.parametrize('name', list(NUISANCES))
def test_nuisance(name):
    x = load_source('digits').test.x[:16]
    T = get_nuisance(name)
    y = T(x, np.random.default_rng(0))
    assert y.shape == x.shape and y.dtype == np.uint8
    assert np.array_equal(y, T(x, np.random.default_rng(0))) and not np.array_equal(y, x)

@pytest.mark.parametrize('name', list(SAMPLERS))
def test_sampler(name):
    s = make_sampler(name, LABELS, seed=1, switch_epoch=2)
    idx = [s.indices(e) for e in range(4)]
    assert all(len(i) == len(LABELS) and i.min() >= 0 and i.max() < len(LABELS) for i in idx)
    assert np.array_equal(idx[3], make_sampler(name, LABELS, seed=1, switch_epoch=2).indices(3))   # depends only on (seed, epoch)
    assert not np.array_equal(idx[3], make_sampler(name, LABELS, seed=2, switch_epoch=2).indices(3))

@pytest.mark.parametrize('name', list(LOSSES))
def test_loss(name):
    counts = np.bincount(LABELS)
    loss = make_loss(name, counts)
    logits = torch.randn(8, 5, generator=torch.Generator().manual_seed(0)).clamp(-1, 1)   # cosine logits for LDAM
    value = loss(logits, torch.arange(8) % 5)
    assert value.ndim == 0 and torch.isfinite(value) and value > 0

@pytest.mark.parametrize('name', list(SCHEDULES))
def test_schedule(name):
    SAMPLERS.get(SCHEDULES.get(name).sampler)

@pytest.mark.parametrize('name', list(MODELS))
def test_model(name):
    m = make_model(name, 3, 5, 32).eval()
    with torch.no_grad(): assert m(torch.zeros(2, 3, 32, 32)).shape == (2, 5)

@pytest.mark.parametrize('name', list(MUNIT_CONFIGS))
def test_munit_configuration(name):
    MUNIT_CONFIGS.get(name).validate()

@pytest.mark.parametrize('name', list(MUNIT_SPEEDS))
def test_munit_speed(name):
    "Each registered speed steps the smoke MUNIT on the CPU with finite losses."
    import torch
    torch.manual_seed(0)
    tr = MunitTrainer(1, MUNIT_CONFIGS['smoke'], MUNIT_SPEEDS.get(name))
    x = torch.rand(2, 1, 28, 28) * 2 - 1
    losses = tr.step(x, x.flip(-1), torch.randn(2, 8, 1, 1), torch.randn(2, 8, 1, 1))
    assert set(losses) == {'dis', 'gen', 'recon_x', 'recon_s', 'recon_c', 'adv'} and all(np.isfinite(v) for v in losses.values()), losses

@pytest.mark.parametrize('name', list(METHODS))
def test_method(name):
    grid = sec3_grid('smoke', 'fig3', methods=[name], nuisances=['bg'], instances=1)
    assert [c.method for c in grid] == [name]
    with pytest.raises(ValueError, match='epochs must be positive'): dataclasses.replace(grid[0], epochs=0).validate()

@pytest.mark.parametrize('name', list(dict.fromkeys(list(PROFILES) + list(BENCH_PROFILES))))
def test_profile_defines_its_targets(name):
    "Every figure and table of a profile lists its cells, building and validating every run's configuration (an extra target may be empty: the smoke profile trains no longer MUNIT)."
    for t in targets(name):
        cells = target_cells(name, t)
        assert (cells or t in EXTRA_TARGETS) and all(runs or why.startswith('not run') for _, why, runs in cells), (name, t)
    if name in PROFILES:
        with pytest.raises(ValueError, match='instances must be positive'): sec3_grid(name, 'fig1', instances=0)
    if name in BENCH_PROFILES:
        with pytest.raises(ValueError, match='seeds must be positive'): table_grid('table1', name, seeds=0)

@pytest.mark.parametrize('name', list(SOURCES))
def test_source_without_its_files(name, tmp_path):
    if name == 'digits': assert len(load_source('digits', root=tmp_path).train.x) > 0; return
    with pytest.raises(DataMissingError) as e: load_source(name, root=tmp_path)
    assert e.value.dataset == name and str(tmp_path) in str(e.value)

@pytest.mark.parametrize('name', list(BENCHMARKS))
def test_benchmark_without_its_files(name, tmp_path):
    if name == 'digits-lt': assert load_benchmark('digits-lt', root=tmp_path).num_classes > 1; return
    with pytest.raises(DataMissingError) as e: load_benchmark(name, root=tmp_path)
    assert str(tmp_path) in str(e.value)

def _run_kinds():
    import importlib, pkgutil, invtransfer
    for m in pkgutil.iter_modules(invtransfer.__path__):   # every module, so the answer does not hang on what earlier tests imported
        importlib.import_module(f'invtransfer.{m.name}')
    from invtransfer.runs import Run
    kinds, todo = [], [Run]
    while todo:
        for k in todo.pop().__subclasses__():
            todo.append(k)
            if not k.__name__.startswith('_'): kinds.append(k)
    return kinds

def test_every_run_kind_follows_the_protocol():
    "Each kind of run is a frozen dataclass that says how to compute itself, with its records in a folder of its own (a kind that extends another may share its folder)."
    from invtransfer.runs import Run
    kinds = _run_kinds()
    assert {k.__name__ for k in kinds} >= {'Sec3Config', 'Sec5Config', 'MunitRun', 'BenchMunitRun', 'FidelityConfig', 'QualityCurve', 'ProbeRun'}
    roots = {}
    for k in kinds:
        assert dataclasses.is_dataclass(k) and k.__dataclass_params__.frozen, k
        assert k.execute is not Run.execute, f'{k.__name__} does not say how to compute itself'
        base = next(b for b in k.__mro__ if b.__dict__.get('folder'))
        assert roots.setdefault(k.folder, base) is base, f'{k.__name__} writes into the folder of {roots[k.folder].__name__}'
    assert sorted(roots) == ['fidelity', 'munit', 'probe', 'quality', 'sec3', 'sec5']
