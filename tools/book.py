"""Build the book: `run` executes the pages of book.yml with papermill into book/ (a page marked `execute: false`, a
library chapter whose cells are its module's tests, is copied as written: `nbdev_test` runs it); `site` renders book/ into _site/.

`site` uses Quarto when `quarto` is on PATH (the root _quarto.yml), otherwise builds equivalent static HTML with
nbconvert: one page per notebook, a navigation bar, figures embedded, Altair charts self-contained (offline).
"""
from __future__ import annotations
import argparse, html, json, os, re, shutil, subprocess, sys, time
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK, SITE, NBS = ROOT/'book', ROOT/'_site', ROOT/'nbs'

def pages() -> list[dict]:
    "The pages of book.yml, each with nb, out, title and params."
    spec = yaml.safe_load((ROOT/'book.yml').read_text())['pages']
    return [{'out': p.get('out', p['nb']), 'params': p.get('params', {}), **p} for p in spec]

def _execute(p: dict) -> tuple[str, float, str | None]:
    "Execute one page with papermill into book/; returns its output name, seconds and the error (None when it ran)."
    import papermill as pm
    t0, err = time.time(), None
    print(f"papermill {p['nb']} -> book/{p['out']} {p['params'] or ''}", flush=True)
    try:
        pm.execute_notebook(str(NBS/p['nb']), str(BOOK/p['out']), parameters=p['params'], cwd=str(NBS),
                            kernel_name='python3', progress_bar=False, log_output=False)
    except Exception as e:  # papermill keeps the failed notebook in book/ with the error in place
        err = f"{type(e).__name__}: {str(e)[:2000]}"; print(f"  FAILED {p['out']}: {err}", file=sys.stderr, flush=True)
    secs = round(time.time() - t0, 1)
    print(f"  {p['out']}: {secs} s", flush=True)
    return p['out'], secs, err

def _lane(outs: list[str], threads: int | None = None) -> list[tuple[str, float, str | None]]:
    "Execute the named pages one after another, in the order of book.yml; with `threads`, each page's kernel uses that many (OMP_NUM_THREADS)."
    if threads: os.environ['OMP_NUM_THREADS'] = str(threads)
    return [_execute(p) for p in pages() if p['out'] in outs]

def lanes(selected: list[dict], jobs: int, seconds: dict | None = None) -> list[list[str]]:
    """The pages split into at most `jobs` lanes that run side by side. Pages of one `chain` (book.yml: chapters that read
    runs an earlier one computed, such as Section 4's baselines, which are Section 3's runs) stay in one lane; each lane
    runs in book order. Chains and single pages go, longest first, to the lane with the least work so far, a page's work
    being its `seconds` last time (10 when unknown)."""
    groups: dict[str, list[str]] = {}
    for p in selected: groups.setdefault(p.get('chain') or p['out'], []).append(p['out'])
    cost = lambda g: sum((seconds or {}).get(o, 10.0) for o in g)
    out, load = [[] for _ in range(max(1, jobs))], [0.0] * max(1, jobs)
    for g in sorted(groups.values(), key=cost, reverse=True):
        i = load.index(min(load)); out[i] += g; load[i] += cost(g)
    order = {p['out']: k for k, p in enumerate(selected)}
    return [sorted(l, key=order.get) for l in out if l]

