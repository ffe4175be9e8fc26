# invtransfer: two commands. `make book` builds the study book into _site/; `make test` is exactly what CI runs.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
BIN   := $(VENV)/bin
# Real data (KMNIST, GTSRB, K49) is read from $INVTRANSFER_DATA; next to the project's CI checkout it is ../shared/data.
ifeq ($(origin INVTRANSFER_DATA), undefined)
  ifneq ($(wildcard ../shared/data),)
    export INVTRANSFER_DATA := $(abspath ../shared/data)
  endif
endif
export PYTHONUNBUFFERED := 1

.PHONY: install book run-book site book-without-data test check-sync nbtest nbtest-slow pytest browser-check chromium bench docs lab clean

install: $(VENV)/.installed

$(VENV)/.installed: settings.ini setup.py
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

book: install run-book site

run-book: install
	$(PY) tools/book.py run

site: install
	$(PY) tools/book.py site

# The book as a reader who cloned it without any dataset gets it: every page runs with an empty data root.
NO_DATA := $(CURDIR)/.no-data
book-without-data: install
	rm -rf $(NO_DATA) && mkdir $(NO_DATA)
	INVTRANSFER_DATA=$(NO_DATA) $(PY) tools/book.py run
	$(PY) tools/book.py site

check-sync: install
	PATH=$(BIN):$$PATH $(PY) tools/check_sync.py

nbtest: install
	$(BIN)/nbdev_test --n_workers 1

# The cells marked `#| slow` (CI skips them; each says why it may) and the notebook tests around them.
nbtest-slow: install
	$(BIN)/nbdev_test --n_workers 1 --flags slow

pytest: install
	$(BIN)/pytest -q tests

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

browser-check: chromium
	$(PY) tools/browser_check.py _site/31_section3.html --screenshot _site/31_section3.png
	$(PY) tools/browser_check.py _site/41_section4_kmnist.html --screenshot _site/41_section4_kmnist.png

test: install check-sync nbtest pytest book-without-data browser-check
	@echo "make test: all checks passed"

# JupyterLab on the chapters, with the project's kernel (the venv's python3) and its data folder.
lab: install
	$(BIN)/jupyter lab --notebook-dir=nbs

# The documents generated from the committed records: README.md's headline and cost tables and results/README.md.
docs: install
	$(PY) tools/docs.py write

# Throughput of the one-at-a-time and vectorized trainers, eKLD evaluation and MUNIT (ratios measured in one run).
bench: install
	$(PY) tools/bench.py $(if $(DEVICE),--device $(DEVICE))

clean:
	rm -rf book _site results/smoke .no-data
