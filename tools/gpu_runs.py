"""Run Section 5 configurations on a GPU machine that cannot hold the GTSRB files, several processes sharing one GPU.

The device machines of this project take at most 64 MiB of files, and `gtsrb32/` is 119 MB. So the GTSRB-LT split is
built here from the md5-checked files (`pack`), shipped as one compressed pickle, and on the GPU machine every process
reads the benchmark from it instead of from `$INVTRANSFER_DATA` (the only thing this script changes). The
configurations are those of `invtransfer.tables` (`table_grid`), each run goes through `invtransfer.sweep.run_sweep`,
and the records are the library's own. Workers take runs from one queue (a claim file per run) and start no run that
would not finish before `--deadline` seconds, judged from the runs they have finished. `--seed-first` queues every
cell's first run before any second run, so a call cut short leaves every cell with as many runs as possible.
`--extra git-from-switch-epoch longer-munit` adds the Section 5 page's variants (GIT from the switch epoch; GIT on the longer-trained
MUNIT, for each named table it covers: Table 3's rows and Table 1's rows with the cutoff K) for their rows. The MUNIT runs the queue needs are trained first, in one process, so workers never race to train one.

    python tools/gpu_runs.py pack .devdata/gtsrb-lt.pkl.xz                                    # here, with the data
    python tools/gpu_runs.py run ROOT --profile gpu --tables table1 table2 --pack .devdata/gtsrb-lt.pkl.xz --procs 15   # there
    python tools/gpu_runs.py run ROOT --profile gpu --tables table3 --extra git-from-switch-epoch longer-munit --pack ... --seed-first
"""
import argparse, lzma, os, pickle, subprocess, sys, time
from pathlib import Path

def pack(out: Path, name: str = 'gtsrb-lt'):
    "Write benchmark `name` (split seed 0, default settings) to `out`, built from the data folder."
    from invtransfer.benchruns import bench
    b = bench(name, 0, ())
    out.parent.mkdir(parents=True, exist_ok=True)
    delta = [{'id': lzma.FILTER_DELTA, 'dist': 3}, {'id': lzma.FILTER_LZMA2, 'preset': 6}]   # RGB bytes: 6 % smaller than plain xz
    out.write_bytes(lzma.compress(pickle.dumps({(name, 0, ()): b}), format=lzma.FORMAT_XZ, filters=delta))
    print(out, out.stat().st_size / 1e6, 'MB', b.spec)

def use_pack(path: Path):
    "Make the benchmark runs and the fidelity judges read benchmarks from the pack (and nothing else)."
    import invtransfer.benchruns, invtransfer.fidelity
    packed = pickle.loads(lzma.decompress(Path(path).read_bytes()))
    def bench(name, seed=0, data=()):
        k = (name, seed, tuple(map(tuple, data)))
        if k not in packed: raise FileNotFoundError(f'benchmark {k} is not in the pack {path}')
        return packed[k]
    invtransfer.benchruns.bench = invtransfer.fidelity.bench = bench

EXTRAS = ('git-from-switch-epoch', 'longer-munit')

def queue(profile: str, tables: list, rows=None, seed_first=False, extras=()) -> list:
    "The classifier runs of the tables (and `extras`) under `profile`, table by table, or seed by seed."
    from invtransfer.recipes import table_grid
    from invtransfer.variants import switch_epoch_grid, longer_munit_grid, SWITCH_EPOCH_ROWS, LONGER_MUNIT_TABLES
    from invtransfer.benchruns import Sec5Config
    pick = lambda names: [r for r in names if rows is None or r in rows]
    grids = [table_grid(t, profile, rows=rows) for t in tables]
    if 'git-from-switch-epoch' in extras: grids.append(switch_epoch_grid(profile, rows=pick(SWITCH_EPOCH_ROWS)))
    if 'longer-munit' in extras: grids += [longer_munit_grid(profile, rows=pick(LONGER_MUNIT_TABLES[t]), table=t) for t in tables if t in LONGER_MUNIT_TABLES]
    out = {}
    for g in grids:
        for c in g:
            if isinstance(c, Sec5Config): out.setdefault(c.key, c)
    return sorted(out.values(), key=lambda c: c.seed) if seed_first else list(out.values())   # seed_first: every cell gets n = 1, then 2, ...

def worker(a):
    from invtransfer.sweep import run_sweep
    use_pack(a.pack)
    root, end, took = Path(a.root), a.t0 + a.deadline, []
    claims = root/'.claims'/f'{a.t0:.0f}'; claims.mkdir(parents=True, exist_ok=True)   # one queue per call: a rerun retries what a killed call left
    for c in queue(a.profile, a.tables, a.rows, a.seed_first, a.extra):
        if took and time.time() + 1.1 * max(took) > end: break
        try: os.close(os.open(claims/c.key, os.O_CREAT | os.O_EXCL))
        except FileExistsError: continue
        t = time.time(); s = run_sweep([c], device=a.device, root=root, progress=False); took.append(time.time() - t)
        print(f'{time.time() - a.t0:6.0f} s  worker {a.i}: {c.label} seed {c.seed} {c.key} {s} {took[-1]:.0f} s', flush=True)

def munit_runs(q: list) -> list: return list({c.munit_run.key: c.munit_run for c in q if c.munit is not None}.values())

def run(a):
    from invtransfer.sweep import run_sweep
    use_pack(a.pack)
    if (m := munit_runs(queue(a.profile, a.tables, a.rows, extras=a.extra))):   # cached ones are only read
        t = time.time(); print(f'MUNIT runs first: {run_sweep(m, device=a.device, root=Path(a.root), progress=False)} {time.time() - t:.0f} s', flush=True)
    t0 = time.time()
    args = [sys.executable, __file__, 'worker', a.root, '--profile', a.profile, '--pack', a.pack, '--deadline', str(a.deadline), '--device', a.device,
            '--t0', str(t0), '--tables', *a.tables] + (['--rows', *a.rows] if a.rows else []) + (['--seed-first'] if a.seed_first else []) + (['--extra', *a.extra] if a.extra else [])
    ps = [subprocess.Popen(args + ['--i', str(i)], env={**os.environ, 'OMP_NUM_THREADS': '1'}) for i in range(a.procs)]
    rc = [p.wait() for p in ps]
    print(f'{a.procs} processes: exit codes {rc}, {time.time() - t0:.0f} s', flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('cmd', choices=['pack', 'run', 'worker'])
    ap.add_argument('root')
    ap.add_argument('--pack'); ap.add_argument('--profile', default='gpu'); ap.add_argument('--benchmark', default='gtsrb-lt'); ap.add_argument('--tables', nargs='+', default=['table1'])
    ap.add_argument('--rows', nargs='+'); ap.add_argument('--seed-first', action='store_true', help='queue every cell\'s first seed, then every second, ...')
    ap.add_argument('--extra', nargs='+', default=[], choices=EXTRAS, help='also the late-GIT and longer-MUNIT tests')
    ap.add_argument('--procs', type=int, default=8); ap.add_argument('--deadline', type=float, default=540)
    ap.add_argument('--t0', type=float); ap.add_argument('--i', type=int); ap.add_argument('--device', default='cuda')
    a = ap.parse_args()
    if a.cmd == 'pack': pack(Path(a.root), a.benchmark)
    elif a.cmd == 'run': run(a)
    else: worker(a)
