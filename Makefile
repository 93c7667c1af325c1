# Kizuna: `make run` serves the demo community, `make test` runs the whole suite on PostgreSQL.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Two pytest workers: the suite is mostly waiting on PostgreSQL and the browser, and CI has two cores.
PYTEST_WORKERS ?= 2

.PHONY: run test lint format messages openapi clean install install-test bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalls only when pyproject.toml changes, so a second `make run` starts at once.
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

run: install
	@mkdir -p $${KIZUNA_VAR_DIR:-var}
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_logins --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test
	@test -x $(CHROMIUM) || { echo "Browser tests need Debian's chromium: apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji"; exit 2; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .
	KIZUNA_FAST_PASSWORD_HASHER=1 KIZUNA_DISABLE_RATE_LIMITS=1 scripts/with-services $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports && $(BIN)/mypy .

format: install-test
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l ja -l en --no-obsolete --no-location -i "*/tests/*" -i "*/migrations/*" -i ".venv/*" -i "var/*" -i "e2e/*" -i "bench/*"
	$(BIN)/python scripts/fill_english_catalog.py
	$(BIN)/python manage.py compilemessages -l ja -l en -i .venv -i var

openapi: install
	$(BIN)/python manage.py export_openapi docs/api/openapi.json

# Builds the benchmark database on PostgreSQL when it is missing (100k members, 1M posts,
# 5M activity rows, 5M ledger entries), then measures the forum's and the recognition pages
# under load and the points recompute throughput; see docs/benchmarks.md.
bench: install-test
	scripts/with-services $(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var artifacts
