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
NOTEBOOKS := _build/notebooks
# The site the browser tests open (make book points them at _build/html).
BROWSER_SITE ?= $(QUICK_BUILD)/_build/html
# The book's PDF, printed from a built site (tools/zerotoall_book/pdf.py) and copied into it.
PDF_NAME := zerotoall-season1.pdf
PDF_TOOL := $(BIN)/python tools/zerotoall_book/pdf.py

# Offline dataset mirror: development machines and CI have the course's datasets in
# ../shared/datasets. Elsewhere the helper downloads from the canonical URLs.
ifneq ($(wildcard ../shared/datasets/SHA256SUMS),)
export ZEROTOALL_DATA ?= $(abspath ../shared/datasets)
endif
# Keep TensorFlow's C++ start-up banner out of the executed pages.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv book pdf pdf-from-site test-pdf reproduce notebooks notebooks-branch linkcheck test test-unit test-notebooks test-build test-site browser-deps test-browser serve lock clean clean-all

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): requirements.txt pyproject.toml book/_ipython/ipython_kernel_config.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	mkdir -p $(VENV)/etc/ipython && cp book/_ipython/ipython_kernel_config.py $(VENV)/etc/ipython/
	touch $@

venv: $(STAMP)  ## create .venv with the pinned requirements and the helper package

book: $(STAMP) notebooks browser-deps  ## build the book in full mode (every lab at its real settings) into _build/html, with its PDF
	env -u ZEROTOALL_QUICK $(BIN)/jupyter-book build . $(JB_FLAGS)
	$(MAKE) --no-print-directory pdf-from-site PDF_SITE=_build/html PDF_DIR=_build/pdf
	$(BIN)/pytest tests/site -q -p no:cacheprovider --site-dir _build/html --notebooks-dir $(NOTEBOOKS)
	$(MAKE) --no-print-directory test-browser BROWSER_SITE=_build/html
	@echo "Open _build/html/index.html"

test: test-unit test-notebooks test-build test-site test-pdf test-browser  ## run every check CI runs

test-unit: $(STAMP)  ## helper unit tests and book-structure tests (seconds)
	$(BIN)/pytest tests --ignore=tests/site --ignore=tests/browser --ignore=tests/pdf -q

pdf: $(STAMP) browser-deps  ## the whole book as one PDF, from the full build's executed notebooks (shared cache) -> _build/pdf/
	env -u ZEROTOALL_QUICK $(BIN)/jupyter-book build . $(JB_FLAGS)
	$(MAKE) --no-print-directory pdf-from-site PDF_SITE=_build/html PDF_DIR=_build/pdf

# Print PDF_SITE as PDF_DIR/$(PDF_NAME) (a copy goes to PDF_SITE, which links to it), check it,
# and render a few pages to PNG in _build/artifacts/pdf/. No notebook runs here.
pdf-from-site:
	$(PDF_TOOL) build --site $(PDF_SITE) --out $(PDF_DIR)/$(PDF_NAME) --copy-to-site $(PDF_FLAGS)
	$(BIN)/pytest tests/pdf -q -p no:cacheprovider --pdf $(PDF_DIR)/$(PDF_NAME)
	$(PDF_TOOL) render $(PDF_DIR)/$(PDF_NAME) --out _build/artifacts/pdf

test-pdf: $(STAMP) browser-deps  ## the quick build's PDF (printed once, no page numbers in its contents) and its checks
	$(MAKE) --no-print-directory pdf-from-site PDF_SITE=$(QUICK_BUILD)/_build/html PDF_DIR=$(QUICK_BUILD)/_build/pdf \
	  PDF_FLAGS="--quick --no-toc-numbers"

reproduce: $(STAMP)  ## full-mode build from an empty cache, timed; report of every lab's numbers in _build/reproduce/
	env -u ZEROTOALL_QUICK $(BIN)/python book/_ext/reproduce.py --build-dir _build --out _build/reproduce

notebooks: $(STAMP)  ## generate the .ipynb of every lecture and lab (what Colab/Binder open) into _build/notebooks
	$(BIN)/python book/_ext/notebooks.py build --out $(NOTEBOOKS)

notebooks-branch: notebooks  ## commit _build/notebooks to the local `notebooks` branch (publish.yml pushes it)
	$(BIN)/python book/_ext/notebooks.py commit --out $(NOTEBOOKS)

test-notebooks: notebooks  ## execute every generated notebook with nbval, in quick mode (2 at a time)
	ZEROTOALL_QUICK=1 $(BIN)/pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=900 \
	  -n 2 --dist loadfile -p no:cacheprovider -q $(NOTEBOOKS)/lectures/*.ipynb $(NOTEBOOKS)/labs/*.ipynb

test-build: $(STAMP)  ## strict book build in quick mode (-W -n): broken refs or warnings fail
	ZEROTOALL_QUICK=1 $(BIN)/jupyter-book build . --path-output $(QUICK_BUILD) $(JB_FLAGS)

test-site: $(STAMP)  ## checks on the built quick-mode site (executed outputs, figures, results table)
	$(BIN)/pytest tests/site -q -p no:cacheprovider --site-dir $(QUICK_BUILD)/_build/html --notebooks-dir $(NOTEBOOKS)

browser-deps:  ## install what the browser tests need, where missing: Debian's chromium, a Korean font, npm packages
	tests/browser/browser-deps.sh

test-browser: $(STAMP) browser-deps  ## the built site in headless Chromium: pages, links, math, search, a11y, screenshots
	$(BIN)/pytest tests/browser -q -p no:cacheprovider --site-dir $(BROWSER_SITE)

linkcheck: $(STAMP)  ## check the external links of every page (needs internet; weekly in CI)
	mkdir -p _build/linkcheck
	sed -e 's/^  execute_notebooks: .*/  execute_notebooks: "off"/' -e 's|: book/_ext$$|: $(CURDIR)/book/_ext|' \
	  _config.yml > _build/linkcheck/_config.yml
	$(BIN)/jupyter-book build . --builder linkcheck --config _build/linkcheck/_config.yml --path-output _build/linkcheck

serve: ## serve the built book on http://127.0.0.1:8000
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

lock: ## re-resolve requirements.txt from the direct dependencies (needs the package registry)
	rm -rf /tmp/zerotoall-lock && $(PYTHON) -m venv /tmp/zerotoall-lock
	/tmp/zerotoall-lock/bin/pip install --quiet --upgrade pip
	/tmp/zerotoall-lock/bin/pip install --quiet "jupyter-book==1.0.4.post1" "tensorflow-cpu==2.21.*" \
	  jupytext nbval pytest pytest-xdist matplotlib sphinx-exercise playwright tensorboard pypdf
	{ sed -n '1,/^# --- pinned/p' requirements.txt; \
	  /tmp/zerotoall-lock/bin/pip freeze --exclude-editable; \
	  echo "# the course's helper package, from this repository"; echo "-e ."; } > requirements.txt.new
	mv requirements.txt.new requirements.txt

clean:  ## remove the built site (keeps the execution cache)
	rm -rf _build/html $(QUICK_BUILD)/_build/html

clean-all:  ## remove every build output, the execution caches, .venv and the browser tests' npm packages
	rm -rf _build $(VENV) tests/browser/node_modules
