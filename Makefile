# FoUI Norrbotten analysis. `make reports` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data/example
OUT ?= reports

.PHONY: reports test lint lab bench check clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo 'Installerar paketen i .venv (första gången tar det någon minut) ...'
	$(BIN)/python -m pip install --quiet -e '.[dev]' > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	@touch $(STAMP)

reports: $(STAMP)
	$(BIN)/foui run all --data $(DATA) --out $(OUT)

test: lint
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check foui_analysis tests bench
	$(BIN)/ruff format --check foui_analysis tests bench

check: $(STAMP)
	$(BIN)/foui check --data $(DATA)

# JupyterLab lives in its own environment (.venv-lab) and runs the notebooks with the project's
# kernel (.venv): the report environment stays free of JupyterLab's import costs.
LAB := .venv-lab

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]' > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	@test -x $(LAB)/bin/python || $(PYTHON) -m venv $(LAB)
	$(LAB)/bin/python -m pip install --quiet 'jupyterlab>=4.1' 'ipywidgets>=8.1' > $(LAB)/pip.log 2>&1 || (cat $(LAB)/pip.log; exit 1)
	$(BIN)/python -m ipykernel install --prefix $(LAB) --name foui --display-name "FoUI Norrbotten"
	$(LAB)/bin/jupyter lab --notebook-dir=. notebooks/

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) $(LAB) reports
