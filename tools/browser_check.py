"""Open a page of the built site in headless Chromium and check that its figures render (static PNG and Altair).

Usage: python tools/browser_check.py _site/31_section3.html [--screenshot out.png]
"""
import argparse, re, shutil, subprocess, sys, tempfile
from pathlib import Path

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--virtual-time-budget=15000']

def chromium() -> str:
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if shutil.which(name): return shutil.which(name)
    sys.exit('browser check: no chromium on PATH (make installs it with apt-get install chromium)')

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('page'); ap.add_argument('--screenshot')
    a = ap.parse_args()
    page = Path(a.page).resolve()
    if not page.exists(): sys.exit(f'browser check: {page} does not exist')
    with tempfile.TemporaryDirectory() as prof:
        base = [chromium(), *FLAGS, f'--user-data-dir={prof}']
        dom = subprocess.run(base + ['--dump-dom', page.as_uri()], capture_output=True, text=True, timeout=180).stdout
        if a.screenshot:
            subprocess.run(base + ['--window-size=1300,2600', f'--screenshot={Path(a.screenshot).resolve()}', page.as_uri()],
                           capture_output=True, timeout=180)
    pngs = len(re.findall(r'<img[^>]+src="data:image/png', dom))
    vega = len(re.findall(r'class="[^"]*\bvega-embed\b', dom))
    marks = len(re.findall(r'<(?:canvas|svg)[^>]*class="marks"', dom))
    errors = 'Error loading script' in dom or 'Javascript Error' in dom
    print(f'browser check {page.name}: {pngs} static figure(s), {vega} altair container(s), {marks} rendered altair chart(s)')
    if pngs < 1 or marks < 1 or errors:
        sys.exit('browser check FAILED: the page does not show its figure' + (' (script error in page)' if errors else ''))

if __name__ == '__main__': main()
