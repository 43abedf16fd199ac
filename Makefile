# The two commands of the README: `make demo` and `make test`. Each creates .venv when it is
# missing and installs the project (pinned by requirements.lock) before doing its work.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SCALE  ?= S

.PHONY: demo test lint typecheck unit e2e bench clean install lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/skillboard demo

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check etl dashboard skillboard tests bench
	$(BIN)/ruff format --check etl dashboard skillboard tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e

bench: $(STAMP)
	$(BIN)/python bench/run.py --scale $(SCALE)

# Re-pin every dependency at the versions installed in .venv.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude skillboard > requirements.lock

clean:
	rm -rf data/warehouse data/inbox .pytest_cache .mypy_cache .ruff_cache
