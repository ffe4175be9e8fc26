"The claims read from the committed kmnist records (no data needed): Figure 1 on 15 instances per curve, each decided by the claims rule; chapter 71 (where the size trend lies, and the head-to-tail probes) on 5; chapter 72 (the remedies) on its page's 5, and its benchmark arm on GTSRB-LT (3 seeds)."
from invtransfer.config import results_root
from invtransfer.experiment import sec3_grid, collect
from invtransfer.figures import per_class_table
from invtransfer.remedies import remedies_grid, curve_records
from invtransfer.simclr import pretrain_frame
from invtransfer.claims import claims_frame, learning_frame, claims_summary, location_frame, hessian_frame

def test_kmnist_figure1_claims():
    recs, counts = collect(sec3_grid('kmnist', 'fig1'), results_root()/'kmnist')
    assert counts == {'ok': 90, 'missing': 0, 'failed': 0}                     # 3 nuisances x 2 methods x 15 instances
    t = per_class_table(recs)
    learned = learning_frame(t).set_index(['nuisance', 'method'])
    assert learned.learned.all() and (learned.instances == 15).all()
    assert round(learned.loc[('rot', 'erm'), 'head_acc'], 3) == 0.700 and round(learned.loc[('rot', 'erm'), 'balanced_acc'], 3) == 0.199
    f = claims_frame({'fig1': t}).set_index(['claim', 'nuisance', 'methods'])
    assert (f.instances == 15).all()
    assert f.verdict.to_dict() == {('trend', 'rot', 'ERM'): 'reproduced', ('trend', 'rot', 'CE+DRS'): 'inconclusive',
                                   ('trend', 'bg', 'ERM'): 'reproduced', ('trend', 'bg', 'CE+DRS'): 'reproduced',
                                   ('trend', 'dil', 'ERM'): 'reproduced', ('trend', 'dil', 'CE+DRS'): 'reproduced',
                                   ('drs', 'rot', 'CE+DRS vs ERM'): 'reproduced', ('drs', 'bg', 'CE+DRS vs ERM'): 'reproduced',
                                   ('drs', 'dil', 'CE+DRS vs ERM'): 'inconclusive'}
    assert f.loc[('trend', 'rot', 'ERM'), 'value'] == -0.123 and f.loc[('trend', 'dil', 'ERM'), 'ci95'] == '[-0.714, -0.527]'
    s = claims_summary(f.reset_index()).set_index('claim')
    assert s.verdict.to_dict() == {'trend': 'mixed', 'drs': 'mixed'}
    assert f.loc[('drs', 'dil', 'CE+DRS vs ERM'), 'ci95'] == '[-0.091, 0.006]'   # a mean of per-instance differences: Student-t over the 15 instances

def test_kmnist_sens_where_the_trend_lies():
    "Chapter 71 on kmnist: every curve of Figures 1 and 3 on 5 instances, each measuring eKLD (the output) and sens (the features) per class."
    recs, counts = collect(sec3_grid('kmnist', 'sens', instances=5), results_root()/'kmnist')
    assert counts == {'ok': 60, 'missing': 0, 'failed': 0}                     # 3 nuisances x 4 methods x 5 instances
    t = per_class_table(recs)
    assert (learning_frame(t).instances == 5).all()
    f = claims_frame({'sens': t})
    s = claims_summary(f).set_index('claim')
    assert s.verdict.to_dict() == {'sens-features': 'inconclusive', 'sens-output': 'mixed'}
    assert s.loc['sens-output', 'reproduced'] == 8 and s.loc['sens-features', 'reproduced'] == 0
    loc = location_frame(f).set_index(['nuisance', 'method'])
    assert (loc.loc[['bg', 'dil'], 'where'] == 'in the output; the features are undecided').all()
    assert (loc.loc['rot', 'where'] == 'in neither: no size trend decided').all()
    assert loc.loc[('bg', 'ERM'), 'eKLD_rho'] == '-0.549 [-0.748, -0.361]' and loc.loc[('bg', 'ERM'), 'sens_rho'] == '+0.117 [-0.161, 0.397]'

def test_kmnist_probe_transfer():
    "Chapter 71's head-to-tail probes on kmnist, 5 instances: the backbone pre-trained with the target nuisance against another, none and both."
    from invtransfer.probe import probe_grid, transfer_frame
    recs, counts = collect(probe_grid('kmnist', ('bg', 'dil'), instances=5), results_root()/'kmnist')
    assert counts == {'ok': 40, 'missing': 0, 'failed': 0}                     # 2 nuisances x 4 arms x 5 instances
    tf = transfer_frame(recs).set_index(['nuisance', 'claim'])
    assert (tf.instances == 5).all()
    assert tf.verdict.to_dict() == {('bg', 'acc-other'): 'inconclusive', ('bg', 'acc-none'): 'inconclusive', ('bg', 'sens-other'): 'reproduced',
                                    ('bg', 'sens-none'): 'reproduced', ('bg', 'acc-superset'): 'inconclusive',
                                    ('dil', 'acc-other'): 'inconclusive', ('dil', 'acc-none'): 'reproduced', ('dil', 'sens-other'): 'reproduced',
                                    ('dil', 'sens-none'): 'reproduced', ('dil', 'acc-superset'): 'inconclusive'}
    assert tf.loc[('bg', 'sens-none'), 'ci95'] == '[-0.574, -0.419]' and tf.loc[('dil', 'acc-other'), 'value'] == 0.060   # Student-t over the 5 paired instances
    assert tf.loc[('bg', 'acc-none'), 'ci95'] == '[-0.006, 0.165]'

