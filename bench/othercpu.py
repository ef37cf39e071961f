#!/usr/bin/env python3
"""How much CPU other work on the machine took during a benchmark run: samples /proc from 1 s
after the start to 1 s before the end of a run of DURATION seconds and prints the cores used by
everything except the benchmark itself (the server, wrk, pgbench and PostgreSQL backends of the
benchmark database), plus the machine's total. On a shared 2-core machine this says which numbers
were disturbed. Usage: othercpu.py DURATION DATABASE > file"""

import os
import sys
import time


def busy_ticks():
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle


def ours(database):
    """utime + stime of the benchmark's own processes, by pid."""
    ticks = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2 :].split()
        mine = (
            comm in ("wrk", "pgbench")
            or (comm == "crm" and " serve" in cmdline)
            or (cmdline.startswith("postgres: ") and f" {database} " in cmdline)
        )
        if mine:
            ticks[pid] = int(rest[11]) + int(rest[12])
    return ticks


def main():
    duration, database = float(sys.argv[1]), sys.argv[2]
    time.sleep(1)
    start, start_ours, t0 = busy_ticks(), ours(database), time.monotonic()
    time.sleep(max(1.0, duration - 2))
    end, end_ours, t1 = busy_ticks(), ours(database), time.monotonic()
    hz = os.sysconf("SC_CLK_TCK")
    ours_ticks = sum(end_ours[p] - start_ours[p] for p in end_ours if p in start_ours)
    seconds = t1 - t0
    total = (end - start) / hz / seconds
    other = max(0.0, (end - start - ours_ticks) / hz / seconds)
    print(f"{other:.2f} {total:.2f}")


if __name__ == "__main__":
    main()
