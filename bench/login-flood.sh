#!/usr/bin/env bash
# The login flood (issue 12, point 2): the server's memory while 64 clients log in at once for
# 60 s with the real argon2id cost (m=19456 KiB, t=2, p=1: config/default.toml). Before the bound
# on concurrent hashes, 64 concurrent logins took the RSS to 2.8 GB, never given back.
#
# Release build, a fresh SQLite database (or PostgreSQL with BENCH_PG_URL), the first admin
# created from CRM_ADMIN_EMAIL/CRM_ADMIN_PASSWORD, then wrk posting the admin's right credentials
# (bench/lua/login.lua). The server's VmRSS (/proc/PID/status) is sampled every 0.2 s: idle
# before the load, peak during it, at its end and 10 s after. Target: peak under 200 MiB, after
# back near idle. Output in BENCH_OUT: rss.txt (samples), wrk.txt, statuses.txt, summary.md.
#
# Environment (defaults in brackets):
#   BENCH_DURATION [60] s  BENCH_CONNECTIONS [64]  BENCH_THREADS [2]  BENCH_PORT [18090]
#   BENCH_OUT [bench/out-login]  BENCH_BUILD [1] (0: use the binary already built)
#   BENCH_PG_URL [] (e.g. postgres://postgres@127.0.0.1:5432: a database BENCH_DB [crm_login_flood]
#   is created afresh there; empty: SQLite in BENCH_OUT)
#   BENCH_MAX_HASHES [] and BENCH_HASH_QUEUE_MS [] set auth.max_concurrent_hashes and
#   auth.hash_queue_ms (empty: the defaults, one hash per core and 2000 ms)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
BENCH="$ROOT/bench"
OUT="${BENCH_OUT:-$BENCH/out-login}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
DURATION="${BENCH_DURATION:-60}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
PORT="${BENCH_PORT:-18090}"
BUILD="${BENCH_BUILD:-1}"
PG_URL="${BENCH_PG_URL:-}"
DB="${BENCH_DB:-crm_login_flood}"
BASE="http://127.0.0.1:$PORT"
EMAIL="admin@bench.local"
PASSWORD="login-flood-password-2026"
JWT_SECRET="bench-only-jwt-secret-not-for-production-0123456789"
SERVER_PID=""
SAMPLER_PID=""

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

need wrk wrk
need curl curl
need jq jq
rm -rf "$OUT"
mkdir -p "$OUT"

if [[ "$BUILD" == 1 ]]; then
    cargo build --release --bin crm
fi
# A copy: a shared target directory may see the binary rebuilt while this runs.
cp "$TARGET/release/crm" "$OUT/crm"

if [[ -n "$PG_URL" ]]; then
    need psql postgresql-client
    psql -X -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    DATABASE_URL="$PG_URL/$DB"
else
    DATABASE_URL="sqlite://$OUT/crm.db?mode=rwc"
fi
settings=()
[[ -n "${BENCH_MAX_HASHES:-}" ]] && settings+=(CRM__AUTH__MAX_CONCURRENT_HASHES="$BENCH_MAX_HASHES")
[[ -n "${BENCH_HASH_QUEUE_MS:-}" ]] && settings+=(CRM__AUTH__HASH_QUEUE_MS="$BENCH_HASH_QUEUE_MS")

(cd "$OUT" && exec env DATABASE_URL="$DATABASE_URL" CRM__SERVER__HOST=127.0.0.1 \
    CRM__SERVER__PORT="$PORT" CRM__AUTH__JWT_SECRET="$JWT_SECRET" CRM__LOG__LEVEL=warn \
    CRM__MAIL__SECRET_KEY="bG9naW4gZmxvb2QgYmVuY2gga2V5OiAzMiBieXRlcyE=" \
    CRM_ADMIN_EMAIL="$EMAIL" CRM_ADMIN_PASSWORD="$PASSWORD" "${settings[@]}" ./crm serve) \
    >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: the server exited; see $OUT/server.log" >&2; exit 1; }
    sleep 0.2
done
# One login first, so idle includes what any login leaves behind (the first hash's memory).
curl -fsS -o /dev/null -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
sleep 2
idle=$(rss_kib)

(while kill -0 "$SERVER_PID" 2>/dev/null; do rss_kib; sleep 0.2; done) >"$OUT/rss.txt" &
SAMPLER_PID=$!
BENCH_LUA="$BENCH/lua" BENCH_EMAIL="$EMAIL" BENCH_PASSWORD="$PASSWORD" \
    BENCH_RESULT="$OUT/wrk.json" BENCH_STATUS="$OUT/statuses.txt" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$BENCH/lua/login.lua" "$BASE/api/v1/auth/login" | tee "$OUT/wrk.txt"
end=$(rss_kib)
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
peak=$(sort -n "$OUT/rss.txt" | tail -1)
sleep 10
after=$(rss_kib)

statuses=$(sort -n "$OUT/statuses.txt" | awk '{printf "%s%s×%s", sep, $2, $1; sep=", "}')
verdict=$(awk -v p="$peak" -v a="$after" -v i="$idle" 'BEGIN {
    ok = (p < 200 * 1024) && (a < i + 32 * 1024)
    print (ok ? "met" : "NOT met")
}')
{
    echo "## Login flood: $CONNECTIONS concurrent logins for ${DURATION}s ($(date -u +%F), $(nproc) cores)"
    echo
    echo "| RSS | MiB |"
    echo "|---|---|"
    echo "| idle (after one login) | $(mib "$idle") |"
    echo "| peak during the flood | $(mib "$peak") |"
    echo "| at the end | $(mib "$end") |"
    echo "| 10 s after | $(mib "$after") |"
    echo
    echo "Answers (count×status): $statuses; $(jq -r '"\(.rps) logins/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, max \(.max_ms) ms, \(.timeouts) timeouts"' "$OUT/wrk.json")"
    echo
    echo "Target (peak under 200 MiB, after within 32 MiB of idle): $verdict"
} | tee "$OUT/summary.md"
