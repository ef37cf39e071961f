# Everyday commands. `make help` lists them.
#
# Tools that are not part of the Rust toolchain are installed on demand, locally, never globally:
#   - Spectral (npm)            -> tools/node/node_modules/   pinned in tools/node/package-lock.json
#   - schemathesis, hadolint,
#     shellcheck (PyPI)         -> .venv-tools/               pinned in tools/requirements.txt
# A stamp file per tool set makes the install idempotent; it is redone when the pins change.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

CARGO   ?= cargo
PYTHON  ?= python3
NPM     ?= npm

TOOLS_VENV  := .venv-tools
VENV_STAMP  := $(TOOLS_VENV)/.installed
NODE_DIR    := tools/node
NODE_STAMP  := $(NODE_DIR)/node_modules/.installed
SPECTRAL    := $(NODE_DIR)/node_modules/.bin/spectral
OPENAPI     := openapi/openapi.json

# The PostgreSQL run of the test suite (DESIGN §6). Override TEST_DATABASE_URL to use another server.
PG_DEFAULT_URL := postgres://postgres@127.0.0.1:5432/postgres
PG_START_HINT  := pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start

.PHONY: help run build test test-sqlite test-pg pg-check fmt fmt-check clippy lint openapi-lint \
        openapi contract-test bench docker-lint sh-lint tools tools-py tools-node clean-tools

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

run: ## start the API on 127.0.0.1:8080 (embedded SQLite in the working directory)
	$(CARGO) run --release -- serve

build: ## build the release binary
	$(CARGO) build --release

# pg-check first as well, so a missing server fails the run before minutes of SQLite tests.
test: pg-check ## the whole suite on SQLite, then the integration tests on PostgreSQL
	$(MAKE) test-sqlite
	$(MAKE) test-pg

test-sqlite: ## the whole suite on SQLite (the default database)
	$(CARGO) test --workspace

# Only the root package `crm` has integration tests (tests/); the unit tests of the other crates do
# not touch a database server, so they ran once above.
test-pg: pg-check ## the integration tests on PostgreSQL (TEST_DATABASE_URL)
	TEST_DB=postgres TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$(PG_DEFAULT_URL)}" \
		$(CARGO) test -p crm --tests

# Never skip silently: no PostgreSQL means a failed run and a hint on how to start it.
pg-check:
	@url="$${TEST_DATABASE_URL:-$(PG_DEFAULT_URL)}"; \
	if ! command -v pg_isready >/dev/null; then \
		echo "error: pg_isready not found (Debian package postgresql-client); cannot check $$url" >&2; \
		exit 1; \
	fi; \
	if ! pg_isready -q -d "$$url"; then \
		echo "error: PostgreSQL is not accepting connections at $$url" >&2; \
		echo '       start the local cluster with:  $(PG_START_HINT)' >&2; \
		echo "       or point TEST_DATABASE_URL at a running server." >&2; \
		exit 1; \
	fi

fmt: ## format the code
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

clippy: ## clippy on every crate and target, warnings are errors
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint: fmt-check clippy openapi-lint ## fmt check + clippy + Spectral on the OpenAPI document

openapi-lint: $(NODE_STAMP) ## Spectral (spectral:oas) on openapi/openapi.json, failing on errors
	$(SPECTRAL) lint $(OPENAPI) --ruleset .spectral.yaml --fail-severity error

# Written to a temporary file first so a failed build does not leave a truncated document behind.
openapi: ## regenerate openapi/openapi.json from the code
	$(CARGO) run -q -- openapi > $(OPENAPI).tmp || { rm -f $(OPENAPI).tmp; exit 1; }
	mv $(OPENAPI).tmp $(OPENAPI)

contract-test: $(VENV_STAMP) ## schemathesis against the committed document on a fresh server
	SCHEMATHESIS="$(CURDIR)/$(TOOLS_VENV)/bin/schemathesis" bash scripts/contract-test.sh

# PostgreSQL only; sizes and durations from BENCH_* variables (bench/run.sh), e.g. a quick run:
# BENCH_ATTENDANCES=100000 BENCH_CONTACTS=20000 BENCH_DURATION=10 make bench
bench: pg-check ## load scenarios: seed crm_bench, wrk + pgbench floor (bench/run.sh, bench/RESULTS.md)
	bash bench/run.sh

# PostgreSQL only; a fresh crm_bench_export (300,000 attendances in 2 flows); sizes from
# BENCH_EXPORT_* variables (bench/export.sh), e.g. reuse the binary and the data:
# BENCH_BUILD=0 BENCH_SEED=0 make bench-export
.PHONY: bench-export
bench-export: pg-check ## memory of a 100,000-row contact-data export (bench/export.sh, bench/RESULTS.md)
	bash bench/export.sh

# SQLite by default (BENCH_PG_URL=postgres://postgres@127.0.0.1:5432 for PostgreSQL); see bench/login-flood.sh.
.PHONY: bench-login
bench-login: ## RSS of the server under 60 s of 64 concurrent logins (bench/login-flood.sh, bench/RESULTS.md)
	bash bench/login-flood.sh

docker-lint: $(VENV_STAMP) ## hadolint on the Dockerfile
	$(TOOLS_VENV)/bin/hadolint Dockerfile

sh-lint: $(VENV_STAMP) ## shellcheck on the shell scripts
	$(TOOLS_VENV)/bin/shellcheck -x .ci/run scripts/*.sh $$(ls bench/*.sh 2>/dev/null)

tools: tools-py tools-node ## install every helper tool (idempotent)
tools-py: $(VENV_STAMP)
tools-node: $(NODE_STAMP)

# A venv made without ensurepip (Debian's python3 without python3-venv) has no pip: start over.
$(VENV_STAMP): tools/requirements.txt
	@if [ ! -x $(TOOLS_VENV)/bin/pip ]; then \
		rm -rf $(TOOLS_VENV); \
		$(PYTHON) -m venv $(TOOLS_VENV) || { \
			echo "error: '$(PYTHON) -m venv' failed; on Debian: apt-get install -y python3-venv" >&2; \
			rm -rf $(TOOLS_VENV); exit 1; }; \
	fi
	$(TOOLS_VENV)/bin/pip install --disable-pip-version-check -q -r tools/requirements.txt
	@touch $@

# `npm ci` installs exactly the lock file. --ignore-scripts: nothing Spectral needs runs at install
# time, and one dependency's postinstall only sends usage analytics.
$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "error: npm not found; on Debian: apt-get install -y nodejs npm" >&2; exit 1; }
	cd $(NODE_DIR) && $(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $@

clean-tools: ## remove the locally installed tools
	rm -rf $(TOOLS_VENV) $(NODE_DIR)/node_modules
