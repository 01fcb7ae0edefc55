# Turnabout: `make dev` to try it, `make test` to check it. Needs Python 3.11+, make, git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	$(BIN)/turnabout db upgrade
	$(BIN)/turnabout seed
	$(BIN)/turnabout dev

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check service tests bench wsgi.py worker.py

bench: $(STAMP)
	$(BIN)/python bench/bench_pairing.py
	$(BIN)/python bench/bench_round.py
	$(BIN)/python bench/bench_inbound.py
	$(BIN)/python bench/bench_trim.py
	$(BIN)/python bench/bench_web.py

clean:
	rm -rf $(VENV) instance .pytest_cache
