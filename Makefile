# instantly-async developer tasks (GNU make). Every Python tool runs from the project venv.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY ?= $(VENV)/bin/python
PYTHON3 ?= python3
NPM ?= npm
# make regen SPEC=path-or-url  regenerates from an upstream OpenAPI document.
SPEC ?=
# make regen RENAME=1  lets scripts/names/readable.yaml change locked method names.
RENAME ?=
# make regen SPEC=... BUMP=1  applies the version bump the change report calls for.
BUMP ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k pagination -x"
PYTEST_ARGS ?=
# make bench QUICK=1  runs every benchmark briefly (CI smoke run; writes .bench/BENCHMARKS-quick.md)
QUICK ?=
# Type-checked trees (those that exist).
MYPY_PATHS := $(wildcard instantly_async tests examples scripts)

PY_STAMP := $(VENV)/.instantly-async-installed
NODE_STAMP := node_modules/.instantly-async-installed

.PHONY: help install install-if-needed regen check-generated test lint format bench demo

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON3) -m venv $(VENV)

install: $(VENV)/bin/python ## Create .venv if missing, install the package + dev tools, and the Prism mock server
	$(PY) -m pip install -e '.[dev]'
	@touch $(PY_STAMP)
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $(NODE_STAMP)

$(PY_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $@

install-if-needed: $(PY_STAMP) $(NODE_STAMP) ## Install only when pyproject.toml / package-lock.json changed

regen: ## Rebuild instantly_async/_generated from openapi.yaml (SPEC=... to normalize an upstream document first)
	$(PY) scripts/regen.py $(if $(SPEC),--spec '$(SPEC)') $(if $(RENAME),--allow-renames) $(if $(BUMP),--bump)

check-generated: ## Fail when instantly_async/_generated differs from a fresh regeneration
	$(PY) scripts/regen.py --check

test: ## Run all tests: unit, corpus and contract (Prism), on asyncio and trio
	$(PY) -m pytest $(PYTEST_ARGS)

lint: ## ruff check, ruff format --check, mypy --strict
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy $(MYPY_PATHS)

format: ## Apply ruff fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: ## Run the benchmarks against instantlyai and raw httpx, write BENCHMARKS.md (QUICK=1: smoke run)
	$(PY) benchmarks/run.py $(if $(QUICK),--quick)

demo: install-if-needed ## Start Prism and run examples/quickstart.py against it
	$(PY) examples/run_demo.py
