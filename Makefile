# archgen: `make diagrams` and `make test` set everything up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup graphviz chromium diagrams test lint golden bench schema readme-image clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) graphviz ## Create .venv, install archgen with its dev tools, check Graphviz

$(STAMP): pyproject.toml
	@scripts/ensure-python.sh $(PYTHON)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "error: archgen needs Python 3.10 or newer ($(PYTHON) is older)" >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "error: could not create $(VENV): on Debian/Ubuntu, sudo apt-get install python3-venv" >&2; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

graphviz: ## Make sure Graphviz's dot is installed (apt-get when root on Debian/Ubuntu)
	@scripts/ensure-graphviz.sh

chromium: ## Make sure Chromium is installed (a test opens the gallery in it)
	@scripts/ensure-chromium.sh

diagrams: setup ## Build every blueprint in blueprints/ (every variant) into output/: what changed
	$(BIN)/archgen build blueprints -o output

test: setup chromium ## Run the whole test suite
	$(BIN)/python -m pytest

lint: setup ## ruff and mypy
	$(BIN)/ruff check arch tests
	$(BIN)/mypy arch tests

golden: setup ## Refresh the golden files of generated code in tests/golden/
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

schema: setup ## Rewrite schema/blueprint.schema.json from the code
	$(BIN)/archgen schema > schema/blueprint.schema.json

bench: setup ## Benchmarks: speed (ratios in the same run), layout quality of every picture
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/layout.py
	$(BIN)/python bench/build.py

readme-image: setup ## Re-render the seed picture the README shows (docs/img/)
	$(BIN)/archgen render blueprints/aws-web-app.yaml -o docs/img -f png --dpi 64

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf output .pytest_cache .mypy_cache .ruff_cache .hypothesis
