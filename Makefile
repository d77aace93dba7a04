# 모두를 위한 딥러닝 시즌 1 · TensorFlow 2 — the documented entry points.
#   make book   build the site in full mode into _build/html   (the main job)
#   make test   everything CI checks (unit, structure, notebooks in quick mode, strict build,
#               the built site in headless Chromium, the book's PDF)
#   make pdf    the whole book as one PDF from the full build's executed notebooks -> _build/pdf/
# Both create the virtual environment .venv from requirements.txt on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
QUICK_BUILD := _build/quick
# = notebooks.NOTEBOOKS_DIR: the launch extension copies the site's .ipynb downloads from there
NOTEBOOKS := _build/notebooks
# nbval's executed notebooks (zerotoall_book.executed): the strict quick build reuses their outputs.
EXECUTED := $(QUICK_BUILD)/executed
# The site the browser tests open (make book points them at _build/html).
BROWSER_SITE ?= $(QUICK_BUILD)/_build/html
# pytest in 2 processes, each test file kept in one (the CI machine has 2 cores)
XDIST := -n 2 --dist loadfile
# The book's PDF, printed from a built site (tools/zerotoall_book/pdf.py) and copied into it.
PDF_NAME := zerotoall-season1.pdf
PDF_TOOL := $(BIN)/python -m zerotoall_book.pdf

# Offline dataset mirror: development machines and CI have the course's datasets in
# ../shared/datasets. Elsewhere the helper downloads from the canonical URLs.
ifneq ($(wildcard ../shared/datasets/SHA256SUMS),)
export ZEROTOALL_DATA ?= $(abspath ../shared/datasets)
endif
# Keep TensorFlow's C++ start-up banner out of the executed pages.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv toc book pdf pdf-from-site test-pdf reproduce benchmark notebooks notebooks-branch linkcheck test-latest test test-unit test-notebooks test-build test-site browser-deps test-browser serve lock clean clean-all

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# The installer, pinned: uv installs the locked requirements about 3x faster than pip on a cold
# cache (measured: 83 s vs 265 s for the same 150 packages), which is most of a fresh CI run's set-up.
# --compile-bytecode writes the .pyc files at install time, as pip does by default and uv does not:
# where PYTHONDONTWRITEBYTECODE is set (as on this machine) Python would otherwise recompile every
# module on every start, and `import tensorflow` took 9 s instead of 3 s in each of the 40 notebooks.
UV := uv==0.13.8

$(STAMP): requirements.txt pyproject.toml tools/pyproject.toml book/_ipython/ipython_kernel_config.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(UV)"
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.txt
	mkdir -p $(VENV)/etc/ipython && cp book/_ipython/ipython_kernel_config.py $(VENV)/etc/ipython/
	touch $@

venv: $(STAMP)  ## create .venv with the pinned requirements, the helper package and the book's tooling

toc: $(STAMP)  ## write _toc.yml from the outline in book/course.yml (commit the result)
	$(BIN)/python -m zerotoall_book.toc

book: $(STAMP) notebooks browser-deps  ## build the book in full mode (every lab at its real settings) into _build/html, with its PDF
	$(BIN)/python -m zerotoall_book.exec_cache _build
	env -u ZEROTOALL_QUICK $(BIN)/jupyter-book build . $(JB_FLAGS)
	$(MAKE) --no-print-directory pdf-from-site PDF_SITE=_build/html PDF_DIR=_build/pdf
	$(BIN)/pytest tests/site -q -p no:cacheprovider $(XDIST) --site-dir _build/html --notebooks-dir $(NOTEBOOKS)
	$(MAKE) --no-print-directory test-browser BROWSER_SITE=_build/html
	@echo "Open _build/html/index.html"

test: test-unit test-notebooks test-build test-site test-pdf test-browser  ## run every check CI runs

test-unit: $(STAMP)  ## unit tests of the helper and the tooling, book-structure tests (seconds; 2 processes)
	$(BIN)/pytest tests/helper tests/tools tests/content -q $(XDIST)

pdf: $(STAMP) browser-deps  ## the whole book as one PDF, from the full build's executed notebooks (shared cache) -> _build/pdf/
	env -u ZEROTOALL_QUICK $(BIN)/jupyter-book build . $(JB_FLAGS)
	$(MAKE) --no-print-directory pdf-from-site PDF_SITE=_build/html PDF_DIR=_build/pdf

# Print PDF_SITE as PDF_DIR/$(PDF_NAME) (a copy goes to PDF_SITE, which links to it), check it
# (the checks also render a few pages to PNG in _build/artifacts/pdf/). No notebook runs here.
pdf-from-site:
	$(PDF_TOOL) build --site $(PDF_SITE) --out $(PDF_DIR)/$(PDF_NAME) --copy-to-site $(PDF_FLAGS)
	$(BIN)/pytest tests/pdf -q -p no:cacheprovider --durations=5 --pdf $(PDF_DIR)/$(PDF_NAME) \
	  --pdf-artifacts _build/artifacts/pdf

