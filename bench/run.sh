#!/usr/bin/env bash
# The load benchmark (`make bench`, DESIGN §8, issue 3): release build, a fresh PostgreSQL
# database seeded by `crm seed-bench`, the server on 127.0.0.1, then as a member authorized on
# 5 of the 20 flows:
#   floor  the list's own SQL through `pgbench -M prepared` (bench/list.sql)
#   (a)    list page 1 of one of the member's flows, sort=-updated_at, limit=50
#   (b)    the page BENCH_DEPTH (200) pages deep, reached through the cursors
#   (c)    a `q` search by a contact-name fragment (BENCH_QUERY, "conceicao")
#   (d)    one attendance and its timeline, alternating
#   (e)    posting an interaction
#   (f)    the flow's summary (counts per status and tag, and the receivable: the sum of the
#          quotes awaiting approval, BENCH_QUOTES of them seeded over all flows; issue 4)
#   (c')   (c) on a server without a statement cache: each search a term new to its connection
# plus the statements each request sends (and those of a list request through pgbench: the
# database's share of it), EXPLAIN (ANALYZE, BUFFERS) of (a), (b), (c) and of every SELECT of
# (f) in bench/explain/, and the server's RSS under load. Before the load, the receivable the API
# reports is checked against a sum computed straight from the tables. Raw output and summary.md
# go to bench/out/.
#
# Environment (defaults in brackets):
#   BENCH_ATTENDANCES [1000000]  BENCH_CONTACTS [200000]  BENCH_FLOWS [20]
#   BENCH_INTERACTIONS [3]       BENCH_QUOTES [100000] (quotes and sales; 0: none)
#   BENCH_DURATION [20] s per run  BENCH_WARMUP [5] s
#   BENCH_CONNECTIONS [32]       BENCH_THREADS [2]   BENCH_DEPTH [200]  BENCH_QUERY [conceicao]
#   BENCH_ROUNDS [3] interleaved rounds of the floor, (a) and (b); the ratio targets use their median
#   BENCH_OUT [bench/out]  BENCH_EXPLAIN [bench/explain]
#   BENCH_PG_URL [postgres://postgres@127.0.0.1:5432]  BENCH_DB [crm_bench]  BENCH_PORT [18089]
#   BENCH_PASSWORD [bench-password-2026]  BENCH_SEED [1] (0: reuse an already seeded BENCH_DB)
#   BENCH_PG_LOG [/var/log/postgresql/postgresql-15-main.log] (to count statements per request)
#   BENCH_LOG_LEVEL [info] (the server's; every request writes one log line at info)
#   BENCH_BUILD [1] (0: use the existing target/release/crm, e.g. while the tree does not build)
#   BENCH_SERVER_DB_QUERY [] appended to the server's DATABASE_URL, for experiments, e.g.
#     '?options=-c%20plan_cache_mode%3Dforce_custom_plan'
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
BENCH="$ROOT/bench"
OUT="${BENCH_OUT:-$BENCH/out}"
EXPLAIN="${BENCH_EXPLAIN:-$BENCH/explain}"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/crm"

ATTENDANCES="${BENCH_ATTENDANCES:-1000000}"
CONTACTS="${BENCH_CONTACTS:-200000}"
FLOWS="${BENCH_FLOWS:-20}"
INTERACTIONS="${BENCH_INTERACTIONS:-3}"
QUOTES="${BENCH_QUOTES:-100000}"
MEMBER_FLOWS=5
DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-5}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
ROUNDS="${BENCH_ROUNDS:-3}"
DEPTH="${BENCH_DEPTH:-200}"
QUERY="${BENCH_QUERY:-conceicao}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
DB="${BENCH_DB:-crm_bench}"
PORT="${BENCH_PORT:-18089}"
PASSWORD="${BENCH_PASSWORD:-bench-password-2026}"
SEED="${BENCH_SEED:-1}"
PG_LOG="${BENCH_PG_LOG:-/var/log/postgresql/postgresql-15-main.log}"
LOG_LEVEL="${BENCH_LOG_LEVEL:-info}"
SERVER_DB_QUERY="${BENCH_SERVER_DB_QUERY:-}"
BUILD="${BENCH_BUILD:-1}"

