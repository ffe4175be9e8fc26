"""Section 3 on the embedded digits with fixed seeds: under ROT, ERM's eKLD falls with class size.

The smoke profile's schedule is short (it tests code paths); this test trains the two instances for 15 epochs, long enough
for the trend to show on digits."""
from invtransfer.experiment import sec3_grid, run_grid, collect
from invtransfer.figures import per_class_table, size_trend

def test_erm_rot_ekld_falls_with_class_size(results):
    configs = sec3_grid('smoke', nuisances=['rot'], methods=['erm'], epochs=15, warmup_epochs=2, milestones=(9, 12), switch_epoch=9)
    s = run_grid(configs, root=results, progress=False)
    assert s['failed'] == 0
    records, counts = collect(configs, results)
    assert counts == {'ok': 2, 'missing': 0, 'failed': 0}
    t = per_class_table(records)
    rho = size_trend(t)['rho'].item()
    print('ERM/ROT spearman rho (15 epochs, 2 instances):', rho)
    assert rho < 0
