# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup openstack run test lint check cov bench clean

setup: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

## Serve the API on http://127.0.0.1:7071/api/v1/ with Azurite, until Ctrl-C.
run: setup
	scripts/run.sh

## Debian's Keystone and nova-api for the OpenStack tests (apt-get only where a command is missing).
openstack:
	scripts/openstack/install.sh

## The whole suite, with its own Azurite (and Keystone, nova-api) on free ports (runs beside `make run`).
test: setup openstack
	$(PY) -m pytest

## Lint, type-check and test in one go, the suite with coverage of shared/.
check: lint cov

## The whole suite with line and branch coverage of shared/ (files at 100% left out of the table).
## `make cov COV_TESTS=tests/unit` measures what runs without storage.
COV_TESTS ?=
cov: setup openstack
	$(PY) -m pytest --cov=shared --cov-branch --cov-report=term-missing:skip-covered $(COV_TESTS)

## Style, types, and the import layers of docs/architecture.md (the contracts in pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared
	$(VENV)/bin/lint-imports --no-cache

## Benchmarks (figures, not pass/fail); see bench/README.md.
bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules .azurite .pytest_cache .mypy_cache .ruff_cache .coverage
