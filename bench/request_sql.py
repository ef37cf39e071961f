#!/usr/bin/env python3
"""Builds a pgbench script from the statements one HTTP request sent (a PostgreSQL log excerpt
captured by bench/run.sh with log_min_duration_statement = 0): every `execute` with its bind
values inlined, in order. Run through pgbench it measures the database's share of a request."""

import re
import sys

EXECUTE = re.compile(r"duration: [0-9.]+ ms  execute [^:]+: (.*)$")
DETAIL = re.compile(r"DETAIL:  parameters: (.*)$")
PARAM = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def main():
    statements = []
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        match = EXECUTE.search(line)
        if not match:
            continue
        sql = match.group(1)
        values = {}
        if i + 1 < len(lines):
            detail = DETAIL.search(lines[i + 1])
            if detail:
                values = {int(n): v for n, v in PARAM.findall(detail.group(1))}
        sql = re.sub(r"\$(\d+)", lambda m: values.get(int(m.group(1)), m.group(0)), sql)
        statements.append(sql + ";")
    if not statements:
        sys.exit("no execute statements in " + sys.argv[1])
    print("\n".join(statements))


if __name__ == "__main__":
    main()
