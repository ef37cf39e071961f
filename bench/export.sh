#!/usr/bin/env bash
# Memory of the contact-data export (`make bench-export`, issue 5): does a report of 100,000+ rows
# stream in bounded memory? Release build, a fresh PostgreSQL database seeded by `crm seed-bench`
# so that one flow holds more than 100,000 attendances in its active view, then for each format
# (csv, text, json) two exports of that flow through POST /api/v1/reports/contact-data as the
# admin:
#   large  the whole active view of the flow (the 100,000+ rows)
#   small  a filter of the same flow (a view, or a view and a status) with the count nearest
#          BENCH_EXPORT_SMALL (10,000) rows, for comparison
# Each export runs on a freshly started server, so every peak starts from the same idle state.
# While curl streams the body to a file, the server's VmRSS and VmHWM (/proc/PID/status) are
# sampled every 50 ms. Recorded per export: rows in the file (checked against a count in SQL),
# bytes, seconds, RSS at idle (after start-up and login), the sampled peak RSS and VmHWM (reset
# after the idle reading through /proc/PID/clear_refs when allowed). Raw output goes to
# bench/out-export/ (git-ignored), the table to stdout and bench/out-export/summary.md.
#
# Environment (defaults in brackets):
#   BENCH_EXPORT_FLOWS [2]  BENCH_EXPORT_CONTACTS [50000]  BENCH_EXPORT_ATTENDANCES [300000]
#   BENCH_EXPORT_INTERACTIONS [1] (per attendance)  BENCH_EXPORT_SMALL [10000] rows
#   BENCH_EXPORT_FORMATS [csv text json]  BENCH_EXPORT_INTERVAL [0.05] s between RSS samples
#   BENCH_EXPORT_OUT [bench/out-export]  BENCH_EXPORT_DB [crm_bench_export]  BENCH_EXPORT_PORT [18090]
#   BENCH_PG_URL [postgres://postgres@127.0.0.1:5432]  BENCH_PASSWORD [bench-password-2026]
#   BENCH_SEED [1] (0: reuse an already seeded BENCH_EXPORT_DB)
#   BENCH_BUILD [1] (0: use the existing target/release/crm)
#   BENCH_LOG_LEVEL [info] (the server's; one log line per request)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
OUT="${BENCH_EXPORT_OUT:-$ROOT/bench/out-export}"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/crm"

FLOWS="${BENCH_EXPORT_FLOWS:-2}"
CONTACTS="${BENCH_EXPORT_CONTACTS:-50000}"
ATTENDANCES="${BENCH_EXPORT_ATTENDANCES:-300000}"
INTERACTIONS="${BENCH_EXPORT_INTERACTIONS:-1}"
SMALL="${BENCH_EXPORT_SMALL:-10000}"
FORMATS="${BENCH_EXPORT_FORMATS:-csv text json}"
INTERVAL="${BENCH_EXPORT_INTERVAL:-0.05}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
DB="${BENCH_EXPORT_DB:-crm_bench_export}"
PORT="${BENCH_EXPORT_PORT:-18090}"
PASSWORD="${BENCH_PASSWORD:-bench-password-2026}"
SEED="${BENCH_SEED:-1}"
BUILD="${BENCH_BUILD:-1}"
LOG_LEVEL="${BENCH_LOG_LEVEL:-info}"
LARGE_MIN=100000

DATABASE_URL="$PG_URL/$DB"
BASE="http://127.0.0.1:$PORT"
ADMIN="admin@bench.local"
# A fixed secret: the benchmark database is disposable and nothing else trusts these tokens.
JWT_SECRET="bench-only-jwt-secret-not-for-production-0123456789"
SERVER_PID=""
SAMPLER_PID=""

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

psql_db() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

start_server() {
    (cd "$OUT" && exec env DATABASE_URL="$DATABASE_URL" CRM__SERVER__HOST=127.0.0.1 \
        CRM__SERVER__PORT="$PORT" CRM__AUTH__JWT_SECRET="$JWT_SECRET" CRM__LOG__FORMAT=json \
        CRM__LOG__LEVEL="$LOG_LEVEL" "$BIN" serve) >>"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: the server exited; see $OUT/server.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "error: the server did not become ready; see $OUT/server.log" >&2
    exit 1
}

stop_server() {
    kill "$SERVER_PID"
    wait "$SERVER_PID" || true
    SERVER_PID=""
}

login() {
    curl -fsS -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
        -d "$(jq -n --arg e "$ADMIN" --arg p "$PASSWORD" '{email: $e, password: $p}')" |
        jq -er .access_token
}

