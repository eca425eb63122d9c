# Every entry point of the project. Each target creates .venv and installs what
# it needs, so `make book` and `make test` work on a new machine.
PYTHON ?= python3.11
VENV   := .venv
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
	@echo "make bench  speed and memory benchmarks (installs PyTorch as the reference)"
	@echo "make lint   ruff over cnnlib, tests, benchmarks and the book (notebooks, extensions)"
	@echo "make clean  remove build output and caches (keeps .venv)"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: $(PYTHON) not found; run 'make PYTHON=python3 ...' with Python 3.11"; \
	  exit 1; }
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

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser --notebook-dir=$(CURDIR)

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

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis .jupyter_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
