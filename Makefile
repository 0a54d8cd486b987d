# Everything sets itself up: a machine with only Python can run any target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-quick check schema docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/roleplay

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The full run records 10 minutes of video for the memory figure; bench-quick takes about two minutes.
bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

# Regenerate the published JSON Schema and the committed state diagrams.
schema: $(STAMP)
	$(BIN)/python -m roleplay.schema_export
docs: schema
	$(BIN)/python -m roleplay.docs_export

# Everything a change must pass: lint, the built-in scenarios, fresh schema and diagrams, the tests.
check: $(STAMP)
	$(BIN)/python -m ruff check roleplay tests bench
	$(BIN)/roleplay validate scenarios/
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
