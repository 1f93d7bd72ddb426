# Coalition Mapper: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast screenshots install install-dev lint format bench clean

run: install
	$(BIN)/streamlit run serve.py

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mapping ui
	$(BIN)/python -m pytest

# While working: lint and every test but the real-browser ones, on every core (pytest-xdist),
# stopping at the first failure.
test-fast: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mapping ui
	$(BIN)/python -m pytest -m "not browser" -n auto -x -q

# Retake the user guide's pictures into docs/images/ (tests write them to a temporary folder).
screenshots: install-dev
	MAPPING_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_docs_screenshots.py

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mapping ui

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	$(BIN)/python -m mapping bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
