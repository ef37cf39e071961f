#!/usr/bin/env python3
"""Reads the PostgreSQL log excerpt bench/run.sh captured around one HTTP request
(log_min_duration_statement = 0 on the benchmark database) and either counts the statements the
request sent (--count: every `execute` plus BEGIN/COMMIT/ROLLBACK) or prints them as a pgbench
script (bind values inlined, transaction control left out), which measures the database's share
of the request.

The server's background mail sender polls the outbox in its own short transactions; a
transaction that touches `outbox` is the poller's, not the request's, and is left out. Lines are
grouped by backend pid because concurrent connections interleave in the log.

Usage: request_sql.py [--count] LOG"""

import re
import sys

LINE = re.compile(r"\[(\d+)\] \S+ (LOG|DETAIL):  (.*)$")
EXECUTE = re.compile(r"duration: [0-9.]+ ms  execute [^:]+: (.*)$")
SIMPLE = re.compile(r"duration: [0-9.]+ ms  statement: (.*)$")
PARAM = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def statements(path):
    """The request's statements, in log order, as (sql, kind) with kind 'execute' or 'control'."""
    by_pid = {}
    order = []
    last_was_execute = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = LINE.search(line)
            if not match:
                continue
            pid, level, text = match.groups()
            entries = by_pid.setdefault(pid, [])
            # parse and bind lines carry a DETAIL too: only the one right after an execute counts.
            follows_execute = last_was_execute.get(pid, False)
            last_was_execute[pid] = False
            if level == "DETAIL":
                last_was_execute[pid] = follows_execute
            if level == "DETAIL" and follows_execute and text.startswith("parameters: "):
                values = {int(n): v for n, v in PARAM.findall(text)}
                sql, kind, _ = entries[-1]
                entries[-1] = (sql, kind, values)
                continue
            execute, simple = EXECUTE.search(text), SIMPLE.search(text)
            if execute:
                entries.append((execute.group(1), "execute", {}))
                last_was_execute[pid] = True
            elif simple:
                entries.append((simple.group(1).strip(), "control", {}))
            else:
                continue
            order.append((pid, len(entries) - 1))
    # Drop the poller's transactions: BEGIN … COMMIT/ROLLBACK blocks mentioning the outbox.
    dropped = set()
    for pid, entries in by_pid.items():
        block = []
        for index, (sql, kind, _) in enumerate(entries):
            block.append(index)
            word = sql.split()[0].upper() if sql.split() else ""
            if kind == "control" and word == "BEGIN":
                block = [index]
            elif kind == "control" and word in ("COMMIT", "ROLLBACK"):
                if any('"outbox"' in entries[i][0] for i in block):
                    dropped.update((pid, i) for i in block)
                block = []
    result = []
    for pid, index in order:
        if (pid, index) in dropped:
            continue
        sql, kind, values = by_pid[pid][index]
        sql = re.sub(r"\$(\d+)", lambda m: values.get(int(m.group(1)), m.group(0)), sql)
        result.append((sql, kind))
    return result


def main():
    args = sys.argv[1:]
    count = args[:1] == ["--count"]
    path = args[-1]
    found = statements(path)
    if count:
        print(len(found))
        return
    script = [sql + ";" for sql, kind in found if kind == "execute"]
    if not script:
        sys.exit("no execute statements in " + path)
    print("\n".join(script))


if __name__ == "__main__":
    main()
