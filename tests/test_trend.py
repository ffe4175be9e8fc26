"""Section 3 on the embedded digits with fixed seeds: under ROT, ERM's eKLD falls with class size."""
from scipy import stats
from invtransfer.experiment import sec3_grid, run_grid, collect
from invtransfer.figures import per_class_table, size_trend

def test_erm_rot_ekld_falls_with_class_size(results):
    configs = sec3_grid('smoke', nuisances=['rot'], methods=['erm'])
    s = run_grid(configs, root=results, progress=False)
    assert s['failed'] == 0
    records, counts = collect(configs, results)
    assert counts == {'ok': 2, 'missing': 0, 'failed': 0}
    t = per_class_table(records)
    rho = size_trend(t)['rho'].item()
    print('ERM/ROT spearman rho (smoke, 2 instances):', rho)
    assert rho < 0
