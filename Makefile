# instantly-async developer tasks (GNU make). Every Python tool runs from the project venv.
# Each target installs what it needs on first use (a fresh clone can start with `make test`):
# `make demo` only the SDK, `make test`/`lint` the dev tools (and Prism), `make docs`
# the documentation tools. Installs are quiet: one line per step, the output in .tmp/logs/.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY ?= $(VENV)/bin/python
PYTHON3 ?= python3
NPM ?= npm
NODE ?= node
# make regen SPEC=path-or-url  regenerates from an upstream OpenAPI document.
SPEC ?=
# make regen RENAME=1  lets scripts/names/readable.yaml change locked method names.
RENAME ?=
# make regen SPEC=... BUMP=1  applies the version bump the change report calls for.
BUMP ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k pagination -x"
PYTEST_ARGS ?=
# Extra arguments for mkdocs build, e.g. make docs DOCS_ARGS=--strict (CI does)
DOCS_ARGS ?=
# make bench QUICK=1  runs every benchmark briefly (CI smoke run; writes .bench/BENCHMARKS-quick.md)
QUICK ?=
# Type-checked trees (those that exist).
MYPY_PATHS := $(wildcard instantly_async tests examples scripts)

STEP := scripts/step.sh
LOGS := .tmp/logs
PIP := $(PY) -m pip install --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.instantly-async-runtime
PY_STAMP := $(VENV)/.instantly-async-installed
DOCS_STAMP := $(VENV)/.instantly-async-docs
# Installed once; after a change of package-lock.json: rm -rf node_modules && make install.
# (No timestamp rule: in a git worktree node_modules may be a symlink to another checkout's.)
PRISM := node_modules/.bin/prism

# The generator (openapi-python-client 0.29.1) needs Python 3.11+; everything else runs on 3.10.
define need_py311
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "make $@ needs Python 3.11+ (the generator, openapi-python-client 0.29.1, does);" \
	       "$(VENV) has $$($(PY) --version 2>&1)." >&2; \
	  echo "On Python 3.10 you can still run make demo, make test and make docs." \
	       "For $@: rm -rf $(VENV) && make install PYTHON3=python3.11 (or newer)." >&2; \
	  exit 1; }
endef

.PHONY: help install regen check-generated test lint format bench demo demo-prism docs docs-serve \
	prism-if-possible

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# ------------------------------------------------------------------ installs (on demand)

