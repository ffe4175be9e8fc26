"""Kill -9 a run mid-training, start it again: it resumes from its checkpoint and ends exactly like an uninterrupted run."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
from conftest import ROOT

ARGS = ['--profile', 'smoke', '--nuisances', 'bg', '--methods', 'ce-drs', '--instances', '1', '--epochs', '12', '--no-progress']

def start(results):
    return subprocess.Popen([sys.executable, '-m', 'invtransfer.experiment', *ARGS, '--results', str(results)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

def only_result(results):
    files = list((results/'sec3').glob('*.json')); assert len(files) == 1, files
    return json.loads(files[0].read_text())

def test_kill_and_resume(tmp_path):
    import torch
    a, b = tmp_path/'uninterrupted', tmp_path/'killed'
    assert start(a).wait(600) == 0
    p = start(b); ckdir = b/'sec3'/'checkpoints'
    deadline = time.time() + 300
    while time.time() < deadline:  # wait until at least two epochs are checkpointed, then kill mid-training
        cks = list(ckdir.glob('*.pt')) if ckdir.exists() else []
        if cks:
            try:
                if torch.load(cks[0], weights_only=True)['epoch'] >= 1: break
            except Exception: pass  # checkpoint being replaced right now
        assert p.poll() is None, 'run finished before it could be killed: make it longer'
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL); p.wait()
    assert not list((b/'sec3').glob('*.json')), 'a killed run must not leave a result'
    epoch_at_kill = torch.load(next(ckdir.glob('*.pt')), weights_only=True)['epoch']
    assert 1 <= epoch_at_kill < 11
    assert start(b).wait(600) == 0
    ra, rb = only_result(a), only_result(b)
    assert rb['status'] == 'ok' and not list(ckdir.glob('*.pt'))
    assert rb['train_loss'] == ra['train_loss']
    assert rb['classes'] == ra['classes']
