"""Throughput of the one-at-a-time trainer vs the vectorized one, of eKLD evaluation, and of MUNIT, measured side by side in one run.

    python tools/bench.py [--device cpu|cuda] [--members 1 8 30] [--seconds 6] [--out results/bench]   (make bench)

Training is timed on K49-sized long-tailed instances: 7,864 images of 28x28 in 49 classes with the K49 size list
(zipf_sizes(49, 4828)). K49 itself is not on these machines, so the images are KMNIST's (cycled over 49 labels) when
$INVTRANSFER_DATA has KMNIST, else random; the arithmetic is the same either way. Every number in a table is a rate
measured in this run, and every ratio divides two rates measured in this run.
"""
import argparse, json, sys, time
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F
from invtransfer.data import Split, zipf_sizes, build_lt_instance, load_source
from invtransfer.metrics import ekld_per_class, model_log_proba, to_tensor
from invtransfer.models import make_model
from invtransfer.munit import MUNIT_CONFIGS, MunitTrainer
from invtransfer.runs import device_name
from invtransfer.vectorized import Ensemble, ekld_members

B = 128


WARMUP = {'s': 0.0}   # seconds the last warm-up call took (for torch.compile: the compilation)

def rate(fn, seconds, sync, min_calls=2):
    "Calls per second of fn after one warm-up call, over at least `seconds` and `min_calls` calls."
    t0 = time.perf_counter(); fn(); sync(); WARMUP['s'] = time.perf_counter() - t0
    n, t0 = 0, time.perf_counter()
    while n < min_calls or time.perf_counter() - t0 < seconds: fn(); n += 1
    sync()
    return n / (time.perf_counter() - t0)


def k49_sized_pool(seed=0):
    "A 49-class pool of 28x28 images: KMNIST images cycled over 49 labels if available, else random strokes."
    try: x = load_source('kmnist').train.x; src = 'KMNIST images relabelled into 49 classes'
    except FileNotFoundError:
        x = (np.random.default_rng(seed).random((6000, 28, 28)) > 0.8).astype(np.uint8) * 255; src = 'random images (KMNIST not found)'
    return Split(x, np.arange(len(x)) % 49), src


