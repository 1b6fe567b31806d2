"""``make bench``: the apply benchmark (issue 2) and the RLS benchmark (issue 3).

    .venv/bin/python bench/run.py                 # both, full size
    .venv/bin/python bench/run.py --only rls      # one of them
    .venv/bin/python bench/run.py --quick         # smoke run: fewer reps, tables and rows
    SCHEMACTL_BENCH_DSN=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py

Prints a table on stdout (progress on stderr) and writes bench/results/<name>.json. Exit
status 1 when a target is missed, so a script can tell, 0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from pathlib import Path
from typing import Any

# bench/ is not a package: make its modules importable however this file is started
sys.path.insert(0, str(Path(__file__).resolve().parent))

import apply_bench
import diff_bench
import partitions_bench
import prove_bench
import refresh_bench
import rls_bench
from common import log, open_bench_server, write_results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["apply", "rls", "diff", "refresh", "partitions", "prove"], help="run one benchmark only")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer reps and rows")
    parser.add_argument("--reps", type=int, help="apply: repetitions per tool (default 5; 2 quick)")
    parser.add_argument("--tables", type=int, help="apply: generated tables (default 2000)")
    parser.add_argument("--runs", type=int, help="rls: runs per variant (default 7; 5 quick)")
    parser.add_argument("--rows", type=int, help="rls: transfers (default 1,000,000)")
    parser.add_argument(
        "--profile", action="store_true", help="apply: cProfile schemactl.api.apply even on PASS"
    )
    parser.add_argument("--name", help="results file name (default: <server kind>-pg<major>)")
    return parser.parse_args(argv)


def print_table(rows: list[tuple[str, str, str, str, str]]) -> None:
    """A compact fixed-width table on stdout."""
    header = ("benchmark", "measured", "baseline", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; 1 when a target was missed."""
    args = parse_args(argv)
    reps = args.reps or (2 if args.quick else 5)
    tables = args.tables or (500 if args.quick else 2000)
    runs = args.runs or (5 if args.quick else 7)
    rows_n = args.rows or (100_000 if args.quick else 1_000_000)

    with open_bench_server() as server:
        print(f"server: PostgreSQL {server.version} ({server.kind}); psql {server.psql}")
        results: dict[str, Any] = {
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "server": server.describe(),
            "quick": args.quick,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "loadavg_start": os.getloadavg(),
            },
        }
        table: list[tuple[str, str, str, str, str]] = []
        if args.only in (None, "apply"):
            results["apply"] = apply_bench.run(
                server, reps=reps, tables=tables, profile=args.profile
            )
            table.extend(apply_bench.table_rows(results["apply"]))
        if args.only in (None, "rls"):
            results["rls"] = rls_bench.run(server, transfers=rows_n, runs=runs)
            table.extend(rls_bench.table_rows(results["rls"]))
        if args.only in (None, "diff"):
            results["diff"] = diff_bench.run(server, reps=reps, tables=tables, profile=args.profile)
            table.extend(diff_bench.table_rows(results["diff"]))
        if args.only in (None, "refresh"):
            results["refresh"] = refresh_bench.run(server, runs=3 if args.quick else 7)
            table.extend(refresh_bench.table_rows(results["refresh"]))
        if args.only in (None, "partitions"):
            results["partitions"] = partitions_bench.run(
                server, runs=7 if args.quick else 15, default_rows=rows_n * 2
            )
            table.extend(partitions_bench.table_rows(results["partitions"]))
        if args.only in (None, "prove"):  # issue 11: prove a 20-change plan, 100,000 rows
            results["prove"] = prove_bench.run(server, runs=3 if args.quick else 7)
            table.extend(prove_bench.table_rows(results["prove"]))
        results["machine"]["loadavg_end"] = os.getloadavg()

    major = server.version_num // 10000
    suffix = (f"-{args.only}" if args.only else "") + ("-quick" if args.quick else "")
    name = args.name or f"{server.kind}-pg{major}{suffix}"
    path = write_results(name, results)
    print()
    print_table(table)
    profile = results.get("apply", {}).get("profile_generated")
    if profile:
        print("\nschemactl.api.apply on the generated schema, cProfile phases (s):")
        for label, seconds in profile["phases_seconds"].items():
            print(f"  {label:<40} {seconds:8.3f}")
        print(f"  {'total':<40} {profile['total_seconds']:8.3f}")
        print("  top entries by cumulative time: see " + str(path))
    print(f"\nresults: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    log(f"load average at start {results['machine']['loadavg_start']}, end {os.getloadavg()}")
    failed = any(row[4].startswith("FAIL") for row in table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