# A field of /proc/PID/status in KiB (VmRSS, VmHWM), read without starting a process.
proc_kib() {
    local pid=$1 field=$2 key value _
    while read -r key value _; do
        if [[ "$key" == "$field:" ]]; then
            printf '%s' "$value"
            return 0
        fi
    done <"/proc/$pid/status"
}

# Samples "epoch-seconds VmRSS-KiB VmHWM-KiB" of the server every INTERVAL into $1 until stopped.
start_sampler() {
    local pid=$SERVER_PID
    (while kill -0 "$pid" 2>/dev/null; do
        printf '%s %s %s\n' "$EPOCHREALTIME" "$(proc_kib "$pid" VmRSS)" "$(proc_kib "$pid" VmHWM)"
        sleep "$INTERVAL"
    done) >"$1" 2>/dev/null &
    SAMPLER_PID=$!
}

stop_sampler() {
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
}

# The rows in an export file: CSV records after the header (no field of the data set holds a
# line break), text blocks, JSON array items.
count_rows() {
    local format=$1 file=$2
    case "$format" in
        csv) echo $(($(wc -l <"$file") - 1)) ;;
        text) grep -c '^Atendimento #' "$file" || true ;;
        json) jq length "$file" ;;
    esac
}

# export_run FORMAT SIZE FILTER-JSON EXPECTED: one export on a fresh server; appends a line to
# results.tsv.
export_run() {
    local format=$1 size=$2 filter=$3 expected=$4
    local name="$format-$size"
    local file="$OUT/export-$name.$format"
    log "export $name: $expected rows expected, filter $filter"
    start_server
    local token
    token=$(login)
    sleep 1
    local idle_rss
    idle_rss=$(proc_kib "$SERVER_PID" VmRSS)
    # Writing 5 resets VmHWM to the current RSS (Linux ≥ 4.0), so VmHWM becomes this export's peak.
    local hwm_reset=no
    if echo 5 2>/dev/null >"/proc/$SERVER_PID/clear_refs"; then hwm_reset=yes; fi
    local body
    body=$(jq -cn --arg flow "$FLOW" --arg format "$format" --argjson filter "$filter" \
        '{flow_id: $flow, format: $format} + $filter')
    start_sampler "$OUT/rss-$name.txt"
    local timing
    timing=$(curl -sS -X POST "$BASE/api/v1/reports/contact-data" \
        -H "authorization: Bearer $token" -H 'content-type: application/json' -d "$body" \
        -o "$file" -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}')
    stop_sampler
    local hwm
    hwm=$(proc_kib "$SERVER_PID" VmHWM)
    stop_server
    local status bytes first total rows peak
    read -r status bytes first total <<<"$timing"
    [[ "$status" == 200 ]] || { echo "error: HTTP $status; see $file" >&2; exit 1; }
    rows=$(count_rows "$format" "$file")
    peak=$(awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$OUT/rss-$name.txt")
    local samples
    samples=$(wc -l <"$OUT/rss-$name.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$format" "$size" "$rows" \
        "$expected" "$bytes" "$first" "$total" "$idle_rss" "$peak" "$hwm" "$hwm_reset" \
        "$samples" "$filter" >>"$OUT/results.tsv"
    printf '  %s rows (%s expected), %s bytes in %s s; RSS idle %s KiB, peak %s KiB sampled (%s samples), VmHWM %s KiB\n' \
        "$rows" "$expected" "$bytes" "$total" "$idle_rss" "$peak" "$samples" "$hwm"
    # The files are large (tens of MB); keep their first bytes only.
    head -c 2000 "$file" >"$file.head"
    rm -f "$file"
}

need jq jq
need psql postgresql-client
need curl curl
rm -rf "$OUT"
mkdir -p "$OUT"

log "machine"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "kernel: $(uname -r)"
    echo "postgresql: $(psql -X -At "$PG_URL/postgres" -c 'SHOW server_version')"
    echo "rustc: $(rustc --version)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

if [[ "$BUILD" == 1 ]]; then
    log "release build"
    cargo build --release --quiet
fi
[[ -x "$BIN" ]] || { echo "error: $BIN missing (BENCH_BUILD=1 builds it)" >&2; exit 1; }
{
    echo "binary: $BIN built $(date -u -r "$BIN" +%Y-%m-%dT%H:%M:%SZ)"
    echo "git: $(git rev-parse --short HEAD) with $(git status --porcelain | wc -l) changed/new paths in the tree"
} | tee -a "$OUT/machine.txt"

if [[ "$SEED" == 1 ]]; then
    log "fresh database $DB: $FLOWS flows, $CONTACTS contacts, $ATTENDANCES attendances"
    psql -X -q -v ON_ERROR_STOP=1 "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "CREATE DATABASE $DB"
    started=$(date +%s)
    DATABASE_URL="$DATABASE_URL" BENCH_PASSWORD="$PASSWORD" RUST_LOG=warn "$BIN" seed-bench \
        --flows "$FLOWS" --contacts "$CONTACTS" --attendances "$ATTENDANCES" \
        --interactions-per-attendance "$INTERACTIONS" --members 1 --member-flows 1 |
        tee "$OUT/seed.log"
    echo "seed_seconds $(($(date +%s) - started))" >>"$OUT/seed.log"
fi
psql_db -At -c "SELECT 'rows ' || (SELECT count(*) FROM attendances) || ' attendances, ' || (SELECT count(*) FROM interactions) || ' interactions, ' || (SELECT count(*) FROM contacts) || ' contacts; database ' || pg_size_pretty(pg_database_size(current_database()))" |
    tee "$OUT/size.txt"

# The flow with the most attendances in its active view, and the filter of it whose count is
# nearest SMALL.
read -r FLOW LARGE_ROWS < <(psql_db -At -F ' ' -c "SELECT flow_id, count(*) FROM attendances \
    WHERE view = 'active' GROUP BY flow_id ORDER BY count(*) DESC LIMIT 1")
IFS=$'\t' read -r SMALL_FILTER SMALL_ROWS < <(psql_db -At -F $'\t' -c "SELECT filter, n FROM (
    SELECT json_build_object('view', view)::text AS filter, count(*) AS n FROM attendances
        WHERE flow_id = '$FLOW' GROUP BY view
    UNION ALL
    SELECT json_build_object('view', view, 'status', status)::text, count(*) FROM attendances
        WHERE flow_id = '$FLOW' GROUP BY view, status) candidates
    ORDER BY abs(n - $SMALL), filter LIMIT 1")
SMALL_FILTER=$(jq -c . <<<"$SMALL_FILTER")
echo "flow $FLOW: $LARGE_ROWS attendances in the active view; small export: $SMALL_FILTER, $SMALL_ROWS rows" |
    tee -a "$OUT/size.txt"
if [[ "$LARGE_ROWS" -le "$LARGE_MIN" ]]; then
    echo "warning: the large export has only $LARGE_ROWS rows (the point is more than $LARGE_MIN): raise BENCH_EXPORT_ATTENDANCES" >&2
fi

printf 'format\tsize\trows\texpected\tbytes\tfirst_byte_s\tseconds\tidle_rss_kib\tpeak_rss_kib\tvmhwm_kib\thwm_reset\tsamples\tfilter\n' >"$OUT/results.tsv"
for format in $FORMATS; do
    export_run "$format" small "$SMALL_FILTER" "$SMALL_ROWS"
    export_run "$format" large '{}' "$LARGE_ROWS"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

log "summary ($OUT/summary.md)"
awk -F'\t' '
function mib(kib) { return sprintf("%.1f", kib / 1024) }
NR == 1 {
    print "| format | export | rows (expected) | MB | first byte s | seconds | rows/s | idle RSS MiB | peak RSS MiB (50 ms samples) | VmHWM MiB | peak − idle MiB |"
    print "|---|---|---|---|---|---|---|---|---|---|---|"
    next
}
{
    peak = ($10 > $9) ? $10 : $9
    printf "| %s | %s | %d (%d) | %.1f | %.2f | %.1f | %.0f | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 / 1e6, $6, $7, ($7 > 0 ? $3 / $7 : 0), mib($8), mib($9), mib($10), mib(peak - $8)
    if ($3 != $4) bad = bad " " $1 "-" $2
    growth[$1, $2] = peak - $8
    rows[$1, $2] = $3
}
END {
    for (key in growth) {
        split(key, part, SUBSEP)
        if (part[2] == "large" && ((part[1], "small") in growth)) {
            printf "\n%s: %d rows cost %s MiB over idle, %d rows %s MiB", part[1], rows[part[1], "large"], mib(growth[key]), rows[part[1], "small"], mib(growth[part[1], "small"])
        }
    }
    print ""
    if (bad != "") print "\nROW COUNT MISMATCH:" bad
}' "$OUT/results.tsv" | tee "$OUT/summary.md"
