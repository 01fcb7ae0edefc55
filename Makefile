# Turnabout: `make dev` to try it, `make test` to check it. Needs Python 3.11+, make, git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test install lint bench clean messages translations

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

# The suite runs in TEST_PROCESSES processes (pytest-xdist), each with its own databases:
# with REDIS_URL=redis://host/N they use Redis databases N, N+1, ... (tests/conftest.py).
TEST_PROCESSES ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check service tests bench wsgi.py worker.py

bench: $(STAMP)
	$(BIN)/python bench/bench_pairing.py
	$(BIN)/python bench/bench_round.py
	$(BIN)/python bench/bench_inbound.py
	$(BIN)/python bench/bench_trim.py
	$(BIN)/python bench/bench_web.py

# Translations (README, *Languages*): `make messages` extracts every string into the
# template and updates each language's .po; translate, then `make translations` compiles
# the .mo files, which are committed so a fresh clone needs no extra step.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs=".* .venv instance" -k lazy_gettext -k _l -c Translators: \
		--no-location --sort-output --project Turnabout -o service/translations/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete \
		-i service/translations/messages.pot -d service/translations

translations: $(STAMP)
	$(BIN)/pybabel -q compile --statistics -d service/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
