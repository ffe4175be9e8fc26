"""Sweeps on a 2-worker Dask cluster on loopback: a killed worker loses no finished result, and a re-run completes the rest."""
import json, os, signal, subprocess, sys, threading, time
from pathlib import Path
import dask
import torch
from invtransfer.experiment import sec3_grid
from invtransfer.sweep import DaskExecutor, run_sweep


def configs():
    "8 runs (BG and DIL, ERM and CE+DRS, 2 instances) of ResNet20 for 6 epochs: a few seconds per group of 2."
    return sec3_grid('smoke', nuisances=['bg', 'dil'], instances=2, epochs=6)


def in_progress(root: Path) -> bool:
    "At least one run finished and another has a checkpoint but no result yet."
    sec3 = root/'sec3'
    done = {p.stem for p in sec3.glob('*.json')}
    running = {p.stem for p in (sec3/'checkpoints').glob('*.pt')} - done
    return bool(done) and bool(running)


def test_killed_worker_loses_nothing_and_a_rerun_completes(tmp_path):
    local, shared = tmp_path/'local', tmp_path/'shared'
    threads = torch.get_num_threads(); torch.set_num_threads(1)   # the workers use one thread too: same sums, same bits
    try: assert run_sweep(configs(), root=local, members=2, progress=False)['computed'] == 8
    finally: torch.set_num_threads(threads)

    # no automatic rescheduling of a task whose worker died: the lost group must be finished by the re-run
    with dask.config.set({'distributed.scheduler.allowed-failures': 0}):
        ex = DaskExecutor(n_workers=2, members=2, retries=0)
        client = ex.connect()
        try:
            first = {}
            t = threading.Thread(target=lambda: first.update(ex.run(configs(), device='cpu', root=shared, progress=False)))
            t.start()
            deadline = time.time() + 240
            while not in_progress(shared) and time.time() < deadline: time.sleep(0.02)
            assert in_progress(shared), 'the sweep never reached a state with finished and running runs'
            finished = {p.name: p.read_bytes() for p in (shared/'sec3').glob('*.json')}
            # kill the worker whose group has checkpoints (so its re-run resumes mid-way), else any busy one
            running = {p.stem for p in (shared/'sec3'/'checkpoints').glob('*.pt')}
            busy = sorted(((not any(k in str(key) for key in keys for k in running)), w)
                          for w, keys in client.processing().items() if keys)
            victim = busy[0][1]
            pid = client.run(os.getpid, workers=[victim])[victim]
            os.kill(pid, signal.SIGKILL)
            t.join(timeout=300)
            assert not t.is_alive()
            # the killed worker's running group was lost; a group it had finished may be rerun by Dask and found cached
            assert first['failed'] >= 1 and first['cached'] + first['computed'] + first['failed'] == 8, first
            for name, data in finished.items():   # nothing that had finished was lost or rewritten
                assert (shared/'sec3'/name).read_bytes() == data

            again = ex.run(configs(), device='cpu', root=shared, progress=False)
            assert again['failed'] == 0 and again['computed'] == first['failed'] and again['cached'] == 8 - first['failed'], again
        finally: ex.close()

    assert not list((shared/'sec3'/'checkpoints').glob('*.pt'))
    for c in configs():   # the same results as the in-process sweep, bit for bit (one resumed from a killed worker's checkpoint)
        a, b = c.load_record(local), c.load_record(shared)
        assert b['status'] == 'ok'
        assert [(r['ekld'], r['acc']) for r in a['classes']] == [(r['ekld'], r['acc']) for r in b['classes']], c.key
        assert a['train_loss'] == b['train_loss']


def test_cli_dask_executor(tmp_path):
    cmd = [sys.executable, '-m', 'invtransfer.experiment', '--profile', 'smoke', '--nuisances', 'bg', '--instances', '1',
           '--epochs', '1', '--arch', 'simple-cnn', '--executor', 'dask', '--workers', '2', '--members', '2',
           '--results', str(tmp_path), '--no-progress']
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert '2 runs: 0 cached, 2 computed, 0 failed' in p.stdout
    recs = [json.loads(f.read_text()) for f in (tmp_path/'sec3').glob('*.json')]
    assert [r['trainer'] for r in recs] == [{'vectorized': 2, 'amp': False}] * 2
    bad = subprocess.run([('spark' if a == 'dask' else a) for a in cmd], capture_output=True, text=True)
    assert bad.returncode == 2 and 'spark' in bad.stderr


def test_two_processes_compute_each_run_once(tmp_path):
    "Two command lines started together on one results folder: each run is computed by one of them, and both end with every record."
    import re
    results = tmp_path/'r'
    cmd = [sys.executable, '-m', 'invtransfer.experiment', '--profile', 'smoke', '--nuisances', 'bg', '--methods', 'erm', 'ce-drs',
           '--instances', '2', '--epochs', '2', '--no-progress', '--results', str(results)]
    ps = [subprocess.Popen(cmd, cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, 'OMP_NUM_THREADS': '1'}) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in ps]
    assert [p.returncode for p in ps] == [0, 0], outs
    counts = [tuple(map(int, re.search(r'(\d+) runs: (\d+) cached, (\d+) computed, (\d+) failed', o).groups())) for o, _ in outs]
    assert [c[0] for c in counts] == [4, 4] and [c[1] + c[2] for c in counts] == [4, 4], counts
    assert sum(c[2] for c in counts) == 4, f'runs computed twice: {counts}'
    records = [json.loads(p.read_text()) for p in (results/'sec3').glob('*.json')]
    assert len(records) == 4 and all(r['status'] == 'ok' for r in records)
    assert not list(results.rglob('*.claim')), 'claims are removed by their holders'