test-pdf: $(STAMP) browser-deps  ## the quick build's PDF (printed once, no page numbers in its contents) and its checks
	$(MAKE) --no-print-directory pdf-from-site PDF_SITE=$(QUICK_BUILD)/_build/html PDF_DIR=$(QUICK_BUILD)/_build/pdf \
	  PDF_FLAGS="--quick --no-toc-numbers"

reproduce: $(STAMP) notebooks  ## full-mode build from an empty cache, timed; report of every lab's numbers in _build/reproduce/
	env -u ZEROTOALL_QUICK $(BIN)/python -m zerotoall_book.reproduce --build-dir _build --out _build/reproduce

benchmark: $(STAMP)  ## time the original course's MNIST models here (a few steps each, extrapolated) against this book's labs, each run alone in full mode (~10 min)
	env -u ZEROTOALL_QUICK $(BIN)/python -m zerotoall_book.benchmark --build-dir _build $(BENCHMARK_ARGS)

notebooks: $(STAMP)  ## generate the .ipynb of every lecture and lab (what Colab/Binder open) into _build/notebooks
	$(BIN)/python -m zerotoall_book.notebooks build --out $(NOTEBOOKS)

notebooks-branch: notebooks  ## commit _build/notebooks to the local `notebooks` branch (publish.yml pushes it)
	$(BIN)/python -m zerotoall_book.notebooks commit --out $(NOTEBOOKS)

test-notebooks: notebooks  ## execute every generated notebook with nbval, in quick mode (2 at a time); keep what ran for test-build
	rm -rf $(EXECUTED)
	ZEROTOALL_QUICK=1 $(BIN)/pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=900 \
	  $(XDIST) -p no:cacheprovider -q \
	  -p zerotoall_book.executed --record-executed $(EXECUTED) --heavy-first $(NOTEBOOKS)

test-build: $(STAMP) notebooks  ## strict book build in quick mode (-W -n): broken refs or warnings fail; reuses test-notebooks' executions
	$(BIN)/python -m zerotoall_book.exec_cache $(QUICK_BUILD)/_build
	ZEROTOALL_QUICK=1 $(BIN)/python -m zerotoall_book.executed seed $(EXECUTED) --cache $(QUICK_BUILD)/_build/.jupyter_cache
	ZEROTOALL_QUICK=1 $(BIN)/jupyter-book build . --path-output $(QUICK_BUILD) $(JB_FLAGS)

test-site: $(STAMP)  ## checks on the built quick-mode site (executed outputs, figures, results table)
	$(BIN)/pytest tests/site -q -p no:cacheprovider $(XDIST) --site-dir $(QUICK_BUILD)/_build/html --notebooks-dir $(NOTEBOOKS)

browser-deps:  ## install what the browser tests need, where missing: Debian's chromium, a Korean font, npm packages
	tests/browser/browser-deps.sh

test-browser: $(STAMP) browser-deps  ## the built site in headless Chromium: pages, links, math, search, a11y, screenshots
	$(BIN)/pytest tests/browser -q -p no:cacheprovider --site-dir $(BROWSER_SITE)

linkcheck: $(STAMP)  ## check the external links of every page (needs internet; weekly in CI)
	ZEROTOALL_BUILD_MODE=linkcheck $(BIN)/jupyter-book build . --builder linkcheck --path-output _build/linkcheck

test-latest: notebooks  ## the generated notebooks (quick mode) on the NEWEST TensorFlow/Keras/NumPy/matplotlib and Python, no pins (weekly in CI)
	tools/test_latest.sh $(NOTEBOOKS) _build/latest/venv

serve: ## serve the built book on http://127.0.0.1:8000
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

# The lock tool, itself pinned; it runs from a throw-away environment, never from .venv.
LOCK_TOOL := $(UV)
lock: ## compile requirements.txt from requirements.in (keeps today's pins; UPGRADE=1 re-resolves them; needs the package registry)
	rm -rf /tmp/zerotoall-lock && $(PYTHON) -m venv /tmp/zerotoall-lock
	/tmp/zerotoall-lock/bin/pip install --quiet "$(LOCK_TOOL)"
	/tmp/zerotoall-lock/bin/uv pip compile requirements.in --output-file requirements.txt --python $(PYTHON) \
	  --annotation-style line --no-emit-package setuptools --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

clean:  ## remove the built site (keeps the execution cache)
	rm -rf _build/html $(QUICK_BUILD)/_build/html

clean-all:  ## remove every build output, the execution caches, .venv and the browser tests' npm packages
	rm -rf _build $(VENV) tests/browser/node_modules
