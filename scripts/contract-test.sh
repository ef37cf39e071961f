#!/usr/bin/env bash
# Contract test (`make contract-test`): start the release binary on a fresh SQLite database, log in
# as the first admin and run schemathesis against the committed openapi/openapi.json.
# Extra arguments go to `schemathesis run` (e.g. `--max-failures 1`, `--phases examples`).
# Environment: CRM_BIN (skip the build), CONTRACT_TEST_PORT (default: a free port),
# CONTRACT_SPEC (default openapi/openapi.json), SCHEMATHESIS (default .venv-tools/bin/schemathesis).
#
# Facts about schemathesis 4 (4.32.5, from `schemathesis run --help` and its source):
# - Base URL: `-u/--url URL` replaces the document's `servers` entirely; `--origin URL` takes
#   scheme://host:port and keeps the servers' base path. `--origin` is used below, so the run works
#   whether the paths are absolute (/api/v1/...) or relative to `servers: [{url: "/api/v1"}]`.
# - `-n/--max-examples N` (per operation), `--seed N`, `-c/--checks all|a,b` (and
#   `--exclude-checks`), `-H/--header "Name: value"` (repeatable), `--phases` (examples, coverage,
#   fuzzing, stateful; all by default), `-w/--workers` (default 1), `--max-failures N`,
#   `--generation-database none`, `--report junit,har,...` with `--report-dir`, `--rate-limit`.
# - Filters: `--include-/--exclude-{path,method,name,tag,operation-id}` (repeatable) and a
#   `-regex` variant of each that takes ONE pattern (not repeatable: join alternatives with |).
#   Paths are matched as written in the document.
# - Config file: `schemathesis.toml`, found in the current directory or a parent (the search stops
#   at the directory holding `.git`), or given as `schemathesis --config-file PATH run ...` (a
#   global option, before `run`). Strings take `${ENV_VAR}` placeholders. Command-line flags win.
#   Per-check options live in `[checks.<name>]`: `enabled = false`, and for not_a_server_error,
#   positive_data_acceptance, negative_data_rejection and missing_required_header
#   `expected-statuses = ["2xx", "404", "422"]` (exact codes or 2XX/20X wildcards).
#   positive_data_acceptance's default is 2xx, 3xx, 401, 403, 404, 409, 429, 5xx: no 422, so a
#   body that the schema allows but a domain rule refuses (a CPF with wrong check digits) fails it;
#   negative_data_rejection's default is 400, 401, 403, 404, 405, 406, 409, 415, 422, 428, 429, 5xx.
#   Per-operation settings: `[[operations]]` with `include-path-regex = "..."` (or any filter
#   above) plus `checks.<name>.enabled`, `phases`, `generation`, `headers`, `enabled = false`.
#   `[auth.dynamic.openapi.<securityScheme>]` with `path`, `payload = {email = ..., password = ...}`
#   and `extract_selector = "/access_token"` logs in by itself (an alternative to the curl below).
# - It keeps a cache in .schemathesis/<project>/cache/ (git-ignored): requests it discovered,
#   replayed while probing on the next run from this directory, and crash files for
#   `schemathesis replay`. `[cache] enabled = false` (or `directory = ...`) in the toml is the only
#   switch, there is no flag. A fresh clone (CI) starts without it.
#   `--generation-database none` keeps Hypothesis from storing the examples it found.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { echo "contract-test: $*" >&2; exit 1; }

SCHEMATHESIS=${SCHEMATHESIS:-.venv-tools/bin/schemathesis}
SPEC=${CONTRACT_SPEC:-openapi/openapi.json}
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=contract-test-Admin-Passw0rd-long-enough

[ -x "$SCHEMATHESIS" ] || die "schemathesis not found at $SCHEMATHESIS (run: make tools-py)"
[ -f "$SPEC" ] || die "$SPEC not found (run: make openapi)"
command -v curl >/dev/null || die "curl not found (apt-get install -y curl)"
command -v python3 >/dev/null || die "python3 not found"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT=${CONTRACT_TEST_PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"

# CRM_BIN=path skips the build (a binary built elsewhere, or a stand-in when testing this script).
if [ -n "${CRM_BIN:-}" ]; then
  BIN=$CRM_BIN
else
  echo "== contract-test: building the release binary"
  cargo build --release
  target_dir=$(cargo metadata --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  BIN="$target_dir/release/crm"
fi
[ -x "$BIN" ] || die "$BIN is not an executable"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/crm-contract.XXXXXX")
server_pid=""

cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # Graceful shutdown first; a server that hangs still must not outlive the script.
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$workdir/server.log" ]; then
    echo "--- last 60 lines of the server log ---" >&2
    tail -n 60 "$workdir/server.log" >&2
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run from the repository root so config/default.toml is read. The JWT secret comes from the
# environment so the server writes no crm-secret.key into the work tree.
jwt_secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
echo "== contract-test: starting $BIN on $BASE (database in $workdir)"
DATABASE_URL="sqlite://$workdir/crm.db?mode=rwc" \
  CRM__SERVER__HOST=127.0.0.1 \
  CRM__SERVER__PORT="$PORT" \
  CRM__AUTH__JWT_SECRET="$jwt_secret" \
  CRM_ADMIN_EMAIL="$ADMIN_EMAIL" \
  CRM_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  "$BIN" serve >"$workdir/server.log" 2>&1 </dev/null &
server_pid=$!

ready=""
for _ in $(seq 1 60); do
  kill -0 "$server_pid" 2>/dev/null || die "the server exited during start-up"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/health/ready" || true)
  if [ "$code" = 200 ]; then
    ready=yes
    break
  fi
  sleep 1
done
[ -n "$ready" ] || die "GET /health/ready did not answer 200 within 60 s"

login_body=$(python3 -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' \
  "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
login_response=$(curl -sS --fail-with-body --max-time 30 -H 'Content-Type: application/json' \
  -d "$login_body" "$BASE/api/v1/auth/login") || die "login failed: $login_response"
TOKEN=$(printf '%s' "$login_response" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])') ||
  die "no access_token in the login response: $login_response"

# Left out, with the reason:
# - /auth/logout would revoke the session whose token every other request of this run carries.
# - /auth/login and /auth/refresh: the generated requests are nearly all failed logins (unknown
#   e-mails, wrong passwords, bogus refresh tokens), and after `login_max_failures` of them per
#   client address the server answers 429 with Retry-After by design, which the checks then report.
#   The integration tests in tests/ cover these three routes.
# The token lives `access_ttl_seconds` (900 s): a run longer than that gets 401s.
echo "== contract-test: schemathesis $("$SCHEMATHESIS" --version | awk '{print $NF}') against $SPEC"
# Hypothesis caches Unicode tables in .hypothesis/ under the current directory: keep it in $workdir.
HYPOTHESIS_STORAGE_DIRECTORY="$workdir/hypothesis" "$SCHEMATHESIS" run "$SPEC" \
  --origin "$BASE" \
  --header "Authorization: Bearer $TOKEN" \
  --checks all \
  --seed 42 \
  --max-examples 25 \
  --exclude-path-regex '/auth/(login|logout|refresh)$' \
  --generation-database none \
  "$@"
echo "== contract-test: passed"