def run(only: list[str] | None = None, jobs: int = 2) -> int:
    """Execute every page (or those named in `only`) with papermill, in up to `jobs` lanes side by side (see `lanes`);
    returns the number of failures. book/_timings.json keeps each page's seconds and the wall time of the whole run."""
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    BOOK.mkdir(exist_ok=True)
    timings_path = BOOK/'_timings.json'
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    selected = [p for p in pages() if not only or p['out'] in only or p['nb'] in only]
    for p in selected:
        if p.get('execute', True) is False:   # a library page: its cells are the module's tests, run by nbdev_test; shown as written
            shutil.copyfile(NBS/p['nb'], BOOK/p['out']); print(f"copied {p['nb']} -> book/{p['out']} (not executed)", flush=True)
    todo = lanes([p for p in selected if p.get('execute', True) is not False], jobs, timings)
    t0 = time.time()
    if len(todo) == 1: done = [_lane(todo[0])]
    else:   # one thread per kernel: two 2-thread kernels on two cores slow each other down several times over
        with ProcessPoolExecutor(len(todo), mp_context=mp.get_context('spawn')) as ex: done = list(ex.map(_lane, todo, [1] * len(todo)))
    results = [r for lane in done for r in lane]
    timings.update({out: secs for out, secs, _ in results})
    timings['wall'] = round(time.time() - t0, 1)
    timings_path.write_text(json.dumps(timings, indent=1))
    failed = [out for out, _, err in results if err]
    print(f"{len(results)} pages in {len(todo)} lane(s): {timings['wall']} s wall, {sum(s for _, s, _ in results):.1f} s of page time"
          + (f"; failed: {', '.join(failed)}" if failed else ''), flush=True)
    return len(failed)

NAV_CSS = """<style>
.it-nav{position:sticky;top:0;z-index:10;background:#f7f7f9;border-bottom:1px solid #ddd;padding:6px 14px;font:14px sans-serif}
.it-nav a{margin-right:14px;text-decoration:none;color:#2a5db0}.it-nav a.here{font-weight:bold;color:#000}
.it-lib{display:inline-block;position:relative}.it-lib summary{cursor:pointer;color:#2a5db0}
.it-lib div{position:absolute;z-index:11;background:#f7f7f9;border:1px solid #ddd;padding:6px 10px;max-height:70vh;overflow:auto;white-space:nowrap}
.it-lib div a{display:block;margin:2px 0}
</style>"""

def _nav(current: str) -> str:
    "The bar on every page: the chapters in one line, the library pages (those not executed) in a drop-down, so the bar does not wrap."
    chapters, library = [], []
    for p in pages():
        stem = Path(p['out']).stem
        cls = ' class="here"' if stem == current else ''
        label = html.escape(p.get('nav', p['title']))
        (library if p.get('execute', True) is False else chapters).append(f'<a href="{stem}.html"{cls} title="{html.escape(p["title"])}">{label}</a>')
    lib = f'<details class="it-lib"><summary>Library ▾</summary><div>{"".join(library)}</div></details>' if library else ''
    return f'<nav class="it-nav">{"".join(chapters)}{lib}</nav>'

# The wheel's MathJax carries only the STIX-Web fonts; without this, HTML-CSS looks for TeX fonts and fails.
MATHJAX_FONTS = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"], '
                 'preferredFont: "STIX-Web", webFont: "STIX-Web", imageFont: null}});</script>')

FOLD_CSS = """<style>
details.it-fold{margin:2px 0 6px 0}details.it-fold summary{cursor:pointer;color:#666;font:12px monospace}
details.it-fold pre{background:#f7f7f9;border:1px solid #e5e5e5;padding:6px 8px;font-size:12px;overflow-x:auto}
</style>"""

def _options(source: str) -> dict:
    "The cell's options: its `#| key: value` lines, as Quarto reads them (nbdev directives such as `#| export` carry none)."
    opts = {}
    for m in re.finditer(r'^#\| ([\w-]+):[ \t]*(.*)$', source, re.M):
        try: opts[m[1]] = yaml.safe_load(m[2])
        except yaml.YAMLError: opts[m[1]] = m[2]
    return opts

def front_matter(nb) -> dict:
    "The page's front matter: the YAML of its first raw cell (nbdev's `---` block), or {}."
    raw = next((c for c in nb.cells if c.cell_type == 'raw'), None)
    if raw is None or not raw.source.strip().startswith('---'): return {}
    return yaml.safe_load(raw.source.strip().strip('-')) or {}

_BAR = re.compile(r'[^\r\n]*\d+%\|[^\r\n]*\r?')