$(VENV)/bin/python:
	@version=$$($(PYTHON3) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || { \
	  echo "Cannot run $(PYTHON3): instantly-async needs Python 3.10+." \
	       "Point PYTHON3 at one: make ... PYTHON3=/path/to/python3.12" >&2; \
	  exit 1; }; \
	$(PYTHON3) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { \
	  echo "instantly-async needs Python 3.10+, $(PYTHON3) is $$version" \
	       "(pick another: make ... PYTHON3=python3.12)." >&2; \
	  exit 1; }
	@$(STEP) "creating $(VENV) ($$($(PYTHON3) --version 2>&1))" $(LOGS)/venv.log $(PYTHON3) -m venv $(VENV)

# The SDK alone, with its runtime dependencies (httpx, attrs, anyio): all `make demo` needs.
$(RUNTIME_STAMP): pyproject.toml | $(VENV)/bin/python
	@$(STEP) "installing instantly-async into $(VENV) (runtime dependencies only)" \
	  $(LOGS)/pip-runtime.log $(PIP) -e .
	@touch $@

$(PY_STAMP): pyproject.toml | $(VENV)/bin/python
	@$(STEP) "installing instantly-async and the dev tools into $(VENV)" \
	  $(LOGS)/pip-dev.log $(PIP) -e '.[dev]'
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  echo "    note: $$($(PY) --version 2>&1): the generator is not installed (it needs 3.11+)," \
	       "so make regen and make check-generated will not run here; everything else does."
	@touch $@ $(RUNTIME_STAMP)

$(DOCS_STAMP): pyproject.toml | $(VENV)/bin/python
	@$(STEP) "installing the documentation tools (mkdocs-material, mkdocstrings) into $(VENV)" \
	  $(LOGS)/pip-docs.log $(PIP) -e '.[docs]'
	@touch $@ $(RUNTIME_STAMP)

# The Prism mock server (pinned in package-lock.json); needs Node 18+ and npm.
$(PRISM):
	@command -v $(NPM) >/dev/null && command -v $(NODE) >/dev/null || { \
	  echo "The Prism mock server needs Node.js 18+ with npm, and this machine has no" \
	       "$$(command -v $(NODE) >/dev/null && echo npm || echo node)." >&2; \
	  echo "Install Node 18+ (https://nodejs.org), or go without the mock: make test runs" \
	       "everything but the contract tests, and examples/quickstart.py runs against any" \
	       "INSTANTLY_BASE_URL (see README.md)." >&2; \
	  exit 1; }
	@$(NODE) -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' || { \
	  echo "The Prism mock server needs Node.js 18+, this is $$($(NODE) --version)." >&2; \
	  exit 1; }
	@$(STEP) "installing the Prism mock server (npm ci, Node $$($(NODE) --version))" \
	  $(LOGS)/npm-ci.log $(NPM) ci --ignore-scripts --no-audit --no-fund --prefer-offline

# For the test suite the mock server is optional: without Node the contract tests skip.
prism-if-possible:
	@if [ -e $(PRISM) ]; then :; \
	elif { command -v $(NPM) && command -v $(NODE); } >/dev/null; then \
	  $(MAKE) --no-print-directory $(PRISM); \
	else \
	  echo "note: no Node.js/npm here, so the contract tests against the Prism mock server" \
	       "will be skipped (install Node 18+ to run them)."; \
	fi

install: $(PY_STAMP) $(PRISM) ## Install what is missing or outdated: .venv with the dev tools, and the Prism mock server

# ------------------------------------------------------------------ tasks

regen: $(PY_STAMP) ## Rebuild instantly_async/_generated from openapi.yaml (SPEC=... to normalize an upstream document first)
	$(need_py311)
	$(PY) scripts/regen.py $(if $(SPEC),--spec '$(SPEC)') $(if $(RENAME),--allow-renames) $(if $(BUMP),--bump)

check-generated: $(PY_STAMP) ## Fail when instantly_async/_generated differs from a fresh regeneration
	$(need_py311)
	$(PY) scripts/regen.py --check

test: $(PY_STAMP) prism-if-possible ## Run all tests: unit, corpus and contract (Prism), on asyncio and trio
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(PY_STAMP) ## ruff check, ruff format --check, mypy --strict
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy $(MYPY_PATHS)

format: $(PY_STAMP) ## Apply ruff fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(PY_STAMP) ## Run the benchmarks against instantlyai and raw httpx, write BENCHMARKS.md (QUICK=1: smoke run)
	$(PY) benchmarks/run.py $(if $(QUICK),--quick)

docs: $(DOCS_STAMP) ## Build the documentation site into site/ (DOCS_ARGS=--strict fails on broken links)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build $(DOCS_ARGS)

docs-serve: $(DOCS_STAMP) ## Serve the documentation site on http://127.0.0.1:8000 with live reload
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve

demo: $(RUNTIME_STAMP) ## Install only the SDK, then run examples/quickstart.py on the in-process fake (no Node)
	@$(PY) examples/run_demo.py

demo-prism: ## The same against the Prism mock server (installs Prism; needs Node)
	@# the two installs side by side (pip and npm wait on the network and the disk)
	@STEP_PARALLEL=1 $(MAKE) --no-print-directory -s -j2 $(RUNTIME_STAMP) $(PRISM)
	@$(PY) examples/run_demo.py --prism
