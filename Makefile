# FoUI Norrbotten analysis. `make reports` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
LAB_LOCK := requirements-lab.lock
DATA ?= data/example
OUT ?= reports

.PHONY: reports test test-fast test-lowest lint typecheck lab lab-setup kernel notebook-filter bench bench-large check clean setup lock

# The project's Jupyter kernel: the notebooks are committed with kernelspec `foui`, so plain
# `papermill` (which starts the kernel a notebook names) and JupyterLab both run them with .venv.
KERNEL := foui
KERNEL_DISPLAY := FoUI Norrbotten
KERNELSPEC := $(VENV)/share/jupyter/kernels/$(KERNEL)/kernel.json

setup: $(STAMP) kernel notebook-filter

kernel: $(KERNELSPEC)

$(KERNELSPEC): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL_DISPLAY)" > /dev/null
	@echo 'Jupyter-kärnan "$(KERNEL_DISPLAY)" ($(KERNEL)) är installerad i $(VENV).'

# Git strips outputs, execution counts and editor metadata from notebooks when they are staged
# (tools/nbstrip, named in .gitattributes). The setting is this clone's own (.git/config).
notebook-filter: $(STAMP)
	@if git rev-parse --git-dir > /dev/null 2>&1; then \
	  git config filter.nbstripout.clean tools/nbstrip && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv 'tools/nbstrip -t' && \
	  echo 'Git rensar notebooks från utdata vid git add (tools/nbstrip).'; fi

# The environment comes from the lock file (every distribution pinned, with hashes): pip
# installs exactly what requirements.lock says, then the package itself without resolving
# anything (--no-deps) with the locked setuptools (--no-build-isolation).
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo 'Installerar paketen i $(VENV) från $(LOCK) (första gången tar det någon minut) ...'
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK) > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . >> $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	@touch $(STAMP)

# Update the lock after changing the dependencies in pyproject.toml: `make lock`. Versions
# already in the lock are kept where they still fit; `make lock UPGRADE=1` takes the newest of
# everything. environment.yml and environment-lab.yml are regenerated from the lock. uv comes
# locked with the dev tools (.venv/bin/uv; before the first `make setup`, any uv on PATH:
# `make lock UV=uv`).
UV ?= $(BIN)/uv
lock:
	$(UV) pip compile pyproject.toml requirements-build.in --extra dev --extra lab --universal \
	  --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
	  $(if $(UPGRADE),--upgrade) --quiet --output-file $(LOCK)
	$(UV) pip compile requirements-lab.in --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) --quiet \
	  --output-file $(LAB_LOCK)
	$(BIN)/python tools/environment_yml.py

reports: $(STAMP) kernel
	$(BIN)/foui run all --data $(DATA) --out $(OUT)

test: lint typecheck kernel
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check foui_analysis tests bench tools
	$(BIN)/ruff format --check foui_analysis tests bench tools

# mypy on the library, configured in pyproject.toml ([tool.mypy]).
typecheck: $(STAMP)
	$(BIN)/mypy

# The unit and property tests alone (no notebooks, no browser, no Jupyter server, no programs
# started, no whole-data-set pipeline: marker `pipeline`), property tests with a fifth of their
# examples (tests/hypothesis_budget.py): the quick loop while working. `make test` runs
# everything in full. Python's bytecode caches stay on here even where the environment turns
# them off (PYTHONDONTWRITEBYTECODE, common in containers): without them every run compiles
# pandas and the rest again and pytest rewrites every test module again (about 10 s per worker).
FAST := not slow and not browser and not jupyter
test-fast: $(STAMP)
	@PYTHONDONTWRITEBYTECODE= FOUI_FAST_TESTS=1 $(BIN)/python -c 'import subprocess, sys, time; start = time.monotonic(); code = subprocess.call(sys.argv[1:]); print(f"make test-fast: {time.monotonic() - start:.1f} s"); sys.exit(code)' \
	  $(BIN)/python -m pytest -q -m '$(FAST) and not pipeline' -n 2 --dist worksteal

# The lowest versions pyproject.toml allows for each direct dependency, in a venv of their own
# (.venv-lowest, with $(PYTHON)), and the fast tests on them: a lower bound that is too low
# fails here.
LOWEST := .venv-lowest
test-lowest: $(STAMP)
	@test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(UV) pip compile pyproject.toml --extra dev --extra lab --resolution lowest-direct --only-binary :all: \
	  --python $(LOWEST)/bin/python --quiet --output-file $(LOWEST)/requirements-lowest.txt
	$(UV) pip sync --quiet --python $(LOWEST)/bin/python $(LOWEST)/requirements-lowest.txt
	$(UV) pip install --quiet --python $(LOWEST)/bin/python --no-deps -e .
	$(LOWEST)/bin/python -m pytest -q -m '$(FAST)' -n 2

check: $(STAMP)
	$(BIN)/foui check --data $(DATA)

# JupyterLab lives in its own environment (.venv-lab) and runs the notebooks with the project's
# kernel (.venv): the report environment stays free of JupyterLab's import costs.
# `make lab-setup` installs everything without starting JupyterLab (CI runs it for the tests that
# go through a real Jupyter server); `make lab` then starts it.
LAB := .venv-lab
LAB_STAMP := $(LAB)/.installed
# Jupyter refuses to run as root unless told; as root (a container, CI) it is told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab-setup: $(LAB_STAMP) notebook-filter

# The kernel's side (.venv) has the widgets already: the lock includes the `lab` extra.
$(LAB_STAMP): $(STAMP) $(KERNELSPEC) $(LAB_LOCK)
	@test -x $(LAB)/bin/python || $(PYTHON) -m venv $(LAB)
	@echo 'Installerar JupyterLab i $(LAB) från $(LAB_LOCK) ...'
	$(LAB)/bin/python -m pip install --quiet --require-hashes -r $(LAB_LOCK) > $(LAB)/pip.log 2>&1 || (cat $(LAB)/pip.log; exit 1)
	$(LAB)/bin/jupyter kernelspec install --sys-prefix --name $(KERNEL) $(dir $(KERNELSPEC)) > /dev/null 2>&1
	$(LAB)/bin/jupyter kernelspec list | grep '^ *$(KERNEL) ' > /dev/null || (echo 'Kärnan $(KERNEL) saknas i $(LAB)'; exit 1)
	@touch $(LAB_STAMP)

lab: lab-setup
	@$(if $(ALLOW_ROOT),echo 'Du kör som root: JupyterLab startas med --allow-root.')
	$(LAB)/bin/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks

bench: $(STAMP) kernel
	$(BIN)/python bench/bench.py

# foui check of 1.6 million activities (200 MB): a few minutes, so not part of `make bench`.
bench-large: $(STAMP)
	$(BIN)/python bench/large_inputs.py

clean:
	rm -rf $(VENV) $(LAB) $(LOWEST) reports
