"""Our MUNIT training iteration against the official NVlabs one, at the paper's configuration, side by side in one run.

    python tools/bench_munit.py [--official DIR] [--rounds 3] [--seconds 6] [--speeds reference [cpu]] [--device cpu]
                                [--shapes 28x28x1:1 32x32x3:1 32x32x3:8] [--out results/bench]     (invtransfer bench munit)
    python tools/bench_munit.py --git-cost [--seconds 4]
    python tools/bench_munit.py --from-checkpoint results/gtsrb/munit/checkpoints/<key>.pt [--threads 2] [--steps 6] [--rounds 2]


Each measurement is its own process (import, build, two warm-up iterations, then iterations for `--seconds`, then one
iteration counted by torch's FLOP counter, so that the record says how much arithmetic each iteration does), and the
processes alternate: in every round each implementation runs once per shape, in a rotated order, so that a slow
spell of the machine falls on all of them alike. A ratio divides our rate by the official rate of the same round;
the table gives the median over rounds and the range. The official code is loaded by path from `--official` (default
../shared/anchors/nvlabs-munit beside the checkout, when it exists); the library never imports it. Without it, only
our rates are measured, and the output says so.

`--git-cost` instead times one ResNet20 training step (batch 128, 28x28) without augmentation, with the Oracle and with
GIT (p = 0.5) for each MUNIT configuration, as ratios to the plain step, all in this process.

`--from-checkpoint` instead times training steps from a MUNIT training checkpoint (a trained MUNIT holds subnormal
weights and Adam moments, on which CPU arithmetic takes a slow path): as stored, with `MunitSpeed(flush_subnormal=True)`,
with the CPU's flush-to-zero flag (`torch.set_flush_denormal`) and from a fresh initialisation, alternating in this
process, `--steps` steps each per round on `--threads` threads; ratios are to the stored state's rate of the same round.
It writes results/bench/munit-checkpoint-cpu-<date>-<threads>threads.json.
"""
import argparse, json, os, platform, subprocess, sys, time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OFFICIAL = ROOT.parent/'shared'/'anchors'/'nvlabs-munit'


def worker(impl: str, hw: int, ch: int, batch: int, seconds: float, device: str, official: str | None) -> dict:
    "Iterations per second of one implementation, measured in this process."
    import torch
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)
    if impl == 'official':
        sys.path.insert(0, official)
        from official_munit import official_iteration
        step = official_iteration(hw=hw, ch=ch, batch=batch, device=device)
    else:
        from dataclasses import replace
        from invtransfer.munit import MUNIT_CONFIGS, MUNIT_SPEEDS, MunitTrainer
        cfg = replace(MUNIT_CONFIGS['paper'], batch_size=batch)
        tr = MunitTrainer(ch, cfg, MUNIT_SPEEDS[impl]).to(device); tr.train()
        xa, xb = (torch.rand(batch, ch, hw, hw, device=device) * 2 - 1 for _ in range(2))
        it = {'n': 0}
        def step():
            tr.set_lr(it['n']); it['n'] += 1
            sa, sb = (torch.randn(batch, cfg.style_dim, 1, 1, device=device) for _ in range(2))
            tr.step(xa, xb, sa, sb)
    from torch.utils.flop_counter import FlopCounterMode
    t0 = time.perf_counter()
    for _ in range(2): step()
    sync(); warm = time.perf_counter() - t0
    n, t0 = 0, time.perf_counter()
    while n < 3 or time.perf_counter() - t0 < seconds: step(); n += 1
    sync(); rate = n / (time.perf_counter() - t0)
    with FlopCounterMode(display=False) as fc: step()   # after the timing: counting slows the iteration it counts
    return {'it_per_s': rate, 'iterations': n, 'warmup_s': warm, 'threads': torch.get_num_threads(), 'gflop': fc.get_total_flops() / 1e9}


