"""How much subnormal floats slow a trained MUNIT on this CPU: training steps from a MUNIT checkpoint, side by side in one process and alternating,
as stored, with `MunitSpeed(flush_subnormal=True)`, with the CPU's flush-to-zero flag (`torch.set_flush_denormal`), and from a fresh initialisation.

    python tools/subnormal_bench.py results/gtsrb/munit/checkpoints/<key>.pt --threads 2
"""
import argparse, time
import torch
from invtransfer.munit import MunitConfig, MunitSpeed, MunitTrainer
from invtransfer.train import flush_subnormal

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('checkpoint'); p.add_argument('--threads', type=int, default=1); p.add_argument('--steps', type=int, default=6); p.add_argument('--repeats', type=int, default=2)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    st = torch.load(a.checkpoint, map_location='cpu', weights_only=True)
    cfg, (C, H, W) = MunitConfig(**st['config']), st['image_shape']
    def trainer(variant):
        tr = MunitTrainer(C, cfg, MunitSpeed(flush_subnormal=True) if variant == 'flush_subnormal' else None)
        if variant != 'fresh initialisation':
            tr.load_state_dict(st['model']); tr.opt_g.load_state_dict(st['opt_g']); tr.opt_d.load_state_dict(st['opt_d'])
        tr.train(); tr.set_lr(st['iteration']); return tr
    stored = trainer('as stored')
    n = flush_subnormal(stored.opt_g, count=True) + flush_subnormal(stored.opt_d, count=True)
    print(f'checkpoint at iteration {st["iteration"]}: {n:,} subnormal weights and Adam moments; {a.threads} thread(s), batch {cfg.batch_size}, {C}x{H}x{W}')
    g = torch.Generator().manual_seed(0)
    xa, xb = (torch.rand(cfg.batch_size, C, H, W, generator=g) * 2 - 1 for _ in range(2))
    sa, sb = (torch.randn(cfg.batch_size, cfg.style_dim, 1, 1, generator=g) for _ in range(2))
    res = {}
    for _ in range(a.repeats):
        for v in ('as stored', 'flush_subnormal', 'FTZ/DAZ flag', 'fresh initialisation'):
            torch.set_flush_denormal(v == 'FTZ/DAZ flag')
            tr = trainer(v); tr.step(xa, xb, sa, sb)
            t = time.perf_counter()
            for _ in range(a.steps): tr.step(xa, xb, sa, sb)
            res.setdefault(v, []).append(a.steps / (time.perf_counter() - t))
    torch.set_flush_denormal(False)
    base = res['as stored']
    for v, r in res.items():
        print(f'{v:22s} ' + ' '.join(f'{x:.3f}' for x in r) + f' it/s   over as stored: {min(r) / max(base):.2f} to {max(r) / min(base):.2f}')

if __name__ == '__main__': main()