def test_kmnist_remedies_claims():
    "Chapter 72 on kmnist, 5 instances (its book page's): Shwartz-Ziv et al.'s remedies beside ERM; accuracy claims by Student-t, tail-eKLD ratios by the bootstrap."
    recs, counts = collect(sec3_grid('kmnist', 'remedies', instances=5), results_root()/'kmnist')
    assert counts == {'ok': 80, 'missing': 0, 'failed': 0}                     # 2 nuisances x 8 methods x 5 instances
    t = per_class_table(recs)
    assert learning_frame(t).learned.all()
    f = claims_frame({'remedies': t}).set_index(['claim', 'nuisance'])
    assert (f.instances == 5).all()
    assert f.verdict.to_dict() == {('sam-accuracy', 'bg'): 'inconclusive', ('sam-accuracy', 'dil'): 'inconclusive',
                                   ('msam-accuracy', 'bg'): 'inconclusive', ('msam-accuracy', 'dil'): 'inconclusive',
                                   ('sam-tail', 'bg'): 'inconclusive', ('sam-tail', 'dil'): 'reproduced',
                                   ('simclr-accuracy', 'bg'): 'reproduced', ('simclr-accuracy', 'dil'): 'inconclusive',
                                   ('simclr-nuisance-tail', 'bg'): 'inconclusive', ('simclr-nuisance-tail', 'dil'): 'inconclusive',
                                   ('laplace-accuracy', 'bg'): 'inconclusive', ('laplace-accuracy', 'dil'): 'inconclusive'}
    assert f.loc[('simclr-accuracy', 'bg'), 'value'] == 5.73 and f.loc[('simclr-accuracy', 'bg'), 'ci95'] == '[2.81, 8.65]'
    assert f.loc[('sam-tail', 'dil'), 'value'] == 0.755 and f.loc[('sam-tail', 'dil'), 'ci95'] == '[0.646, 0.876]'
    # the Laplace head against its own network, paired within each run (the prior precision by the marginal likelihood)
    assert f.loc[('laplace-accuracy', 'bg'), 'value'] == 0.13 and f.loc[('laplace-accuracy', 'bg'), 'ci95'] == '[-0.37, 0.63]'
    assert f.loc[('laplace-accuracy', 'dil'), 'value'] == 0.1 and f.loc[('laplace-accuracy', 'dil'), 'ci95'] == '[-0.25, 0.45]'
    assert all(0.5 < r['laplace_prior_precision'] < 1.5 for r in recs if r['config']['method'] == 'erm-laplace')
    s = claims_summary(f.reset_index()).set_index('claim')
    assert s.verdict.to_dict() == {'sam-accuracy': 'inconclusive', 'msam-accuracy': 'inconclusive', 'sam-tail': 'mixed', 'simclr-accuracy': 'mixed',
                                   'simclr-nuisance-tail': 'inconclusive', 'laplace-accuracy': 'inconclusive'}
    # the pre-trainings (25 epochs, batch 64): every one left the chance level log(127), with the nuisance in its views or without
    pf = pretrain_frame(recs)
    assert len(pf) == 20 and (pf.epochs == 25).all() and (pf.chance == 4.844).all() and pf.learned.all() and (pf['last'] < 3.4).all()