def git_cost(seconds: float, device: str):
    "Print the time of a ResNet20 step with the Oracle and with GIT on each MUNIT configuration, relative to a plain step."
    import numpy as np, torch
    import torch.nn.functional as F
    from invtransfer.munit import MUNIT_CONFIGS, MunitTrainer, MunitNuisance
    from invtransfer.git import GITAugment, GITConfig, LearnedNuisance, OracleNuisance
    from invtransfer.models import make_model
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)
    def rate(fn):
        fn(); sync(); n, t0 = 0, time.perf_counter()
        while n < 2 or time.perf_counter() - t0 < seconds: fn(); n += 1
        sync(); return n / (time.perf_counter() - t0)
    N, B, rng = 2048, 128, np.random.default_rng(0)
    clean = (rng.random((N, 28, 28)) > 0.8).astype(np.uint8) * 255
    y = rng.integers(0, 10, N)
    X, Y = torch.rand(N, 1, 28, 28, device=device), torch.as_tensor(y, device=device)
    model = make_model('resnet20', 1, 10).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    state = {'step': 0}
    def step(aug):
        b = torch.as_tensor(rng.choice(N, B), device=device)
        xb, yb = aug(X, Y, b, 0, state['step']) if aug else (X[b], Y[b])
        state['step'] += 1
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
    print(f'# ResNet20 training step, batch 128, 28x28x1, GIT p = 0.5, no cutoff ({machine(device)})\n')
    plain = rate(lambda: step(None))
    print(f'| augmentation | steps/s | time per step vs plain |\n|---|---|---|\n| none | {plain:.2f} | 1.00 |')
    oracle = GITAugment(OracleNuisance(clean, 'bg'), y, GITConfig())
    r = rate(lambda: step(oracle))
    print(f'| Oracle (true BG) | {r:.2f} | {plain / r:.2f} |')
    for name in ('smoke', 'kmnist', 'paper'):
        tr = MunitTrainer(1, MUNIT_CONFIGS[name])
        git = GITAugment(LearnedNuisance(MunitNuisance(tr.gen_a, tr.gen_b, (1, 28, 28)).to(device)), y, GITConfig())
        r = rate(lambda: step(git))
        print(f'| GIT, MUNIT `{name}` | {r:.2f} | {plain / r:.2f} |', flush=True)


CHECKPOINT_VARIANTS = ('as stored', 'flush_subnormal', 'FTZ/DAZ flag', 'fresh initialisation')

def checkpoint_cost(path: Path, threads: int, steps: int, rounds: int) -> dict:
    "Training steps per second from a MUNIT training checkpoint, for each of CHECKPOINT_VARIANTS, alternating in this process."
    import torch
    from invtransfer.munit import MunitConfig, MunitSpeed, MunitTrainer
    from invtransfer.train import flush_subnormal
    torch.set_num_threads(threads)
    try: st = torch.load(path, map_location='cpu', weights_only=True)
    except FileNotFoundError: raise ValueError(f'no MUNIT checkpoint at {path}') from None
    except Exception as e: raise ValueError(f'{path} is not a readable MUNIT training checkpoint ({type(e).__name__})') from None
    if not isinstance(st, dict) or not {'config', 'image_shape', 'model', 'opt_g', 'opt_d', 'iteration'} <= set(st):
        raise ValueError(f'{path} is not a MUNIT training checkpoint (it lacks the model, optimisers, configuration or iteration)')
    cfg, (C, H, W), speed = MunitConfig(**st['config']), st['image_shape'], st.get('speed', {})
    def trainer(variant):
        tr = MunitTrainer(C, cfg, MunitSpeed(**{**speed, 'flush_subnormal': variant == 'flush_subnormal' or None}))
        if variant != 'fresh initialisation':
            tr.load_state_dict(st['model']); tr.opt_g.load_state_dict(st['opt_g']); tr.opt_d.load_state_dict(st['opt_d'])
        tr.train(); tr.set_lr(st['iteration']); return tr
    stored = trainer('as stored')
    n = flush_subnormal(stored.opt_g, count=True) + flush_subnormal(stored.opt_d, count=True)
    g = torch.Generator().manual_seed(0)
    xa, xb = (torch.rand(cfg.batch_size, C, H, W, generator=g) * 2 - 1 for _ in range(2))
    sa, sb = (torch.randn(cfg.batch_size, cfg.style_dim, 1, 1, generator=g) for _ in range(2))
    rates = {v: [] for v in CHECKPOINT_VARIANTS}
    try:
        for _ in range(rounds):
            for v in CHECKPOINT_VARIANTS:
                torch.set_flush_denormal(v == 'FTZ/DAZ flag')
                tr = trainer(v); tr.step(xa, xb, sa, sb)
                t = time.perf_counter()
                for _ in range(steps): tr.step(xa, xb, sa, sb)
                rates[v].append(steps / (time.perf_counter() - t))
    finally: torch.set_flush_denormal(False)
    ratio = {v: [r / b for r, b in zip(rates[v], rates['as stored'])] for v in CHECKPOINT_VARIANTS[1:]}
    return {'iteration': st['iteration'], 'subnormals': n, 'image_shape': [C, H, W], 'batch': cfg.batch_size,
            'threads': threads, 'steps': steps, 'rounds': rounds, 'it_per_s': rates, 'ratio': ratio}


