# Every entry point of the project. Each target creates .venv and installs what
# it needs, so `make book` and `make test` work on a new machine.
# The newest Python from 3.11 to 3.13 that runs here (a command that exists but
# fails, such as an inactive pyenv shim, is passed over); `make PYTHON=...` picks one.
ifndef PYTHON
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
  >/dev/null 2>&1 && { echo $$p; break; }; done)
endif
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Plots render off-screen; nothing waits for a display.
export MPLBACKEND := Agg

.PHONY: help venv book test lint lab serve bench torch clean live py312 bench-live

# The in-browser versions (Pyodide 0.27.7): a second venv with Python 3.12.
PY312   ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
             $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null \
             && echo $$p && break; done)
VENV312 := .venv-py312
STAMP312 := $(VENV312)/.installed
# cnnlib's unit tests (not the build, the book's Sphinx extensions and live-app
# tooling, the site or the repository checks: those need the main venv's Sphinx,
# PyYAML and JupyterLab)
UNIT_TESTS := $(filter-out tests/test_build.py tests/test_repo_hygiene.py \
                tests/test_site_extensions.py tests/test_make_lab.py \
                tests/test_answer_forms.py tests/test_runlive.py,\
                $(wildcard tests/test_*.py))

help:
	@echo "make book   build the rendered book into _build/html (executes every notebook)"
	@echo "make test   run every test: cnnlib, notebooks, the build, browsers"
	@echo "make lab    JupyterLab on 127.0.0.1 (token-protected) to run the chapters"
	@echo "make serve  serve _build/html on http://127.0.0.1:8000 (needed for 'Run live')"
	@echo "make live   fetch and verify the in-browser Python (Pyodide) for 'Run live'"
	@echo "make py312  cnnlib's tests and chapter 4 on the in-browser versions (Python 3.12)"
	@echo "make bench  speed, memory and live-widget latency (installs PyTorch as the reference)"
	@echo "make bench-live  start-up of a live chapter in Chromium (bytes, seconds)"
	@echo "make lint   ruff over cnnlib, tests, benchmarks and the book (notebooks, extensions)"
	@echo "make clean  remove build output and caches (keeps .venv)"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { \
	  echo "error: no Python 3.11 to 3.13 found; run 'make PYTHON=/path/to/python3.1x ...'"; \
	  exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	  || { echo "error: $(PYTHON) is not a working Python 3.11 to 3.13"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Pinned downloads into ~/.cache/cnnbook (or $$CNNBOOK_CACHE), each checked against
# its sha256 and the official pyodide-lock.json; without them the book is built
# with a note instead of the "Run live" buttons (in CI, that is an error).
live: $(STAMP)
	$(BIN)/python book/_ext/runlive.py fetch

book: $(STAMP) live
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"
	@echo "(or run 'make serve' and visit http://127.0.0.1:8000)"

test: $(STAMP) live
	$(BIN)/pytest

$(STAMP312): requirements-py312.txt
	@test -n "$(PY312)" || { echo "error: Python 3.12 not found (set PY312=...)"; exit 1; }
	test -x $(VENV312)/bin/python || $(PY312) -m venv $(VENV312)
	$(VENV312)/bin/python -m pip install --quiet -r requirements-py312.txt
	touch $(STAMP312)

# cnnlib from this tree (PYTHONPATH), on the versions the live book runs on.
py312: $(STAMP312)
	PYTHONPATH=$(CURDIR) $(VENV312)/bin/python -c "import sys, numpy, matplotlib; \
	  print(sys.version.split()[0], numpy.__version__, matplotlib.__version__)"
	PYTHONPATH=$(CURDIR) $(VENV312)/bin/python -m pytest -q -p no:cacheprovider \
	  -o addopts="-ra --strict-markers" -n 2 $(UNIT_TESTS)
	PYTHONPATH=$(CURDIR) $(VENV312)/bin/jupyter-execute --timeout=300 \
	  book/04-backprop-deltas.ipynb

lint: $(STAMP)
	$(BIN)/ruff check cnnlib tests benchmarks book

# JupyterLab refuses to run as root unless told; in a container root is the usual
# user, and the server listens on 127.0.0.1 only, behind a token, either way.
LAB_PORT ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
lab: $(STAMP)
	@test -z "$(ROOT_FLAG)" || echo "make lab: running as root (in a container?):\
	 passing --allow-root; the server still listens on 127.0.0.1 only, behind a token"
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  --no-browser --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) \
	  --ServerApp.kernel_websocket_connection_class=cnnlib.lab.QuickKernelConnection

serve:
	@test -f _build/html/index.html || { echo "no build yet: run 'make book'"; exit 1; }
	$(PYTHON) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# PyTorch is only a reference for tests and benchmarks. The pinned CPU build:
# on machines without a local wheel, add --index-url for the CPU builds.
torch: $(STAMP)
	$(BIN)/python -m pip install --quiet "torch==2.13.0"

# OpenBLAS pinned to one kernel by the environment would be measured instead of
# the code: the benchmark runs without those two settings.
bench: torch
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/live_latency.py

# Needs a built book (make book); writes the "live" entry of benchmarks/results.json.
bench-live: $(STAMP)
	$(BIN)/python benchmarks/live.py

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis .jupyter_cache $(VENV312)
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
