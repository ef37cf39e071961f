#!/usr/bin/env python3
"""Turns the raw output of bench/run.sh (bench/out/) into a Markdown summary checked against the
targets of issues 3 and 4. Standard library only."""

import glob
import json
import os
import re
import sys


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def pgbench_floor(out, prefix="list", report="pgbench.txt"):
    """TPS from pgbench's report, latency percentiles from its per-transaction logs (-l)."""
    latencies = []
    for path in glob.glob(os.path.join(out, "pgbench", f"{prefix}.*")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                # client_id transaction_no time script_no time_epoch time_us
                if len(fields) >= 3 and fields[2].isdigit():
                    latencies.append(int(fields[2]) / 1000.0)
    latencies.sort()
    tps = float("nan")
    try:
        with open(os.path.join(out, report), encoding="utf-8") as f:
            match = re.search(r"tps = ([0-9.]+)", f.read())
            if match:
                tps = float(match.group(1))
    except OSError:
        pass
    return {
        "tps": tps,
        "transactions": len(latencies),
        "mean_ms": sum(latencies) / len(latencies) if latencies else float("nan"),
        "p50_ms": percentile(latencies, 50),
        "p90_ms": percentile(latencies, 90),
        "p99_ms": percentile(latencies, 99),
        "p999_ms": percentile(latencies, 99.9),
        "max_ms": latencies[-1] if latencies else float("nan"),
    }


def pgbench_request(out, name):
    """TPS and mean latency (ms) of a pgbench run of a request's captured statements; NaNs when
    it did not run."""
    try:
        with open(os.path.join(out, name), encoding="utf-8") as f:
            text = f.read()
        tps = float(re.search(r"tps = ([0-9.]+)", text).group(1))
        latency = float(re.search(r"latency average = ([0-9.]+) ms", text).group(1))
        return tps, latency
    except (OSError, AttributeError, ValueError):
        return float("nan"), float("nan")


def max_rss_mib(out, name):
    try:
        with open(os.path.join(out, f"rss-{name}.txt"), encoding="utf-8") as f:
            values = [int(v) for v in f.read().split() if v.isdigit()]
        return max(values) / 1024.0 if values else float("nan")
    except OSError:
        return float("nan")


def other_cpu(out, name):
    """Cores used by other work on the machine during a run, of the cores busy in all."""
    try:
        with open(os.path.join(out, f"cpu-{name}.txt"), encoding="utf-8") as f:
            other, total = f.read().split()
        return f"{other} of {total}"
    except (OSError, ValueError):
        return "?"


def rounds(out, first_floor, first_a, first_b):
    """The interleaved rounds of run.sh: (floor, (a), (b)) per round, the first one being the
    main table's."""
    found = [(first_floor, first_a, first_b)]
    number = 2
    while True:
        a = load_json(os.path.join(out, f"wrk-a-list-r{number}.json"))
        b = load_json(os.path.join(out, f"wrk-b-deep-r{number}.json"))
        if not a or not b:
            return found
        found.append((pgbench_floor(out, f"floor-r{number}", f"floor-r{number}.txt"), a, b))
        number += 1


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def verdict(ok):
    return "PASS" if ok else "**FAIL**"


def statement_times(path):
    """Execution times (ms) of each statement in an explain_request.py output, by number, as
    (custom plan, generic plan)."""
    times = {}
    number = None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                header = re.match(r"-- statement (\d+)", line)
                if header:
                    number = int(header.group(1))
                timing = re.search(r"Execution Time: ([0-9.]+) ms", line)
                if timing and number is not None:
                    times.setdefault(number, []).append(float(timing.group(1)))
    except OSError:
        return {}
    return times


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
    meta = load_json(os.path.join(out, "meta.json")) or {}
    names = ["a-list", "b-deep", "c-search", "d-attendance", "e-interaction", "f-summary", "c-unseen"]
    labels = {
        "a-list": "(a) list page 1, sort=-updated_at, limit=50",
        "b-deep": f"(b) page {meta.get('pages_walked', '?') + 1 if isinstance(meta.get('pages_walked'), int) else '?'} through cursors",
        "c-search": f"(c) search q={meta.get('query', '?')}",
        "d-attendance": "(d) attendance + timeline (alternating)",
        "e-interaction": "(e) POST interaction",
        "f-summary": "(f) flow summary",
        "c-unseen": f"(c') search q={meta.get('query', '?')}, no statement cache (a term new to its connection)",
    }
    runs = {name: load_json(os.path.join(out, f"wrk-{name}.json")) for name in names}
    floor = pgbench_floor(out)

    print("## Results\n")
    with open(os.path.join(out, "machine.txt"), encoding="utf-8") as f:
        print("```\n" + f.read().strip())
    for extra in ("size.txt", "receivable.txt"):
        path = os.path.join(out, extra)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                print(f.read().strip())
    print("```\n")
    print(
        f"Flow `{meta.get('flow')}` (the member sees {meta.get('visible_flows')} flows); "
        f"{meta.get('connections')} connections, {meta.get('threads')} threads, "
        f"{meta.get('duration')} s per run.\n"
    )
    print("| scenario | req/s | mean ms | p50 ms | p90 ms | p99 ms | max ms | errors | max RSS MiB | other CPU (cores) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| floor: list SQL via pgbench -M prepared | {floor['tps']:.0f} | {floor['mean_ms']:.2f} | "
        f"{floor['p50_ms']:.2f} | {floor['p90_ms']:.2f} | {floor['p99_ms']:.2f} | "
        f"{floor['max_ms']:.2f} | – | – | {other_cpu(out, 'floor')} |"
    )
    request_tps, request_latency = pgbench_request(out, "pgbench-request.txt")
    if request_tps == request_tps:
        print(
            f"| the statements of one list request (captured, via pgbench) | {request_tps:.0f} | "
            f"{request_latency:.2f} | | | | | – | – | |"
        )
    summary_tps, summary_latency = pgbench_request(out, "pgbench-request-summary.txt")
    if summary_tps == summary_tps:
        print(
            f"| the statements of one summary request (f) (captured, via pgbench) | {summary_tps:.0f} | "
            f"{summary_latency:.2f} | | | | | – | – | |"
        )
    for name in names:
        run = runs[name]
        if not run:
            print(f"| {labels[name]} | missing | | | | | | | | |")
            continue
        errors = sum(run[k] for k in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts"))
        print(
            f"| {labels[name]} | {run['rps']:.0f} | {run['mean_ms']:.2f} | {run['p50_ms']:.2f} | "
            f"{run['p90_ms']:.2f} | {run['p99_ms']:.2f} | {run['max_ms']:.2f} | {errors} | "
            f"{max_rss_mib(out, name):.1f} | {other_cpu(out, name)} |"
        )

    a = runs.get("a-list")
    b = runs.get("b-deep")
    pairs = rounds(out, floor, a, b) if a and b else []
    if pairs:
        print("\nRound by round (each round: the floor, then (a), then (b)):\n")
        print("| round | floor statements/s | floor p99 ms | (a) req/s | (a) p99 ms | (b) req/s | (b) p99 ms | (a) / floor | (a) p99 / floor p99 | (b) p99 / (a) p99 |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for number, (f, ra, rb) in enumerate(pairs, start=1):
            print(f"| {number} | {f['tps']:.0f} | {f['p99_ms']:.2f} | {ra['rps']:.0f} | {ra['p99_ms']:.2f} | {rb['rps']:.0f} | {rb['p99_ms']:.2f} | {ra['rps'] / f['tps']:.2f}× | {ra['p99_ms'] / f['p99_ms']:.2f}× | {rb['p99_ms'] / ra['p99_ms']:.2f}× |")

    print("\n### Targets\n")
    print("| target | measured | verdict |")
    print("|---|---|---|")
    each = lambda ratios: ", ".join(f"{r:.2f}" for r in ratios)
    how = f"median of {len(pairs)} interleaved rounds"
    if pairs:
        throughput = [ra["rps"] / f["tps"] for f, ra, _ in pairs]
        tail = [ra["p99_ms"] / f["p99_ms"] for f, ra, _ in pairs]
        print(f"| list page 1 throughput ≥ 0.5× floor ({how}) | {median(throughput):.2f}× (rounds: {each(throughput)}) | {verdict(median(throughput) >= 0.5)} |")
        print(f"| list page 1 p99 ≤ 2× floor p99 ({how}) | {median(tail):.2f}× (rounds: {each(tail)}) | {verdict(median(tail) <= 2)} |")
    for name in ("b-deep", "c-search", "d-attendance", "f-summary"):
        run = runs.get(name)
        if run:
            # A run whose requests time out or fail has no honest latency: it fails.
            errors = sum(run[k] for k in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts"))
            failed = f", {errors} failed or timed out" if errors else ""
            p99 = run["p99_ms"]
            measured = f"{p99:.2f} ms"
            if name == "b-deep" and len(pairs) > 1:
                p99 = median([rb["p99_ms"] for _, _, rb in pairs])
                measured = f"{p99:.2f} ms ({how}: {each([rb['p99_ms'] for _, _, rb in pairs])})"
            ok = p99 <= 50 and not errors and run["rps"] > 0
            print(f"| {labels[name]}: p99 ≤ 50 ms | {measured}{failed} | {verdict(ok)} |")
    if pairs:
        deep = [rb["p99_ms"] / ra["p99_ms"] for _, ra, rb in pairs]
        print(f"| deep page p99 within 1.5× page 1 ({how}) | {median(deep):.2f}× (rounds: {each(deep)}) | {verdict(median(deep) <= 1.5)} |")
        deep = [ra["rps"] / rb["rps"] for _, ra, rb in pairs]
        print(f"| deep page throughput within 1.5× page 1, page 1 / deep ({how}) | {median(deep):.2f}× (rounds: {each(deep)}) | {verdict(median(deep) <= 1.5)} |")
    explain_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "explain")
    explain = os.path.join(explain_dir, "c-search.txt")
    if os.path.exists(explain):
        with open(explain, encoding="utf-8") as f:
            text = f.read()
        indexes = sorted(set(re.findall(r"(?:Index Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\w+)", text)))
        # Only a scan of the attendances counts: the flow's row and the member's access rows are
        # a few rows of small tables, read by Seq Scan at any size PostgreSQL thinks cheaper.
        seq = "Seq Scan on attendances" in text
        print(f"| search served by an index (explain/c-search.txt) | {', '.join(indexes) or 'none'}{'; a Seq Scan' if seq else ''} | {verdict(bool(indexes) and not seq)} |")
    queries = os.path.join(out, "queries.txt")
    if os.path.exists(queries):
        with open(queries, encoding="utf-8") as f:
            counts = dict(line.split() for line in f if line.strip())
        same = counts.get("list") == counts.get("list-limit-200")
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(f"| no N+1: statements per request independent of page size | {detail} | {verdict(same)} |")
    rss = [max_rss_mib(out, n) for n in names]
    rss = [r for r in rss if r == r]
    if rss:
        print(f"| server RSS under load ≤ 100 MiB | max {max(rss):.1f} MiB | {verdict(max(rss) <= 100)} |")
    if a and request_tps == request_tps:
        print(f"| (info) list page 1 vs the database work of the same request | {a['rps']:.0f} / {request_tps:.0f} = {a['rps'] / request_tps:.2f}× | – |")
    times = statement_times(os.path.join(explain_dir, "f-summary.txt"))
    f = runs.get("f-summary")
    if f and summary_tps == summary_tps:
        print(f"| (info) (f) flow summary vs the database work of the same request | {f['rps']:.0f} / {summary_tps:.0f} = {f['rps'] / summary_tps:.2f}× | – |")
    if times:
        detail = ", ".join(f"{n}: {' / '.join(f'{t:.2f}' for t in ts)}" for n, ts in sorted(times.items()))
        slowest = max(max(ts) for ts in times.values())
        print(f"| (info) (f)'s statements, execution ms custom / generic plan (explain/f-summary.txt) | {detail} | slowest {slowest:.2f} ms |")
    unseen = runs.get("c-unseen")
    if unseen:
        print(f"| (info) (c'): every search planned afresh, as a term its connection has not seen | {unseen['rps']:.0f} req/s, p99 {unseen['p99_ms']:.2f} ms | – |")
    e = runs.get("e-interaction")
    if e:
        print(f"| (e) POST interaction (a write; no target) | {e['rps']:.0f} req/s, p99 {e['p99_ms']:.2f} ms, {e['non_2xx']} non-2xx | – |")


if __name__ == "__main__":
    main()
