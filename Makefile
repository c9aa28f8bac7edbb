# Carbon-market workbooks. `make` sets up .venv and builds every paper; `make test` tests.
# The build itself (python -m carbonlib build) skips notebooks whose notebook, library, data
# and parameters are unchanged, so the recipe below only decides whether to ask it at all.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
BUILD  := build
# pytest workers for `make test` (pytest-xdist): one per core unless set, e.g. make test TEST_WORKERS=1
TEST_WORKERS ?= auto
DEEP_EXAMPLES ?= 40

NOTEBOOKS := $(wildcard notebooks/*.ipynb)
SCENARIOS := $(wildcard notebooks/params/*/*.yaml)
LIBRARY   := $(wildcard carbonlib/*.py carbonlib/*/*.py carbonlib/*/*.mplstyle carbonlib/*/*.csv)
DATA      := data/datapackage.json $(wildcard data/raw/*.csv data/published/*.csv data/illustrative/*.csv data/provided/*.json)

# The EUA price history workbook 06 reads (vendor data, never committed): the shared copy beside
# the clone unless CARBONLIB_EUA_PRICES is set (set it empty to build without a price history).
EUA_PRICES_DEFAULT := $(abspath ../shared/data/eua/eua_futures_investing_daily_2005-2024.csv)
ifeq ($(origin CARBONLIB_EUA_PRICES),undefined)
ifneq ($(wildcard $(EUA_PRICES_DEFAULT)),)
export CARBONLIB_EUA_PRICES := $(EUA_PRICES_DEFAULT)
endif
endif
# The EEA verified emissions workbook 08 reads (provided data, read by path, never committed):
# the shared copy beside the clone unless CARBONLIB_EEA_EMISSIONS is set (empty: none).
EEA_EMISSIONS_DEFAULT := $(abspath ../shared/data/eea/eea_euets_sector_verified_emissions_2005-2025.csv)
ifeq ($(origin CARBONLIB_EEA_EMISSIONS),undefined)
ifneq ($(wildcard $(EEA_EMISSIONS_DEFAULT)),)
export CARBONLIB_EEA_EMISSIONS := $(EEA_EMISSIONS_DEFAULT)
endif
endif

.DEFAULT_GOAL := all
.PHONY: all setup build test test-deep lint lab clean distclean help bench datapackage browser pdf

all: $(BUILD)/.built ## set up the environment (once) and build every workbook into build/html/

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

setup: $(STAMP) ## create .venv with the pinned packages and carbonlib installed editable

# A run from JupyterLab or plain papermill marks its workbook in the manifest (status
# "interactive"); the manifest is then newer than the stamp and `make` rebuilds that workbook.
MANIFESTS := $(wildcard $(BUILD)/manifest.json $(BUILD)/zh-TW/manifest.json)

$(BUILD)/.built: $(STAMP) $(NOTEBOOKS) $(SCENARIOS) $(LIBRARY) $(DATA) $(MANIFESTS)
	$(PY) -m carbonlib build
	@touch $@

build: $(STAMP) ## (re)run the build of both editions (one execution each), letting it decide what changed (also sees a new price file)
	$(PY) -m carbonlib build
	@touch $(BUILD)/.built

pdf: $(STAMP) browser $(BUILD)/.built ## print the combined paper and every workbook's paper to PDF in headless Chromium (build/pdf/, build/zh-TW/pdf/)
	$(PY) -m carbonlib pdf

test: $(STAMP) browser $(BUILD)/.built ## set up and build if needed, then lint, check the import rules, the data package and fixtures, run every test (browser checks included)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) tools/assemble_datapackage.py --check
	$(PY) tools/make_synthetic_prices.py --check
	$(PY) -m pytest -n $(TEST_WORKERS)

test-deep: $(STAMP) ## the generative valid-input tests with many more drawn inputs (DEEP_EXAMPLES, default 40; slow)
	CARBONLIB_HYPOTHESIS_EXAMPLES=$(DEEP_EXAMPLES) $(PY) -m pytest -n $(TEST_WORKERS) tests/test_valid_inputs.py tests/test_prices_valid.py

browser: ## install Debian's chromium for the browser tests if it is missing (as root or with password-less sudo)
	@tools/ensure_chromium.sh

lint: $(STAMP) ## ruff, and the import rules of the two wings (import-linter contracts in pyproject.toml)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache

datapackage: $(STAMP) ## regenerate data/datapackage.json (descriptors from data/resources/*.json, the hash of every file) and data/README's list
	$(PY) tools/assemble_datapackage.py

bench: $(STAMP) ## run every benchmark script under benchmarks/
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lab: $(STAMP) ## open JupyterLab on the notebooks with the project's kernel (127.0.0.1; as root too)
	$(PY) -m carbonlib lab

clean: ## remove build/
	rm -rf $(BUILD)

distclean: clean ## remove build/ and .venv/
	rm -rf $(VENV)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'
