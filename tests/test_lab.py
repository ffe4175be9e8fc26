"JupyterLab, as `make lab` opens it: installed with the project, its python3 kernel is the project's Python, and a chapter runs on that kernel."
import os, subprocess, sys
from pathlib import Path
import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

def test_jupyterlab_and_the_project_kernel(tmp_path):
    v = subprocess.run([str(BIN/'jupyter'), 'lab', '--version'], capture_output=True, text=True)
    assert v.returncode == 0 and int(v.stdout.split('.')[0]) >= 4, v.stderr
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('import sys, invtransfer; print(sys.prefix)')])
    nbformat.write(nb, tmp_path/'probe.ipynb')
    r = subprocess.run([str(BIN/'jupyter'), 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=python3',
                        str(tmp_path/'probe.ipynb'), '--output', str(tmp_path/'out.ipynb')], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    printed = nbformat.read(tmp_path/'out.ipynb', as_version=4).cells[0].outputs[0]['text'].strip()
    assert Path(printed).resolve() == Path(sys.prefix).resolve(), (printed, sys.prefix)   # the kernel is the project's Python, with the package

def test_a_chapter_runs_on_the_kernel(tmp_path):
    "What a reader's 'Run all' does: the catalog chapter, on the python3 kernel, from nbs/, writing into its own results folder."
    out = tmp_path/'catalog.ipynb'
    env = {**os.environ, 'INVTRANSFER_RESULTS': str(ROOT/'results')}
    r = subprocess.run([str(BIN/'jupyter'), 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=python3',
                        '--ExecutePreprocessor.timeout=600', str(ROOT/'nbs'/'22_catalog.ipynb'), '--output', str(out)],
                       capture_output=True, text=True, cwd=ROOT/'nbs', env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == 'code']
    assert all(c.execution_count for c in code) and not any(o.output_type == 'error' for c in code for o in c.outputs)
    assert any('text/html' in o.get('data', {}) for c in code for o in c.outputs)   # the status frame is drawn