def trainers(inst, members, dev, seconds, sync, amp=False, compile=False, channels_last=False):
    "Images/s of one plain SGD step (one model) and of one vectorized step over `members` models."
    X = to_tensor(inst.x).to(dev); Y = torch.as_tensor(inst.y, device=dev)
    rng = np.random.default_rng(0)
    batch = lambda: torch.as_tensor(rng.choice(len(inst.y), B), device=dev)
    models = [make_model('resnet20', 1, 49).to(dev) for _ in range(members)]
    if members == 0 or channels_last:   # one model at a time, as train_classifier does
        m = models[0] if models else make_model('resnet20', 1, 49).to(dev)
        if channels_last: m = m.to(memory_format=torch.channels_last)
        opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=2e-4)
        def step():
            b = batch(); xb = X[b]
            if channels_last: xb = xb.contiguous(memory_format=torch.channels_last)
            loss = F.cross_entropy(m(xb), Y[b]); opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); loss.item()
        return B * rate(step, seconds, sync)
    ens = Ensemble(models)
    opt = torch.optim.SGD(ens.params.values(), lr=0.01, momentum=0.9, weight_decay=2e-4)
    fwd = torch.compile(ens.__call__) if compile else ens.__call__
    Xs, Ys = X.expand(members, *X.shape), Y.expand(members, len(Y))
    rows = torch.arange(members, device=dev)[:, None]
    def vstep():
        b = torch.stack([batch() for _ in range(members)])
        with (torch.autocast(torch.device(dev).type, dtype=torch.bfloat16) if amp else torch.autocast('cpu', enabled=False)):
            logits = fwd(Xs[rows, b], train=True)
        losses = F.cross_entropy(logits.float().flatten(0, 1), Ys[rows, b].flatten(), reduction='none').view(members, -1).mean(1)
        opt.zero_grad(set_to_none=True); losses.sum().backward(); opt.step()
    return B * members * rate(vstep, seconds, sync)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--device', default='cpu')
    p.add_argument('--members', type=int, nargs='+', default=[1, 8, 30])
    p.add_argument('--seconds', type=float, default=6)
    p.add_argument('--options', action=argparse.BooleanOptionalAction, default=True, help='also time bfloat16, channels-last and torch.compile')
    p.add_argument('--ekld-images', type=int, default=10, help='eKLD draws per class (the paper: 40 x 100)')
    p.add_argument('--ekld-transforms', type=int, default=20)
    p.add_argument('--ekld-members', type=int, nargs='+', default=[1, 8])
    p.add_argument('--out', default='results/bench')
    a = p.parse_args()
    dev = a.device
    sync = torch.cuda.synchronize if dev.startswith('cuda') else (lambda: None)
    where = device_name(dev)
    stamp = time.strftime('%Y-%m-%d')
    out = {'machine': where, 'date': stamp, 'torch': torch.__version__, 'train': {}, 'options': {}, 'ekld': {}, 'munit': {}}
    pool, pool_src = k49_sized_pool()
    inst = build_lt_instance(pool, zipf_sizes(49, 4828, 2.0, 5), 'bg', 0)
    print(f'# Training throughput ({where}, torch {torch.__version__}, {stamp})\n')
    print(f'ResNet20, batch {B}, on a K49-sized long-tailed instance ({len(inst.y)} images, 49 classes; {pool_src}).\n')
    one = trainers(inst, 0, dev, a.seconds, sync)
    out['train']['one-at-a-time'] = one
    print('| trainer | images/s | vs one at a time |\n|---|---|---|')
    print(f'| one at a time (an SGD step as in train_classifier, contiguous layout) | {one:,.0f} | 1.00 |', flush=True)
    for M in a.members:
        r = trainers(inst, M, dev, a.seconds, sync)
        out['train'][f'vectorized M={M}'] = r
        print(f'| vectorized, M = {M} | {r:,.0f} | {r / one:.2f} |', flush=True)

    if a.options:
        M = 8 if 8 in a.members else a.members[0]
        base = out['train'][f'vectorized M={M}']
        print(f'\n## Options (each against its own baseline, measured in this run)\n')
        print('| option | images/s | vs without |\n|---|---|---|')
        cl = trainers(inst, 0, dev, a.seconds, sync, channels_last=True)
        print(f'| channels-last, one at a time | {cl:,.0f} | {cl / one:.2f} |', flush=True)
        bf = trainers(inst, M, dev, a.seconds, sync, amp=True)
        print(f'| bfloat16 autocast, vectorized M = {M} | {bf:,.0f} | {bf / base:.2f} |', flush=True)
        co = trainers(inst, M, dev, a.seconds, sync, compile=True)
        print(f"| torch.compile, vectorized M = {M} (after a first step of {WARMUP['s']:.0f} s that compiles, not counted) | {co:,.0f} | {co / base:.2f} |", flush=True)
        out['options'] = {'channels_last_one': cl, 'bf16_vectorized': bf, 'compile_vectorized': co, 'members': M}

    print(f'\n# eKLD evaluation ({a.ekld_images} images x {a.ekld_transforms} copies per class, 49 classes, ROT)\n')
    test = Split(pool.x[:2000], pool.y[:2000])
    print('| evaluation | forward passes/s | vs reference |\n|---|---|---|')
    models = [make_model('resnet20', 1, 49).to(dev).eval() for _ in range(max(a.ekld_members))]
    n_pass = lambda M: M * 49 * a.ekld_images * (a.ekld_transforms + 1)
    t0 = time.perf_counter(); ekld_per_class(model_log_proba(models[0], dev), test, 'rot', a.ekld_images, a.ekld_transforms); sync()
    ref = n_pass(1) / (time.perf_counter() - t0)
    out['ekld']['reference'] = ref
    print(f'| reference: PIL/numpy copies, one model (ekld_per_class) | {ref:,.0f} | 1.00 |', flush=True)
    for M in a.ekld_members:
        ens = Ensemble(models[:M])
        t0 = time.perf_counter(); ekld_members(ens, test, 'rot', a.ekld_images, a.ekld_transforms, device=dev); sync()
        r = n_pass(M) / (time.perf_counter() - t0)
        out['ekld'][f'batched M={M}'] = r
        how = 'tensor copies on the GPU, vmap' if dev.startswith('cuda') else 'PIL copies made once for all members, members one after another'
        print(f'| batched, M = {M} (ekld_members: {how}) | {r:,.0f} | {r / ref:.2f} |', flush=True)

    runs, train_imgs, ekld_passes = 180, 50 * len(inst.y), 49 * 40 * 101
    best = max(a.members, key=lambda M: out['train'][f'vectorized M={M}'])
    best_e = max(a.ekld_members, key=lambda M: out['ekld'][f'batched M={M}'])
    proj = lambda tr, ev: runs * (train_imgs / tr + ekld_passes / ev) / 60
    out['projection_min'] = {'one-at-a-time': proj(one, ref),
                             f'vectorized M={best}': proj(out['train'][f'vectorized M={best}'], out['ekld'][f'batched M={best_e}'])}
    print(f'\nProjected from these rates (not run): the paper-scale Section 3 sweep ({runs} runs x 50 epochs of {len(inst.y)} images, '
          f'eKLD 40 x 100 per class) would take {proj(one, ref):,.0f} min one at a time and '
          f"{out['projection_min'][f'vectorized M={best}']:,.0f} min with the fastest vectorized setting measured here (M = {best}).")

    print(f'\n# MUNIT training iterations/s (28x28x1; batch 1 as in the paper, and 8 as in the kmnist configuration)\n')
    print('| configuration | batch 1 | batch 8 |\n|---|---|---|')
    for name in ('smoke', 'kmnist', 'paper'):
        row = []
        for bs in (1, 8):
            tr = MunitTrainer(1, replace(MUNIT_CONFIGS[name], batch_size=bs)).to(dev)
            x = torch.rand(bs, 1, 28, 28, device=dev) * 2 - 1
            s = lambda: torch.randn(bs, 8, 1, 1, device=dev)
            row.append(rate(lambda: tr.step(x, x, s(), s()), a.seconds / 2, sync))
        out['munit'][name] = row
        print(f'| {name} | {row[0]:.2f} | {row[1]:.2f} |', flush=True)

    path = Path(a.out)/f"{'cuda' if dev.startswith('cuda') else 'cpu'}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True); path.write_text(json.dumps(out, indent=1) + '\n')
    print(f'\nwritten {path}')


if __name__ == '__main__':
    main()
