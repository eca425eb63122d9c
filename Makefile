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

.PHONY: help venv book test lint lab serve bench torch clean

help:
	@echo "make book   build the rendered book into _build/html (executes every notebook)"
	@echo "make test   run every test: cnnlib, notebooks, the build, browsers"
	@echo "make lab    JupyterLab on 127.0.0.1 (token-protected) to run the chapters"
	@echo "make serve  serve _build/html on http://127.0.0.1:8000"
	@echo "make bench  speed, memory and live-widget latency (installs PyTorch as the reference)"
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

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"
	@echo "(or run 'make serve' and visit http://127.0.0.1:8000)"

test: $(STAMP)
	$(BIN)/pytest

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
	  --no-browser --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG)

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

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis .jupyter_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
