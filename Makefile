# Everything sets itself up: a machine with only Python can run any target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast typecheck bench bench-quick check schema docs messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/roleplay

# The suite runs on every core (pytest-xdist; `-n auto` is two workers more than the cores, as tests also
# wait: tests/conftest.py); `make test WORKERS=0` runs it in one process.
# Markers: ui (Textual Pilot and snapshots), video (recording, replay, camera), slow.
WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS)

# While developing: everything but the ui, video and slow tests (a few seconds).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) -m "not ui and not video and not slow"

# Strict typing of roleplay/core, and the import contract (settings in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/python -m mypy roleplay/core
	$(BIN)/lint-imports

# The full run records 10 minutes of video for the memory figure; bench-quick is a smaller smoke test of every figure (a few minutes).
# Both run 30 simulated phones on 127.0.0.1 through whole room sessions (bench/room_bench.py: 3 sessions, quick 1).
# `python bench/run.py --json FILE` also writes the figures as JSON.
bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

# Regenerate the published JSON Schema, the committed state diagrams, the summaries shipped with the
# built-in scenarios (scenarios/summaries.json: a first `roleplay list`) and the session-log reference.
schema: $(STAMP)
	$(BIN)/python -m roleplay.schema_export
docs: schema
	$(BIN)/python -m roleplay.docs_export
	$(BIN)/python -m roleplay.log_doc

# Everything a change must pass: lint, the built-in scenarios, types and the import contract,
# fresh schema and diagrams, the tests.
check: $(STAMP)
	$(BIN)/python -m ruff check roleplay tests bench
	$(BIN)/roleplay validate scenarios/
	$(MAKE) --no-print-directory typecheck
	$(BIN)/python -m pytest -q -n $(WORKERS)

# The template of the program's own messages (roleplay/locale/roleplay.pot) from the code and the pages;
# every translation (roleplay/locale/<lang>/LC_MESSAGES/roleplay.po) brought up to date with it (new
# messages empty, changed ones fuzzy) and compiled to the .mo the program loads (committed, so a machine
# with only Python runs every language). Babel does all three; the program itself never imports it.
messages: $(STAMP)
	$(BIN)/python -m roleplay.i18n_extract

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .import_linter_cache
	find roleplay tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
