# Kizuna: `make run` serves the demo community, `make test` runs the whole suite on PostgreSQL.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Two pytest workers: the suite is mostly waiting on PostgreSQL and the browser, and CI has two cores.
PYTEST_WORKERS ?= 2
LINT = $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports && $(BIN)/mypy .
TEST_ENV = KIZUNA_FAST_PASSWORD_HASHER=1 KIZUNA_DISABLE_RATE_LIMITS=1 scripts/with-services

.PHONY: run test test-deep check lint format messages openapi clean install install-test bench

# pip -qq shows errors only: a machine's pip configuration (an index folder that is missing)
# and setuptools' notes on editable installs are warnings a person trying Kizuna would take
# for errors. The newest pip installs faster than the one venv ships, upgrade included.
$(BIN)/python:
	@$(PY) -m venv $(VENV)
	@$(BIN)/pip install -qq --upgrade pip

# Reinstalls only when pyproject.toml changes, so a second `make run` starts at once.
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/pip install -qq -e .
	@touch $@

install-test: $(BIN)/python
	@$(BIN)/pip install -qq -e '.[test]'

# Prints the logins and the URL, then serves. prepare_demo migrates, loads the demo on the first
# start and indexes what is left unindexed, in one process; its checks cover the server's. For
# trying Kizuna, so the server does not watch the code (`manage.py runserver` does, for work on it).
run: install
	@mkdir -p $${KIZUNA_VAR_DIR:-var}
	@$(BIN)/python manage.py prepare_demo --port $(PORT)
	@$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --skip-checks --noreload

# The whole suite, as CI runs it; installs chromium, the fonts and gettext first when run as root.
test: install-test
	CHROMIUM=$(CHROMIUM) scripts/ensure-system-packages
	$(LINT)
	$(TEST_ENV) $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) -m "not deep" --durations=25 $(PYTEST_ARGS)

# The deep variants CI leaves out to stay within its time: imports of 50,000 accounts.
test-deep: install-test
	$(TEST_ENV) $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) -m deep --durations=25 $(PYTEST_ARGS)

# The fast lane while working: lint, types and every test but the browser and process ones,
# with pytest's cache on so `make check PYTEST_ARGS=--lf` reruns what failed.
check: install-test
	$(LINT)
	$(TEST_ENV) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not processes" --durations=25 $(PYTEST_ARGS)

lint: install-test
	$(LINT)

format: install-test
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l ja -l en --no-obsolete --no-location -i "*/tests/*" -i "*/migrations/*" -i ".venv/*" -i "var/*" -i "e2e/*" -i "bench/*"
	$(BIN)/python scripts/fill_english_catalog.py
	$(BIN)/python manage.py compilemessages -l ja -l en -i .venv -i var

openapi: install
	$(BIN)/python manage.py export_openapi_schema --indent 2 --sorted --output docs/api/openapi.json

# Builds the benchmark database on PostgreSQL when it is missing (100k members, 1M posts,
# 5M activity rows, 5M ledger entries), then measures the forum's and the recognition pages
# under load and the points recompute throughput; see docs/benchmarks.md.
bench: install-test
	scripts/with-services $(BIN)/python bench/run.py $(BENCH_ARGS)
	scripts/with-services $(BIN)/python bench/segments_count.py
	scripts/with-services $(BIN)/python bench/customer_360.py

clean:
	rm -rf $(VENV) var artifacts
