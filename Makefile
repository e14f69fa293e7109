# boardsheet — developer commands. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test test-fast lint typecheck unit demo bench soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check app connectors tests bench
	$(BIN)/ruff format --check app connectors tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q

# The pure tests alone: no socket, no subprocess (the `http` marker, enforced; tests/README.md), with a
# tenth of the Hypothesis examples (the "fast" profile, tests/conftest.py); `make test` runs them all.
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not http" --hypothesis-profile fast

demo: $(STAMP)
	$(BIN)/boardsheet demo

bench: $(STAMP)
	$(BIN)/python -m bench

# Minutes of faults, a busy team, stakeholders and a kill -9 on loopback; exits 1 on any loss
# (docs/reliability.md). Two replicas on PostgreSQL with BOARDSHEET_SOAK_DATABASE_URL, else one on SQLite.
soak: $(STAMP)
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