def machine(device: str) -> str:
    import torch
    from invtransfer.munit import cpu_capability
    if device.startswith('cuda'): return f"{torch.cuda.get_device_name(device)}, {cpu_capability('cuda')}"
    name = platform.processor() or platform.machine()
    try: name = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): pass
    return f'{name}, {os.cpu_count()} cores, {torch.get_num_threads()} threads, {cpu_capability()}'


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--official', default=str(DEFAULT_OFFICIAL), help='folder holding official_munit.py and official/ (default: %(default)s)')
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--seconds', type=float, default=6.0)
    p.add_argument('--speeds', nargs='+', help="our MUNIT_SPEEDS to time (default: 'reference' and, where it differs, speed_for(device): the entry for this machine)")
    p.add_argument('--shapes', nargs='+', default=['28x28x1:1', '32x32x3:1', '32x32x3:8'], help='HxWxC:batch')
    p.add_argument('--device', default='cpu')
    p.add_argument('--out', default=str(ROOT/'results'/'bench'))
    p.add_argument('--git-cost', action='store_true', help='time a classifier step with GIT instead (see above)')
    p.add_argument('--from-checkpoint', metavar='PATH', help='time steps from a MUNIT training checkpoint instead (see above)')
    p.add_argument('--threads', type=int, default=1, help='threads for --from-checkpoint (default: %(default)s)')
    p.add_argument('--steps', type=int, default=6, help='steps per variant and round for --from-checkpoint (default: %(default)s)')
    p.add_argument('--worker', nargs=5, metavar=('IMPL', 'HW', 'CH', 'BATCH', 'SECONDS'), help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker:
        impl, hw, ch, batch, seconds = a.worker
        print(json.dumps(worker(impl, int(hw), int(ch), int(batch), float(seconds), a.device, a.official))); return 0
    if a.git_cost: git_cost(a.seconds, a.device); return 0
    if a.from_checkpoint: return _checkpoint_main(a, argv)

    from invtransfer.munit import MUNIT_SPEEDS, speed_for
    a.speeds = a.speeds or list(dict.fromkeys(['reference', speed_for(a.device)]))
    shapes = []
    try:
        for s in a.speeds: MUNIT_SPEEDS.get(s)   # an unknown name stops here, with the known ones
        for s in a.shapes:
            try: size, batch = s.split(':'); h, w, c = map(int, size.split('x')); shapes.append((h, c, int(batch)))
            except ValueError: raise ValueError(f'shape {s!r} is not HxWxC:batch (e.g. 32x32x3:8)') from None
            if h != w or min(h, c, int(batch)) <= 0: raise ValueError(f'shape {s!r}: square images and positive sizes only')
    except ValueError as e:
        print(f'error: {e}', file=sys.stderr); return 2
    have_official = (Path(a.official)/'official_munit.py').exists()
    if not have_official: print(f'official MUNIT not found at {a.official}: timing ours only (give its folder with --official)')
    impls = (['official'] if have_official else []) + a.speeds
    where = machine(a.device)
    print(f'# MUNIT training iterations/s at the paper configuration ({where}; {a.rounds} rounds, {a.seconds:g} s each, one process per measurement)\n')
    rows = []
    for hw, ch, batch in shapes:
        rates, gflop = {i: [] for i in impls}, {}
        for r in range(a.rounds):
            order = impls[r % len(impls):] + impls[:r % len(impls)]
            for impl in order:
                out = subprocess.run([sys.executable, __file__, '--worker', impl, str(hw), str(ch), str(batch), str(a.seconds),
                                      '--device', a.device, '--official', a.official], capture_output=True, text=True, cwd=ROOT)
                if out.returncode: raise SystemExit(f'error: the {impl} worker failed at {hw}x{hw}x{ch} batch {batch}:\n{out.stderr[-2000:]}')
                got = json.loads(out.stdout.strip().splitlines()[-1])
                rates[impl].append(got['it_per_s']); gflop[impl] = got['gflop']
        row = {'shape': f'{hw}x{hw}x{ch}', 'batch': batch, 'it_per_s': rates, 'gflop_per_it': gflop}
        if have_official:
            row['ratio'] = {s: sorted(o / b for o, b in zip(rates[s], rates['official'])) for s in a.speeds}
        rows.append(row)
        med = lambda v: sorted(v)[len(v) // 2]
        cells = [f"{med(rates[i]):.2f}" for i in impls]
        if have_official: cells += [f"{med(row['ratio'][s]):.2f} [{min(row['ratio'][s]):.2f}, {max(row['ratio'][s]):.2f}]" for s in a.speeds]
        if len(rows) == 1:
            head = [f'{i} it/s' for i in impls] + ([f'{s} / official' for s in a.speeds] if have_official else [])
            print('| shape | batch | ' + ' | '.join(head) + ' |\n|---|---|' + '---|' * len(head))
        print(f'| {hw}x{hw}x{ch} | {batch} | ' + ' | '.join(cells) + ' |', flush=True)
    print('\nFloating-point operations per iteration (torch.utils.flop_counter: convolutions and matrix products), and the rate each reached (median it/s x GFLOP):\n')
    print('| shape | batch | ' + ' | '.join(f'{i} GFLOP/it | {i} GFLOP/s' for i in impls) + ' |\n|---|---|' + '---|---|' * len(impls))
    for row in rows:
        med = lambda v: sorted(v)[len(v) // 2]
        print(f"| {row['shape']} | {row['batch']} | " + ' | '.join(f"{row['gflop_per_it'][i]:.2f} | {row['gflop_per_it'][i] * med(row['it_per_s'][i]):.1f}" for i in impls) + ' |')
    res = {'machine': where, 'device': a.device, **_provenance(argv),
           'rounds': a.rounds, 'seconds': a.seconds, 'official': a.official if have_official else None,
           'speeds': {s: asdict(MUNIT_SPEEDS[s]) for s in a.speeds}, 'rows': rows}
    _write(res, Path(a.out)/f"munit-{'cuda' if a.device.startswith('cuda') else 'cpu'}-{res['date']}.json")
    return 0


def _provenance(argv) -> dict:
    import torch
    from invtransfer.runs import project_commit
    return {'date': time.strftime('%Y-%m-%d'), 'torch': torch.__version__, 'commit': project_commit(),
            'command': 'python tools/bench_munit.py ' + ' '.join(argv if argv is not None else sys.argv[1:])}


def _write(res: dict, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix('.tmp'); tmp.write_text(json.dumps(res, indent=1) + '\n'); tmp.replace(path)
    print(f'\nwritten {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}')


def _checkpoint_main(a, argv) -> int:
    "--from-checkpoint: print and record checkpoint_cost."
    if a.device != 'cpu' or min(a.threads, a.steps, a.rounds) <= 0:
        print('error: --from-checkpoint measures the CPU (--device cpu) with positive --threads, --steps and --rounds', file=sys.stderr); return 2
    try: got = checkpoint_cost(Path(a.from_checkpoint), a.threads, a.steps, a.rounds)
    except ValueError as e: print(f'error: {e}', file=sys.stderr); return 2
    where = machine('cpu')
    print(f"# MUNIT training steps/s from {a.from_checkpoint} (iteration {got['iteration']}: {got['subnormals']:,} subnormal weights and Adam moments; "
          f"batch {got['batch']}, {'x'.join(map(str, got['image_shape']))}; {where}; {a.rounds} rounds of {a.steps} steps, alternating)\n")
    print('| variant | it/s per round | over as stored, same round |\n|---|---|---|')
    for v, r in got['it_per_s'].items():
        q = got['ratio'].get(v)
        print(f"| {v} | {' '.join(f'{x:.2f}' for x in r)} | " + (f'{min(q):.2f}–{max(q):.2f}' if q else '1') + ' |')
    prov = _provenance(argv)
    _write({'machine': where, 'device': 'cpu', **prov, 'checkpoint': str(a.from_checkpoint), **got},
           Path(a.out)/f"munit-checkpoint-cpu-{prov['date']}-{a.threads}threads.json")
    return 0


if __name__ == '__main__':
    sys.exit(main())
