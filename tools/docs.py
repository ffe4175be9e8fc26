"""Write the documents that are generated from the run records: README.md's headline and cost tables and results/README.md.

    python tools/docs.py write     # rewrite both from the committed results
    python tools/docs.py check     # exit 1, naming each document that is out of date (tests/test_docs.py runs this in CI)

Both read the committed results only (committed.py), so they are the same on every checkout. A commit that adds or
changes results runs `python tools/docs.py write` and commits what it writes.
"""
from __future__ import annotations
import json, sys, warnings
from pathlib import Path
import committed   # noqa: F401 (before invtransfer: the committed results, no data)
warnings.filterwarnings('ignore')
from invtransfer.catalog import provenance_frame, cost_frame
from invtransfer.experiment import PROFILES
from invtransfer.headline import headline_frame, markdown_table
from invtransfer.recipes import BENCH_PROFILES

ROOT = committed.ROOT
START, END = '<!-- headline: written by tools/docs.py from the committed records -->', '<!-- /headline -->'
COSTS = ('<!-- costs: written by tools/docs.py from the committed records -->', '<!-- /costs -->')

LAYOUT = """One JSON record per run, named by the hash of its full configuration (library version included), in a folder per kind:
`sec3/` classifier runs of Sections 3–4, `sec5/` benchmark runs of Sections 5–6, `munit/` MUNIT runs (with an `.npz`
of sample grids; the network weights, 13–60 MB, are not committed and are retrained on demand, except a run's *kept
generator* `<key>.generator.pt.gz`, T~ in float16 and compressed with its md5 in the record, which GIT uses without
training MUNIT; the generators of a run's snapshots stay local), `fidelity/` the measurements of whether T~ keeps the
class (the judges' weights are not committed), `quality/` a MUNIT run's T~ measured at each snapshot. A record holds its configuration,
its status, its per-class results, its training history, the machine, the torch and invtransfer versions, when it
started and finished, and its wall time. The pages read these files; `invtransfer status --profile P` lists what each
figure, table and cell holds. `results/smoke/` is scratch and ignored.

Two small artefacts let the pages render without any dataset: `<profile>/benchmarks/` holds the GTSRB-LT benchmark
sheet (`invtransfer.data.benchmark_sheet`: class counts, split sizes, one training image of each of the 8 largest and 8
smallest classes, with the md5 of the training split it was cut from), and every `kmnist/munit/*.npz` holds `clean`,
the Figure 2 inputs before the nuisance, from which the Section 4 page draws the true nuisance."""

def _profile_note(p: str) -> str:
    notes = [x.note for reg in (PROFILES, BENCH_PROFILES) if p in reg and (x := reg.get(p)).note]
    return '; '.join(dict.fromkeys(notes))

def results_readme() -> str:
    parts = ['# Committed results', '',
             '*Written by `python tools/docs.py write` from the run records; CI checks that it is current. Do not edit it by hand.*', '', LAYOUT]
    for d in sorted(p.name for p in committed.RESULTS.iterdir() if p.is_dir() and p.name in set(PROFILES) | set(BENCH_PROFILES)):
        frame = provenance_frame(d)
        if not len(frame): continue
        frame = frame.assign(command=frame.command.map(lambda c: f'`{c}`'))
        parts += ['', f'## `{d}/`', '', f'Profile `{d}`: {_profile_note(d)}.', '',
                  'Per target: the runs the cache holds (of those it needs), the machines and versions that made them, the days they finished, their '
                  'compute time in all and per run (median), and the command that recomputes them (it reads what is cached).', '',
                  markdown_table(frame.rename(columns={'per_run': 'per run', 'command': 'reproduce with'}))]
    bench = sorted((ROOT/'results'/'bench').glob('*.json'))
    if bench:
        parts += ['', '## `bench/`', '', 'Throughput measured side by side in one run by `invtransfer bench` (`tools/bench.py`) and, in the `munit-*` files, by `invtransfer bench munit` (`tools/bench_munit.py`):', '',
                  '| file | machine | date | torch |', '|---|---|---|---|']
        for f in bench:
            b = json.loads(f.read_text())
            parts.append(f"| `{f.name}` | {b.get('machine', '?')} | {b.get('date', '?')} | {b.get('torch', '?')} |")
    return '\n'.join(parts) + '\n'

def _profiles() -> list[str]:
    "The profiles whose results are committed, in registry order."
    return [p for p in dict.fromkeys([*PROFILES, *BENCH_PROFILES]) if (committed.RESULTS/p).is_dir()]

def _block(text: str, marks: tuple[str, str], body: str) -> str:
    "`text` with what lies between the two marks replaced by `body`."
    start, end = marks
    if start not in text or end not in text: raise SystemExit(f'README.md has no block {start} ... {end}')
    head, rest = text.split(start, 1)
    return head + start + '\n' + body + '\n' + end + rest.split(end, 1)[1]

def readme() -> str:
    text = _block((ROOT/'README.md').read_text(), (START, END), markdown_table(headline_frame()))
    costs = cost_frame(_profiles())[['profile', 'runs', 'compute', 'per_run', 'machine', 'finished']].rename(columns={'per_run': 'per run (median)'})
    return _block(text, COSTS, markdown_table(costs.assign(profile=costs.profile.map(lambda p: f'`{p}`'))))

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in (['write'], ['check']): print(__doc__, file=sys.stderr); return 2
    docs = {ROOT/'README.md': readme(), ROOT/'results'/'README.md': results_readme()}
    stale = [p for p, text in docs.items() if not p.exists() or p.read_text() != text]
    if argv == ['check']:
        for p in stale: print(f'{p.relative_to(ROOT)} is out of date: run `python tools/docs.py write` and commit it')
        return 1 if stale else 0
    for p in stale: p.write_text(docs[p]); print(f'wrote {p.relative_to(ROOT)}')
    return 0

if __name__ == '__main__': sys.exit(main())
