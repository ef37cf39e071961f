#!/usr/bin/env bash
# CPU per request, split between the server and PostgreSQL: runs wrk against URL for SECONDS
# (default 10) and reads the CPU time the server process (PID) and every postgres process used
# meanwhile from /proc. For a server started by hand against the bench database, e.g.
#   BENCH_TOKEN=… bash bench/cpu.sh "$(pgrep -f 'crm serve')" "http://127.0.0.1:18089/api/v1/flows/$FLOW/attendances?limit=50"
# It tells which side a change has to make cheaper: the database's share is the floor's business,
# the server's is ours.
set -euo pipefail
pid=$1 url=$2 seconds=${3:-10}
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
result=$(mktemp)
trap 'rm -f "$result"' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() {
    local total=0 p
    for p in $(pgrep -x postgres); do total=$((total + $(ticks "$p"))); done
    echo "$total"
}
all_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $6 + $7 + $8}' /proc/stat; }
s0=$(ticks "$pid") p0=$(postgres_ticks) a0=$(all_ticks)
BENCH_LUA="$bench/lua" BENCH_RESULT="$result" wrk -t2 -c32 -d"${seconds}s" --latency \
    -s "$bench/lua/get.lua" "$url" >/dev/null
s1=$(ticks "$pid") p1=$(postgres_ticks) a1=$(all_ticks)
python3 - "$result" $((s1 - s0)) $((p1 - p0)) $((a1 - a0)) "$(getconf CLK_TCK)" <<'PY'
import json, sys
path, server, postgres, everything, tick = sys.argv[1], *map(int, sys.argv[2:])
run = json.load(open(path))
per = lambda t: t / tick / run["requests"] * 1e6
print(f"{run['rps']:.0f} req/s, p99 {run['p99_ms']:.1f} ms, {run['non_2xx']} non-2xx; CPU per request: "
      f"server {per(server):.0f} µs, PostgreSQL {per(postgres):.0f} µs, whole machine {per(everything):.0f} µs")
PY
