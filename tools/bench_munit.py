"""Throughput of MUNIT training and the cost of GIT per classifier step, measured side by side in one run.

    python tools/bench_munit.py [--device cpu|cuda] [--seconds 4] [--configs smoke kmnist paper]

Prints MUNIT iterations/s at 28x28x1 and 32x32x3 for batch 1 and 16, then the time of one ResNet20 training step
(batch 128, 28x28) without augmentation, with the Oracle, and with GIT (p = 0.5) for each MUNIT configuration, as
ratios to the plain step.
"""
import argparse, time
from dataclasses import replace
import numpy as np
import torch
import torch.nn.functional as F
from invtransfer.munit import MUNIT_CONFIGS, MunitTrainer, MunitNuisance
from invtransfer.git import GITAugment, GITConfig, LearnedNuisance, OracleNuisance
from invtransfer.models import make_model


def rate(fn, seconds, sync):
    fn(); sync()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds: fn(); n += 1
    sync()
    return n / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--device', default='cpu')
    p.add_argument('--seconds', type=float, default=4)
    p.add_argument('--configs', nargs='+', default=['smoke', 'kmnist', 'paper'])
    a = p.parse_args()
    dev = a.device
    sync = torch.cuda.synchronize if dev.startswith('cuda') else (lambda: None)
    where = torch.cuda.get_device_name(dev) if dev.startswith('cuda') else f'CPU, {torch.get_num_threads()} threads'
    print(f'# MUNIT training iterations/s ({where})')
    print('| configuration | 28x28x1 batch 1 | 28x28x1 batch 16 | 32x32x3 batch 1 | 32x32x3 batch 16 |')
    print('|---|---|---|---|---|')
    for name in a.configs:
        row = []
        for hw, ch in [(28, 1), (32, 3)]:
            for bs in (1, 16):
                tr = MunitTrainer(ch, replace(MUNIT_CONFIGS[name], batch_size=bs)).to(dev)
                x = torch.rand(bs, ch, hw, hw, device=dev) * 2 - 1
                s = lambda: torch.randn(bs, 8, 1, 1, device=dev)
                row.append(rate(lambda: tr.step(x, x, s(), s()), a.seconds, sync))
        print(f'| {name} | ' + ' | '.join(f'{r:.2f}' for r in row) + ' |', flush=True)

    print(f'\n# ResNet20 training step, batch 128, 28x28x1, GIT p = 0.5, no cutoff ({where})')
    N, B = 2048, 128
    rng = np.random.default_rng(0)
    clean = (rng.random((N, 28, 28)) > 0.8).astype(np.uint8) * 255
    y = rng.integers(0, 10, N)
    X, Y = torch.rand(N, 1, 28, 28, device=dev), torch.as_tensor(y, device=dev)
    model = make_model('resnet20', 1, 10).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    state = {'step': 0}

    def step(aug):
        b = torch.as_tensor(rng.choice(N, B), device=dev)
        xb, yb = aug(X, Y, b, 0, state['step']) if aug else (X[b], Y[b])
        state['step'] += 1
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()

    plain = rate(lambda: step(None), a.seconds, sync)
    print('| augmentation | steps/s | time per step vs plain |')
    print('|---|---|---|')
    print(f'| none | {plain:.2f} | 1.00 |')
    oracle = GITAugment(OracleNuisance(clean, 'bg'), y, GITConfig())
    r = rate(lambda: step(oracle), a.seconds, sync)
    print(f'| Oracle (true BG) | {r:.2f} | {plain / r:.2f} |')
    for name in a.configs:
        tr = MunitTrainer(1, MUNIT_CONFIGS[name])
        tilde = MunitNuisance(tr.gen_a, tr.gen_b, (1, 28, 28)).to(dev)
        git = GITAugment(LearnedNuisance(tilde), y, GITConfig())
        r = rate(lambda: step(git), a.seconds, sync)
        print(f'| GIT, MUNIT `{name}` | {r:.2f} | {plain / r:.2f} |', flush=True)


if __name__ == '__main__':
    main()
