#!/usr/bin/env python3
"""Turns the statements one HTTP request sent (the PostgreSQL log excerpt bench/run.sh captured
with log_min_duration_statement = 0) into a psql script that runs EXPLAIN (ANALYZE, BUFFERS) on
each of its SELECTs twice: as the server sends it with the bind values inlined (a custom plan),
and as a prepared statement under plan_cache_mode = force_generic_plan (the plan PostgreSQL
switches to after five executions of a statement sqlx keeps prepared). Parameter types are left
for PostgreSQL to infer from the statement, as they are when sqlx prepares it.

The background mail sender's outbox polls are left out (see request_sql.py).

Usage: explain_request.py LOG > script.sql; psql -f script.sql"""

import re
import sys

from request_sql import EXECUTE, LINE, PARAM


def selects(path):
    """The SELECT statements of the excerpt, in log order, as (sql with $n, {n: literal})."""
    found = []
    pending = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = LINE.search(line)
            if not match:
                continue
            pid, level, text = match.groups()
            execute = EXECUTE.search(text) if level == "LOG" else None
            if execute:
                sql = execute.group(1)
                keep = sql.lstrip().upper().startswith("SELECT") and '"outbox"' not in sql
                pending[pid] = len(found) if keep else None
                if keep:
                    found.append((sql, {}))
                continue
            # Only the DETAIL right after an execute holds its bind values.
            index = pending.pop(pid, None)
            if level == "DETAIL" and index is not None and text.startswith("parameters: "):
                found[index][1].update({int(n): v for n, v in PARAM.findall(text)})
    return found


def inline(sql, values):
    return re.sub(r"\$(\d+)", lambda m: values.get(int(m.group(1)), m.group(0)), sql)


def main():
    statements = selects(sys.argv[1])
    if not statements:
        sys.exit("no SELECT statements in " + sys.argv[1])
    out = ["\\set ON_ERROR_STOP on"]
    for number, (sql, values) in enumerate(statements, 1):
        arguments = ", ".join(values[n] for n in sorted(values))
        out += [
            f"\\echo '-- statement {number}, as the server sends it (bind values inlined): custom plan'",
            f"\\echo '{inline(sql, values).replace(chr(39), chr(39) * 2)[:2000]}'",
            f"EXPLAIN (ANALYZE, BUFFERS) {inline(sql, values)};",
            f"\\echo '-- statement {number} prepared, plan_cache_mode = force_generic_plan'",
            "SET plan_cache_mode = force_generic_plan;",
            f"PREPARE s{number} AS {sql};",
            f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE s{number}" + (f"({arguments});" if values else ";"),
            f"DEALLOCATE s{number};",
            "RESET plan_cache_mode;",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
