"""Every read-only listing of the committed results, as text: what each profile's figures and tables show, computing nothing.

    python tools/listings.py print            # to standard output
    python tools/listings.py save FILE        # write it
    python tools/listings.py compare FILE     # exit 1 and show the differing lines if the listing differs from FILE

tests/committed_listing.txt holds the listing of the committed results; tests/test_listings.py compares against it, so
a commit that adds or changes results saves it again (`python tools/listings.py save tests/committed_listing.txt`).

A restructuring of the library must leave this text unchanged: the same runs are found and the same numbers print.
Rows are named by what they are (profile, figure or table, nuisance, method, row, column), never by cache keys, so a
change of keys shows up only if a run is no longer found. It reads the committed results only, and no data (committed.py).
"""
from __future__ import annotations
import difflib, hashlib, sys, warnings
from pathlib import Path
import committed   # noqa: F401 (before invtransfer: the committed results, no data)
warnings.filterwarnings('ignore')
import numpy as np, pandas as pd
from invtransfer.config import results_root
from invtransfer import experiment as E, figures as F, munit as M, probe as P, sweep
from invtransfer import recipes, paper, reports, variants, fidelity

pd.set_option('display.width', 250); pd.set_option('display.max_columns', 50); pd.set_option('display.max_rows', 10_000)
pd.set_option('display.max_colwidth', 120)

def _frame(f: pd.DataFrame) -> str: return '(empty)' if f is None or not len(f) else f.to_string(index=False, float_format=lambda v: f'{v:.6g}')

def _section(title: str, make) -> str:
    try: body = make()
    except Exception as e: body = f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}'
    return f'## {title}\n{body if isinstance(body, str) else _frame(body)}\n'

def _digest(a: np.ndarray) -> str: return hashlib.md5(np.ascontiguousarray(a).tobytes()).hexdigest()[:12]

def _munit(profile: str, root: Path) -> str:
    lines = []
    for run in E.munit_grid(profile):
        r = run.load_record(root)
        if not r: lines.append(f'{run.nuisance} instance {run.instance}: missing'); continue
        last = r['log'][-1] if r.get('log') else {}
        grids = M.load_munit_grids(run, root) if r['status'] == 'ok' else {}
        lines.append(f"{run.nuisance} instance {run.instance} iterations {run.munit.iterations}: {r['status']} "
                     + ' '.join(f'{k}={v:.6g}' for k, v in sorted(last.items()) if k != 'iteration')
                     + ' grids ' + ' '.join(f'{k}:{_digest(v)}' for k, v in sorted(grids.items())))
    return '\n'.join(lines)

def sec34(profile: str) -> list[str]:
    root, out = results_root()/profile, []
    for fig, spec in ((f, E.FIGURES[f]) for f in E.profile_figures(profile)):
        if spec.get('munit'): out.append(_section(f'{profile} {fig}: MUNIT runs', lambda: _munit(profile, root))); continue
        if spec.get('probe'):
            def probes():
                recs, n = E.collect(sweep.figure_runs(profile, fig), root)
                return f"{n}\n" + _frame(P.probe_frame(recs)) + '\n' + _frame(P.transfer_frame(recs)) if recs else str(n)
            out.append(_section(f'{profile} {fig}', probes)); continue
        def trend():
            recs, n = E.collect(E.sec3_grid(profile, fig), root)
            table = F.per_class_table(recs)
            return f"{n}\n" + _frame(F.size_trend(table)) + '\n' + _frame(F.by_rank(table)) if recs else str(n)
        out.append(_section(f'{profile} {fig}', trend))
    return out

def sec56(profile: str) -> list[str]:
    root, out = results_root()/profile, []
    for t in paper.COLUMNS:
        out.append(_section(f'{profile} {t}', lambda: reports.table_frame(t, profile, root)))
        out.append(_section(f'{profile} {t} GIT gains', lambda: reports.gain_frame(t, profile, root)))
        out.append(_section(f'{profile} {t} by class-size group', lambda: reports.size_group_frame(t, profile, root)))
    out.append(_section(f'{profile} GIT from the switch epoch', lambda: variants.switch_epoch_frame(profile, root)))
    for t in variants.LONGER_MUNIT_TABLES:
        out.append(_section(f'{profile} {t} GIT with a longer-trained MUNIT', lambda: variants.longer_munit_frame(profile, root, table=t)))
    out.append(_section(f'{profile} cutoff K', lambda: variants.cutoff_frame(profile, root)))
    out.append(_section(f'{profile} fidelity', lambda: fidelity.fidelity_frame(fidelity.fidelity_configs(profile), fidelity.fidelity_root(profile))))
    return out

def listing() -> str:
    parts = [s for p in E.PROFILES for s in sec34(p)] + [s for p in recipes.BENCH_PROFILES for s in sec56(p)]
    return '\n'.join(parts)

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ('print', 'save', 'compare') or (argv[0] != 'print' and len(argv) != 2):
        print(__doc__, file=sys.stderr); return 2
    text = listing()
    if argv[0] == 'print': print(text); return 0
    path = Path(argv[1])
    if argv[0] == 'save': path.write_text(text); print(f'{path}: {len(text.splitlines())} lines'); return 0
    if not path.exists(): print(f'error: no saved listing at {path}', file=sys.stderr); return 2
    diff = list(difflib.unified_diff(path.read_text().splitlines(), text.splitlines(), str(path), 'now', lineterm='', n=1))
    if diff: print('\n'.join(diff[:400])); print(f'listing differs from {path}: {sum(l[:1] in "+-" for l in diff[2:])} lines'); return 1
    print(f'listing identical to {path} ({len(text.splitlines())} lines)'); return 0

if __name__ == '__main__': sys.exit(main())