def _without_progress(outputs: list) -> list:
    "The outputs less progress bars (tqdm's `NN%|` lines, on stdout or stderr): plumbing, not part of the page."
    out, after_bar = [], False
    for o in outputs:
        if o.get('output_type') == 'stream':
            raw = ''.join(o.get('text', ''))
            text = _BAR.sub('', raw)
            if after_bar or text != raw: text = text.lstrip('\r\n')   # the line break a finished bar leaves
            after_bar = text != raw
            if not text.strip(): continue
            o['text'] = text
        else: after_bar = False
        out.append(o)
    return out

def shown(nb):
    """The notebook as the site shows it, the static builder's reading of Quarto's cell options: no front matter;
    a code cell with `echo: false` shows only its outputs; progress bars are dropped; with `code-fold: true` (per cell, or for the page in its
    front matter) its code is folded away above its outputs; option lines are not shown."""
    import nbformat
    fold_page = front_matter(nb).get('code-fold') is True
    out = []
    for c in nb.cells:
        if c.cell_type == 'raw': continue
        if c.cell_type == 'code':
            opts = _options(c.source)
            code = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#| '))
            if opts.get('echo') is False or not code.strip(): c.metadata['transient'] = {'remove_source': True}
            elif opts.get('code-fold', fold_page) is True:
                c.metadata['transient'] = {'remove_source': True}
                c.outputs.insert(0, nbformat.v4.new_output('display_data', data={'text/html': f'<details class="it-fold"><summary>code</summary><pre>{html.escape(code)}</pre></details>'}))
            else: c.source = code
            c.outputs = _without_progress(c.outputs)
        out.append(c)
    nb.cells = out
    return nb

def static_site() -> list[Path]:
    "Render every executed page in book/ to _site/<stem>.html with nbconvert; returns the written files."
    import nbformat
    from nbconvert import HTMLExporter
    SITE.mkdir(exist_ok=True)
    exporter = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True)   # a book, not a session: no In/Out prompts
    # MathJax 2 shipped inside the jupyter_server_mathjax wheel, so formulas render without internet.
    import jupyter_server_mathjax
    mj = Path(jupyter_server_mathjax.__file__).parent/'static'
    shutil.copytree(mj, SITE/'mathjax', dirs_exist_ok=True)
    exporter.mathjax_url = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe'
    written = []
    for p in pages():
        src = BOOK/p['out']
        if not src.exists(): raise FileNotFoundError(f'{src} is missing: run `python tools/book.py run` first')
        nb = shown(nbformat.read(src, as_version=4))
        body, _ = exporter.from_notebook_node(nb)
        stem = Path(p['out']).stem
        # require.js (loaded from a CDN by the lab template, for widgets we do not use) would make the inlined
        # Vega bundles register as AMD modules instead of globals, and the Altair charts would not render online.
        body = re.sub(r'<script src="[^"]*require[^"]*\.js"></script>', '', body)
        body = re.sub(r'href="([\w.-]+)\.ipynb', r'href="\1.html', body)
        body = body.replace('<script src="mathjax/', MATHJAX_FONTS + '<script src="mathjax/', 1)
        body = re.sub(r'<title>.*?</title>', f'<title>{html.escape(p["title"])} · invtransfer</title>', body, count=1, flags=re.S)
        body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + NAV_CSS + FOLD_CSS + _nav(stem), body, count=1)
        (SITE/f'{stem}.html').write_text(body, encoding='utf-8'); written.append(SITE/f'{stem}.html')
    return written

def site() -> None:
    "Render the site with Quarto if available, else with the static builder."
    if shutil.which('quarto'):
        subprocess.run(['quarto', 'render'], cwd=ROOT, check=True)
    else:
        files = static_site()
        print(f'quarto not found: built {len(files)} static pages in {SITE.relative_to(ROOT)}/')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('what', choices=['run', 'site'])
    ap.add_argument('--only', nargs='*', help='run only these pages (output or notebook names)')
    ap.add_argument('--jobs', type=int, default=2, help='pages executed side by side, one thread each (default 2; 1: one after another with all threads)')
    a = ap.parse_args()
    if a.what == 'run': sys.exit(1 if run(a.only, a.jobs) else 0)
    site()