DATABASE_URL="$PG_URL/$DB"
BASE="http://127.0.0.1:$PORT"
MEMBER="member1@bench.local"
# A fixed secret: the benchmark database is disposable and nothing else trusts these tokens.
JWT_SECRET="bench-only-jwt-secret-not-for-production-0123456789"
SERVER_PID=""
SAMPLER_PID=""

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

psql_db() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

start_server() {
    (cd "$OUT" && exec env DATABASE_URL="$DATABASE_URL$SERVER_DB_QUERY" CRM__SERVER__HOST=127.0.0.1 \
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
        -d "$(jq -n --arg e "$MEMBER" --arg p "$PASSWORD" '{email: $e, password: $p}')" |
        jq -er .access_token
}

api() { curl -fsS -H "authorization: Bearer $TOKEN" "$@"; }

# Samples the server's resident set size (KiB) every 0.2 s into $1 until stopped.
start_sampler() {
    (while kill -0 "$SERVER_PID" 2>/dev/null; do
        ps -o rss= -p "$SERVER_PID" || true
        sleep 0.2
    done) >"$1" &
    SAMPLER_PID=$!
}

stop_sampler() {
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
}

# scenario NAME SCRIPT URL [IDS]: a warm-up, then the measured wrk run with RSS sampling.
scenario() {
    local name=$1 script=$2 url=$3 ids=${4:-/dev/null}
    log "scenario $name: $url"
    TOKEN=$(login)
    local env=(BENCH_LUA="$BENCH/lua" BENCH_TOKEN="$TOKEN" BENCH_IDS="$ids")
    if [[ "$WARMUP" -gt 0 ]]; then
        env "${env[@]}" BENCH_RESULT=/dev/null wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" \
            -s "$BENCH/lua/$script" "$url" >/dev/null
    fi
    start_sampler "$OUT/rss-$name.txt"
    # Other work on the machine skews the numbers: measure how much CPU it took meanwhile.
    python3 "$BENCH/othercpu.py" "$DURATION" "$DB" >"$OUT/cpu-$name.txt" &
    local watcher=$!
    env "${env[@]}" BENCH_RESULT="$OUT/wrk-$name.json" wrk -t"$THREADS" -c"$CONNECTIONS" \
        -d"${DURATION}s" --latency -s "$BENCH/lua/$script" "$url" | tee "$OUT/wrk-$name.txt"
    wait "$watcher" || true
    stop_sampler
}

# The flow's receivable as the API reports it must be what the seeded rows add up to: computed
# here straight from the tables, through each order's attendance (not the order's copy of the
# flow). A benchmark of a wrong answer would measure nothing.
check_receivable() {
    local reported computed
    reported=$(api "$BASE/api/v1/flows/$FLOW/summary" |
        jq -er '"\(.receivable.count) \(.receivable.amount)"')
    computed=$(psql_db -At -c "SELECT count(*) || ' ' || (COALESCE(sum(s.total_cents), 0) / 100.0)::numeric(20, 2)
        FROM sales s JOIN attendances a ON a.id = s.attendance_id
        WHERE a.flow_id = '$FLOW' AND a.view <> 'trash' AND s.status = 'awaiting_approval'")
    echo "receivable of flow $FLOW (quotes, R\$): API $reported, SQL $computed" | tee "$OUT/receivable.txt"
    if [[ "$reported" != "$computed" ]]; then
        echo "error: the summary's receivable differs from the tables' sum" >&2
        exit 1
    fi
}

# capture NAME CURL-ARGS…: the statements one request sends, from PostgreSQL's log.
capture() {
    local name=$1
    shift
    local before
    # The server trusts a session it checked for a few seconds (auth.session_check_seconds):
    # count the statements of a request in a burst, as under load, not of a token's first one.
    api -o /dev/null "$BASE/api/v1/me"
    before=$(stat -c %s "$PG_LOG")
    api -o /dev/null "$@"
    sleep 0.5
    tail -c +"$((before + 1))" "$PG_LOG" | grep -F "@$DB " >"$OUT/queries-$name.log" || true
    local count
    # Without the background mail sender's outbox polls (see request_sql.py).
    count=$(python3 "$BENCH/request_sql.py" --count "$OUT/queries-$name.log")
    printf '%s %s\n' "$name" "$count" >>"$OUT/queries.txt"
    printf '  %-22s %s statements\n' "$name" "$count"
}

need wrk wrk
need jq jq
need pgbench postgresql-client
need psql postgresql-client
need curl curl
need python3 python3
rm -rf "$OUT"
mkdir -p "$OUT/pgbench" "$EXPLAIN"

log "machine"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "kernel: $(uname -r)"
    echo "postgresql: $(psql -X -At "$PG_URL/postgres" -c 'SHOW server_version')"
    echo "postgresql settings: $(psql -X -At "$PG_URL/postgres" -c "SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'jit', 'random_page_cost')")"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
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
    log "fresh database $DB: $FLOWS flows, $CONTACTS contacts, $ATTENDANCES attendances, $QUOTES quotes"
    psql -X -q -v ON_ERROR_STOP=1 "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "CREATE DATABASE $DB"
    started=$(date +%s)
    DATABASE_URL="$DATABASE_URL" BENCH_PASSWORD="$PASSWORD" RUST_LOG=warn "$BIN" seed-bench \
        --flows "$FLOWS" --contacts "$CONTACTS" --attendances "$ATTENDANCES" \
        --interactions-per-attendance "$INTERACTIONS" --members 5 --member-flows "$MEMBER_FLOWS" \
        --quotes "$QUOTES" |
        tee "$OUT/seed.log"
    echo "seed_seconds $(($(date +%s) - started))" >>"$OUT/seed.log"
fi
psql_db -At -c "SELECT 'rows ' || (SELECT count(*) FROM attendances) || ' attendances, ' || (SELECT count(*) FROM interactions) || ' interactions, ' || (SELECT count(*) FROM attendance_events) || ' events, ' || (SELECT count(*) FROM sales) || ' orders (' || (SELECT count(*) FROM sales WHERE status = 'awaiting_approval') || ' quotes awaiting approval), ' || (SELECT count(*) FROM sale_items) || ' order lines; database ' || pg_size_pretty(pg_database_size(current_database()))" |
    tee "$OUT/size.txt"

if [[ "$SEED" != 1 ]]; then
    # A reused database carries the dead row versions of earlier runs' (e): 120k of them after
    # four runs, below autovacuum's 20%, piled in the deep page's stretch of the list index
    # (1,179 buffers for 51 rows, (b) at 2-3x page 1). Start from the state the seed leaves.
    log "vacuum (a reused database)"
    psql_db -c "VACUUM (ANALYZE) attendances, attendance_tags, interactions, attendance_events"
fi
log "warming the tables the scenarios read (pg_prewarm, into the OS page cache)"
# On a machine that does not keep a freshly written database in its page cache, the first
# touches of the interactions and events read the disk and (d) and (e) measured the disk (90%
# I/O wait, 169 req/s on 2026-12-01); the targets are about a warm database, as in production.
if psql_db -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" 2>/dev/null; then
    psql_db -At -c "SELECT c.relname || ' ' || pg_prewarm(c.oid, 'read') || ' pages' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND c.relpages > 0 ORDER BY c.relname" |
        tee "$OUT/prewarm.txt" | tail -3
else
    echo "warning: pg_prewarm is not available; the scenarios start on a cold page cache" >&2
fi

log "server, member login, walking $DEPTH pages"
start_server
TOKEN=$(login)
api "$BASE/api/v1/flows?limit=200" >"$OUT/flows.json"
visible=$(jq '.items | length' "$OUT/flows.json")
FLOW=$(jq -er '.items[0].id' "$OUT/flows.json")
echo "$MEMBER sees $visible flows; benchmarking flow $FLOW"
SUMMARY="/api/v1/flows/$FLOW/summary"
check_receivable
LIST="/api/v1/flows/$FLOW/attendances?sort=-updated_at&limit=50"
: >"$OUT/ids.txt"
cursor=""
pages=0
while [[ "$pages" -lt "$DEPTH" ]]; do
    url="$LIST"
    if [[ -n "$cursor" ]]; then url="$LIST&cursor=$cursor"; fi
    page=$(api "$BASE$url")
    next=$(jq -r '.next_cursor // empty' <<<"$page")
    [[ -z "$next" ]] && break
    jq -r '.items[].id' <<<"$page" >>"$OUT/ids.txt"
    cursor=$next
    pages=$((pages + 1))
done
DEEP="$LIST&cursor=$cursor"
SEARCH="$LIST&q=$QUERY"
echo "deep page: $((pages + 1)) (after $pages pages; asked for $DEPTH)"
printf '{"flow": "%s", "visible_flows": %s, "pages_walked": %s, "depth_asked": %s, "query": "%s", "duration": %s, "connections": %s, "threads": %s, "attendances": %s, "contacts": %s, "flows": %s, "interactions": %s, "quotes": %s}\n' \
    "$FLOW" "$visible" "$pages" "$DEPTH" "$QUERY" "$DURATION" "$CONNECTIONS" "$THREADS" \
    "$ATTENDANCES" "$CONTACTS" "$FLOWS" "$INTERACTIONS" "$QUOTES" >"$OUT/meta.json"
stop_server

if [[ -r "$PG_LOG" ]]; then
    log "statements per request (log_min_duration_statement = 0 on $DB, one request each)"
    psql_db -c "ALTER DATABASE $DB SET log_min_duration_statement = 0"
    start_server
    TOKEN=$(login)
    first=$(head -1 "$OUT/ids.txt")
    : >"$OUT/queries.txt"
    # The first page after a start also reads the flow's tags, which are then kept while the
    # flow's tags version stays the same (crates/attendances/src/flow_tags.rs): both are counted.
    capture list-first "$BASE$LIST"
    capture list "$BASE$LIST"
    capture list-limit-200 "$BASE/api/v1/flows/$FLOW/attendances?sort=-updated_at&limit=200"
    capture deep "$BASE$DEEP"
    capture search "$BASE$SEARCH"
    capture attendance "$BASE/api/v1/attendances/$first"
    capture timeline "$BASE/api/v1/attendances/$first/timeline"
    capture interaction -X POST -H 'content-type: application/json' \
        -d '{"body":"Captura de consultas","notify":false}' "$BASE/api/v1/attendances/$first/interactions"
    capture summary "$BASE$SUMMARY"
    stop_server
    psql_db -c "ALTER DATABASE $DB RESET log_min_duration_statement"
    python3 "$BENCH/request_sql.py" "$OUT/queries-list.log" >"$OUT/request.sql"
    python3 "$BENCH/request_sql.py" "$OUT/queries-summary.log" >"$OUT/request-summary.sql"
else
    echo "warning: $PG_LOG is not readable: statements per request not counted" >&2
fi

log "EXPLAIN (ANALYZE, BUFFERS) of (a), (b), (c): custom plan, then the generic plan"
position=$(python3 -c 'import base64, json, sys
c = sys.argv[1]
p = json.loads(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)))
p = p[0] if isinstance(p, list) else p  # (position, direction) or a bare position
print(p["value"]["Time"], p["id"])' "$cursor")
read -r deep_time deep_id <<<"$position"
member_id=$(psql_db -At -c "SELECT id FROM users WHERE email_key = '$MEMBER'")
# The list's columns as in bench/list.sql, its :flow_id being the statement's first parameter.
# shellcheck disable=SC2016 # $P1 is a placeholder for sed_params and PREPARE, not a variable
COLUMNS_SQL=$(sed -n 's/^SELECT \(.*\) FROM "attendances" WHERE.*/\1/p' "$BENCH/list.sql" | sed 's/:flow_id/$P1/g')
explain() {
    local name=$1 where=$2 params=$3 types=$4 values=$5
    local sql="SELECT $COLUMNS_SQL FROM \"attendances\" WHERE $where ORDER BY \"attendances\".\"updated_at\" DESC, \"attendances\".\"id\" DESC LIMIT 51"
    {
        echo "-- $name, as the server sends it (bind values inlined): custom plan"
        psql_db -c "EXPLAIN (ANALYZE, BUFFERS) $(sed_params "$sql" "$values")"
        echo "-- the same as a prepared statement with plan_cache_mode = force_generic_plan"
        psql_db -c "SET plan_cache_mode = force_generic_plan" \
            -c "PREPARE q($types) AS ${sql//\$P/\$}" \
            -c "EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($params)"
    } >"$EXPLAIN/$name.txt" 2>&1
    grep -E 'Index|Seq Scan|Execution Time' "$EXPLAIN/$name.txt" | sed 's/^/  /'
}
# Replaces $P1, $P2… by the literal values given as "v1|v2|…".
sed_params() {
    local sql=$1 i=1 value
    local IFS='|'
    for value in $2; do
        sql=${sql//\$P$i/$value}
        i=$((i + 1))
    done
    printf '%s' "$sql"
}
# shellcheck disable=SC2016 # $P1, $P2 are placeholders for sed_params and PREPARE, not variables
base_where='"attendances"."flow_id" = $P1 AND "attendances"."view" = ('"'active'"') AND "attendances"."flow_id" IN (SELECT "flow_id" FROM "flow_users" WHERE "flow_users"."user_id" = $P2)'
explain a-list "$base_where" "'$FLOW', '$member_id'" "uuid, uuid" "'$FLOW'|'$member_id'"
explain b-deep "$base_where AND (\"attendances\".\"updated_at\", \"attendances\".\"id\") < (\$P3, \$P4)" \
    "'$FLOW', '$member_id', '$deep_time', '$deep_id'" "uuid, uuid, timestamptz, uuid" \
    "'$FLOW'|'$member_id'|'$deep_time'::timestamptz|'$deep_id'::uuid"
# The pattern is a literal in the server's statement (crm_entity::planning::like), so even the
# generic plan knows it.
explain c-search "$base_where AND \"search_key\" LIKE '%$QUERY%' ESCAPE E'\\\\'" \
    "'$FLOW', '$member_id'" "uuid, uuid" "'$FLOW'|'$member_id'"

log "EXPLAIN (ANALYZE, BUFFERS) of every SELECT of (f), as captured: custom, then generic plan"
if [[ -s "$OUT/queries-summary.log" ]]; then
    python3 "$BENCH/explain_request.py" "$OUT/queries-summary.log" >"$OUT/explain-f-summary.sql"
    psql_db -f "$OUT/explain-f-summary.sql" >"$EXPLAIN/f-summary.txt" 2>&1
    grep -E '^-- statement|Execution Time' "$EXPLAIN/f-summary.txt" | sed 's/^/  /'
else
    echo "warning: no statements captured for (f): $EXPLAIN/f-summary.txt not written" >&2
fi
log "load: server with ${CONNECTIONS} connections, ${THREADS} wrk threads, ${DURATION} s per run"
start_server
idle_rss=$(ps -o rss= -p "$SERVER_PID")
echo "idle_rss_kib $idle_rss" >"$OUT/rss-idle.txt"

pgbench_args=(-M prepared -c "$CONNECTIONS" -j "$THREADS" -n -f "$BENCH/list.sql"
    -D flow_id="$FLOW" -D user_id="$member_id")
# floor PREFIX: a warm-up, then the measured pgbench run of the list's statement; its report goes
# to $OUT/PREFIX.txt and its per-transaction latencies to $OUT/pgbench/PREFIX.*.
floor() {
    local prefix=$1
    log "floor ($prefix): bench/list.sql through pgbench -M prepared"
    if [[ "$WARMUP" -gt 0 ]]; then pgbench "${pgbench_args[@]}" -T "$WARMUP" "$DATABASE_URL" >/dev/null; fi
    python3 "$BENCH/othercpu.py" "$DURATION" "$DB" >"$OUT/cpu-$prefix.txt" &
    local watcher=$!
    (cd "$OUT/pgbench" && pgbench "${pgbench_args[@]}" -T "$DURATION" -l --log-prefix="$prefix" \
        "$DATABASE_URL") | tee "$OUT/$prefix.txt"
    wait "$watcher" || true
}
# The first round's floor keeps its historical names (pgbench.txt, pgbench/list.*, cpu-floor.txt).
floor list
mv "$OUT/list.txt" "$OUT/pgbench.txt"
mv "$OUT/cpu-list.txt" "$OUT/cpu-floor.txt"
if [[ -s "$OUT/request.sql" ]]; then
    log "the database's share of one list request: its captured statements through pgbench"
    pgbench -M prepared -c "$CONNECTIONS" -j "$THREADS" -n -T "$DURATION" -f "$OUT/request.sql" \
        "$DATABASE_URL" | tee "$OUT/pgbench-request.txt"
fi
if [[ -s "$OUT/request-summary.sql" ]]; then
    log "the database's share of one summary request (f): its captured statements through pgbench"
    pgbench -M prepared -c "$CONNECTIONS" -j "$THREADS" -n -T "$DURATION" \
        -f "$OUT/request-summary.sql" "$DATABASE_URL" | tee "$OUT/pgbench-request-summary.txt"
fi

scenario a-list get.lua "$BASE$LIST"
scenario b-deep get.lua "$BASE$DEEP"
# This VM's speed drifts by up to a third within minutes (bench/RESULTS.md), so one floor run and
# one (a) run a minute apart can measure two different machines: the ratio targets (floor/(a)
# and (a)/(b)) are judged on the median of BENCH_ROUNDS interleaved rounds of the floor, (a) and
# (b), the runs above being the first.
for round in $(seq 2 "$ROUNDS"); do
    floor "floor-r$round"
    scenario "a-list-r$round" get.lua "$BASE$LIST"
    scenario "b-deep-r$round" get.lua "$BASE$DEEP"
done
scenario c-search get.lua "$BASE$SEARCH"
scenario d-attendance attendance.lua "$BASE" "$OUT/ids.txt"
# (f) before (e): reads on the seeded, vacuumed tables like (a)-(d); (e)'s writes leave dead row
# versions and clear the visibility map that the summary's counts otherwise use.
scenario f-summary get.lua "$BASE$SUMMARY"
# (c) again with no statement cache: every search is then one its connection has never seen, so
# PostgreSQL parses and plans it (the server writes the pattern into the SQL; a repeated term,
# as in (c), reuses its plan).
stop_server
SERVER_DB_QUERY_SAVED=$SERVER_DB_QUERY
SERVER_DB_QUERY="${SERVER_DB_QUERY:-?}${SERVER_DB_QUERY:+&}statement-cache-capacity=0"
start_server
scenario c-unseen get.lua "$BASE$SEARCH"
stop_server
SERVER_DB_QUERY=$SERVER_DB_QUERY_SAVED
start_server
scenario e-interaction interaction.lua "$BASE" "$OUT/ids.txt"
stop_server
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

log "summary ($OUT/summary.md)"
python3 "$BENCH/report.py" "$OUT" "$EXPLAIN" | tee "$OUT/summary.md"
