# 研修通 Yanxiu: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app backend
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PG_URL ?= postgresql+psycopg://127.0.0.1:5432/test

.PHONY: setup machine-run machine-test db run test test-sqlite test-postgres test-postgres-if-up test-miniprogram lint format fuzz bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)
	@if [ -f miniprogram_stub/package-lock.json ]; then cd miniprogram_stub && \
		stamp=node_modules/.installed-$$(cksum < package-lock.json | cut -d' ' -f1); \
		[ -f $$stamp ] || { npm ci --silent --no-audit --no-fund && touch $$stamp; }; fi

# What the machine lacks, installed or started (scripts/ensure-machine says what and why).
machine-run:
	@scripts/ensure-machine run

machine-test:
	@scripts/ensure-machine test

db: setup
	$(FLASK) db upgrade
	$(FLASK) plan load 2023
	DEV_LOGIN=1 $(FLASK) demo create

# The scheduler (reminders, surveys closing by themselves) runs beside the server and stops with it.
run: machine-run db
	$(FLASK) reminders run & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		DEV_LOGIN=1 $(FLASK) run --host 127.0.0.1 --port 5000

# The SQLite pass, the PostgreSQL pass and the mini-program's tests run side by side: much of
# the suite waits on real servers and browsers, so two cores carry three runs. Each run's
# output is printed whole when it ends.
test: machine-test db
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-sqlite test-postgres-if-up test-miniprogram

test-postgres-if-up: setup
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 dbname=test', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "SKIPPED: the PostgreSQL run (nothing answers on 127.0.0.1:5432)"; fi

test-sqlite: setup
	$(BIN)/pytest -q -p no:cacheprovider

test-postgres: setup
	YANXIU_TEST_DB=postgresql $(BIN)/pytest -q -p no:cacheprovider -m "not sqlite_only"

# The mini-program under WeChat's own tools (compiler, schemas, code analysis, typings) and its
# pages driven by miniprogram-simulate against the real backend (miniprogram_stub/test/).
test-miniprogram: setup
	@command -v node >/dev/null 2>&1 || { echo "need node >= 20 for the mini-program tests"; exit 1; }
	cd miniprogram_stub && YANXIU_PYTHON=$(CURDIR)/$(BIN)/python npm test --silent

fuzz: db
	YANXIU_FUZZ_EXAMPLES=$${YANXIU_FUZZ_EXAMPLES:-150} $(BIN)/pytest -q -p no:cacheprovider -s tests/fuzz

lint: setup
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench

format: setup
	$(BIN)/ruff format backend tests bench
	$(BIN)/ruff check --fix backend tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache .schemathesis .hypothesis