def test_gtsrb_remedies_claims():
    "Chapter 72's benchmark arm on gtsrb, 4 seeds (`REMEDY_SETTINGS`; its kmnist page's): the remedies on GTSRB-LT, eKLD under the kept T~, every claim with a paired interval."
    recs, counts = curve_records(remedies_grid('gtsrb'), results_root()/'gtsrb')
    assert counts == {'ok': 32, 'missing': 0, 'failed': 0}                     # 8 methods x 4 seeds
    t = per_class_table(recs)
    assert learning_frame(t).learned.all()
    f = claims_frame({'remedies': t}).set_index(['claim', 'nuisance'])
    assert (f.instances == 4).all()
    assert f.verdict.to_dict() == {('sam-accuracy', 'learned'): 'inconclusive', ('msam-accuracy', 'learned'): 'inconclusive',
                                   ('sam-tail', 'learned'): 'reproduced', ('simclr-accuracy', 'learned'): 'reproduced',
                                   ('simclr-nuisance-tail', 'learned'): 'inconclusive', ('laplace-accuracy', 'learned'): 'reproduced'}
    # SAM's tail eKLD against ERM's, paired by seed (bootstrap)
    assert f.loc[('sam-tail', 'learned'), 'value'] == 0.785 and f.loc[('sam-tail', 'learned'), 'ci95'] == '[0.728, 0.842]'
    # SimCLR pre-training (10 epochs) then ERM against ERM, paired by seed
    assert f.loc[('simclr-accuracy', 'learned'), 'value'] == 5.45 and f.loc[('simclr-accuracy', 'learned'), 'ci95'] == '[1.42, 9.48]'
    assert f.loc[('simclr-nuisance-tail', 'learned'), 'value'] == 1.067 and f.loc[('simclr-nuisance-tail', 'learned'), 'ci95'] == '[0.966, 1.211]'
    # the Laplace head against its own network, paired within each run, its prior precision by the marginal likelihood
    assert f.loc[('laplace-accuracy', 'learned'), 'value'] == 0.734 and f.loc[('laplace-accuracy', 'learned'), 'ci95'] == '[0.25, 1.22]'
    assert all(1.0 < r['laplace_prior_precision'] < 1.2 for r in recs if r['config']['method'] == 'erm-laplace')
    # the pre-trainings: every view pair without T~ learned; with T~ in every view, seeds 1 and 2 stayed at the chance level log(255)
    pf = pretrain_frame(recs).set_index(['method', 'instance'])
    assert (pf.epochs == 10).all() and (pf.chance == 5.541).all()
    assert pf.learned.to_dict() == {**{('simclr-erm', s): True for s in range(4)},
                                    ('simclr-nuisance-erm', 0): True, ('simclr-nuisance-erm', 1): False, ('simclr-nuisance-erm', 2): False, ('simclr-nuisance-erm', 3): True}

def test_kmnist_hessian_claim():
    "Chapter 72's flatter-minima question on kmnist, 5 instances (its book page's): ERM's 10 leading Hessian eigenvalues after long-tailed against balanced training of the same total, paired by instance (bootstrap)."
    col = {b: collect(sec3_grid('kmnist', f, ['bg', 'dil'], instances=5), results_root()/'kmnist') for b, f in (('lt', 'hessian'), ('bal', 'hessian-balanced'))}
    assert all(n == {'ok': 10, 'missing': 0, 'failed': 0} for _, n in col.values())   # 2 nuisances x 5 instances, each side
    assert all(len(r['hessian_top']) == 10 for recs, _ in col.values() for r in recs)
    h = hessian_frame(col['lt'][0], col['bal'][0]).set_index('nuisance')
    assert h.instances.tolist() == [5, 5] and h.verdict.to_dict() == {'bg': 'inconclusive', 'dil': 'inconclusive'}
    assert (h.loc['bg', 'ratio'], h.loc['bg', 'ci95']) == (1.532, '[0.821, 2.899]')
    assert (h.loc['dil', 'ratio'], h.loc['dil', 'ci95']) == (1.155, '[0.678, 2.275]')

def test_gtsrb_hessian_pairs():
    "Chapter 72's flatter-minima question on its GTSRB-LT arm: the profile's 4 seeds with both their long-tailed and their balanced Hessian run, paired by seed, with a bootstrap interval."
    from invtransfer.claims import hessian_pairs, hessian_pairs_finding
    from invtransfer.remedies import benchmark_hessian_frame, benchmark_hessian_records, hessian_grid
    root = results_root()/'gtsrb'
    done = {b: [c.seed for c in g if c.done(root)] for b, g in hessian_grid('gtsrb').items()}
    assert done == {'long-tailed': [0, 1, 2, 3], 'balanced': [0, 1, 2, 3]}, done   # REMEDY_SETTINGS: 4 seeds on gtsrb
    h = benchmark_hessian_frame('gtsrb', root=root).set_index('nuisance')
    assert h.instances.tolist() == [4] and h.verdict.iloc[0] == 'inconclusive' and h.ci95.iloc[0] == '[0.148, 1.300]', h
    assert (h.long_tailed.iloc[0], h.balanced.iloc[0], h.ratio.iloc[0]) == (1.6768, 4.5989, 0.365), h
    # the pooled ratio below 1 rests on one pair: seed 2's balanced run ended its training far above the others' loss, with eigenvalues 7 to 12 times theirs
    p = hessian_pairs(*benchmark_hessian_records('gtsrb', root=root))
    assert p.ratio.tolist() == [1.482, 1.177, 0.111, 0.828] and p.balanced.iloc[2] == 13.7329 and p.loss_balanced.iloc[2] == 0.0186, p
    assert 'the balanced run of seed 2 ended its training at loss 0.0186, 8× the median' in hessian_pairs_finding(p, unit='seed')
    assert 'the long-tailed run' not in hessian_pairs_finding(p, unit='seed')