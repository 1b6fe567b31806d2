"""Issue 2: ``schemactl apply`` vs ``psql -f`` of the same ordered SQL; ``schemactl order``.

Both tools run as subprocesses, whole command, on a fresh database per repetition, and do
the same work: psql gets the auth shim followed by the statements in schemactl's order, in
one transaction. Targets: generated schema apply at most 1.3x psql, ``order`` under 3 s.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    ROOT,
    SCHEMACTL,
    BenchServer,
    admin_connection,
    log,
    scratch_database,
    summary,
    timed,
    verdict,
)
from gen_schema import generate

from schemactl import api
from schemactl.db import resources

APPLY_TARGET = 1.3  # schemactl apply / psql on the generated schema
ORDER_TARGET_SECONDS = 3.0  # schemactl order on the generated schema

# A catalog fingerprint both tools must leave behind, so a ratio never compares unequal work.
FINGERPRINT = """
SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')) AS relations,
  (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public') AS indexes,
  (SELECT count(*) FROM pg_policies WHERE schemaname = 'public') AS policies,
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relrowsecurity) AS rls_tables
"""


def _clean_env() -> dict[str, str]:
    # a DATABASE_URL or SCHEMACTL_* of the caller must not redirect or reconfigure the run
    return {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith(("SCHEMACTL_", "PG"))
    }


def write_psql_file(sql_dir: Path, target: Path) -> int:
    """Write the auth shim and the ordered statements of ``sql_dir`` to ``target``; count."""
    plan = api.order(sql_dir)
    parts = [resources.script("auth_shim").rstrip()]
    for statement in plan.statements:
        text = statement.sql.rstrip()
        # a statement whose last line is a comment would swallow a ";" on the same line
        last_line = text.rsplit("\n", 1)[-1]
        parts.append(text + ("\n" if "--" in last_line else ""))
    target.write_text(";\n".join(parts) + ";\n", encoding="utf-8")
    return len(plan.statements)


def _run(command: list[str]) -> None:
    done = subprocess.run(
        command, capture_output=True, text=True, env=_clean_env(), cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{Path(command[0]).name} exited {done.returncode}: "
            f"{(done.stderr or done.stdout).strip()[-2000:]}"
        )


def _fingerprint(url: str) -> dict[str, int]:
    with admin_connection(url) as conn:
        cur = conn.execute(FINGERPRINT)
        row = cur.fetchone()
        assert row is not None and cur.description is not None
        return {col.name: int(value) for col, value in zip(cur.description, row, strict=True)}


def compare_apply(server: BenchServer, sql_dir: Path, psql_file: Path, reps: int) -> dict[str, Any]:
    """Median wall time of ``schemactl apply`` and ``psql -f`` on fresh databases."""
    tools: dict[str, Callable[[str], list[str]]] = {
        "schemactl": lambda url: [
            str(SCHEMACTL),
            "apply",
            str(sql_dir),
            "--database-url",
            url,
        ],
        "psql": lambda url: [
            str(server.psql),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-f",
            str(psql_file),
            url,
        ],
    }
    samples: dict[str, list[float]] = {name: [] for name in tools}
    prints: dict[str, dict[str, int]] = {}
    for rep in range(reps):
        # alternate who goes first: neither tool always meets a warmer server
        names = list(tools) if rep % 2 == 0 else list(reversed(tools))
        for name in names:
            with scratch_database(server) as url:
                command = tools[name](url)
                samples[name].append(timed(lambda command=command: _run(command)))
                prints[name] = _fingerprint(url)
    if prints["schemactl"] != prints["psql"]:
        raise RuntimeError(f"the two tools left different schemas behind: {prints}")
    result = {name: summary(values) for name, values in samples.items()}
    result["ratio"] = result["schemactl"]["median"] / result["psql"]["median"]
    result["fingerprint"] = prints["psql"]
    return result


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_order(sql_dir: Path, reps: int) -> dict[str, Any]:
    """Median wall time of ``schemactl order <dir>`` as a subprocess (whole command).

    Also the median CPU time (user + system) of the subprocess: on a loaded machine the
    wall time includes waiting for a CPU, the CPU time does not.
    """
    command = [str(SCHEMACTL), "order", str(sql_dir)]
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(reps):
        before = _child_cpu()
        wall.append(timed(lambda: _run(command)))
        cpu.append(_child_cpu() - before)
    return {**summary(wall), "cpu_median": statistics.median(cpu), "cpu_samples": cpu}


def time_startup(reps: int) -> dict[str, Any]:
    """Median wall time of ``schemactl --version``: the interpreter and CLI start-up floor."""
    command = [str(SCHEMACTL), "--version"]
    return summary([timed(lambda: _run(command)) for _ in range(reps)])


# Functions whose cumulative time splits an apply into its phases.
PHASES = {
    "parse + order (build_plan)": ("plan.py", "build_plan"),
    "sqlglot parse": ("parse.py", "parse_file"),
    "connect": ("connect.py", "connect"),
    "execute statements (_run_statements)": ("apply.py", "_run_statements"),
    "  cursor.execute": ("cursor.py", "execute"),
    "ledger (_record_run)": ("apply.py", "_record_run"),
    "file digests": ("discover.py", "file_digests"),
}


def profile_apply(server: BenchServer, sql_dir: Path, top: int = 25) -> dict[str, Any]:
    """cProfile of ``schemactl.api.apply`` in-process on a fresh database: phases and top entries."""
    profiler = cProfile.Profile()
    with scratch_database(server) as url:
        profiler.enable()
        api.apply(sql_dir, database_url=url, project_dir=ROOT)
        profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_cc, _nc, _tt, ct, _callers) in raw.values())
    phases: dict[str, float] = {}
    for label, (filename, func) in PHASES.items():
        cumulative = [
            ct
            for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in raw.items()
            if name == func and path.endswith(filename)
        ]
        if cumulative:
            phases[label] = max(cumulative)
    calls = sum(
        nc
        for (path, _line, name), (_cc, nc, _tt, _ct, _callers) in raw.items()
        if name == "execute" and path.endswith("cursor.py")
    )
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    tottime = io.StringIO()
    pstats.Stats(profiler, stream=tottime).sort_stats("tottime").print_stats(15)
    return {
        "total_seconds": total,
        "phases_seconds": phases,
        "server_round_trips_cursor_execute": calls,
        "top_cumulative": _trim(text.getvalue()),
        "top_tottime": _trim(tottime.getvalue()),
    }


def _trim(report: str) -> list[str]:
    lines = [line.rstrip() for line in report.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return [line.replace(str(ROOT) + "/", "") for line in lines[start:]]


def run(
    server: BenchServer,
    *,
    reps: int = 5,
    tables: int = 2000,
    profile: bool = False,
) -> dict[str, Any]:
    """The whole apply benchmark; a JSON-friendly dict with ratios and verdicts."""
    results: dict[str, Any] = {"reps": reps, "generated_tables": tables}
    with tempfile.TemporaryDirectory(prefix="schemactl-bench-") as tmp_name:
        tmp = Path(tmp_name)
        generated = tmp / "generated"
        results["generated_statements"] = generate(generated, tables)

        log("apply bench: start-up floor (schemactl --version)")
        results["startup"] = time_startup(reps)

        cases = {"platform": ROOT / "sql", "generated": generated}
        for case, sql_dir in cases.items():
            psql_file = tmp / f"{case}.sql"
            count = write_psql_file(sql_dir, psql_file)
            log(f"apply bench: {case} ({count} statements), {reps} reps x 2 tools")
            results[case] = {"statements": count, **compare_apply(server, sql_dir, psql_file, reps)}

        gen = results["generated"]
        gen["target"] = APPLY_TARGET
        gen["verdict"] = verdict(gen["ratio"], APPLY_TARGET)

        log(f"apply bench: schemactl order on {tables} generated tables")
        order = time_order(generated, reps)
        order["target_seconds"] = ORDER_TARGET_SECONDS
        order["verdict"] = verdict(order["median"], ORDER_TARGET_SECONDS)
        results["order_generated"] = order

        if profile or gen["verdict"] == "FAIL":
            log("apply bench: cProfile of schemactl.api.apply on the generated schema")
            results["profile_generated"] = profile_apply(server, generated)
    return results


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows (what, schemactl, baseline, ratio, verdict) of the printed table."""
    rows = [
        (
            "startup: schemactl --version",
            f"{results['startup']['median']:.3f} s",
            "",
            "",
            "",
        )
    ]
    for case in ("platform", "generated"):
        r = results[case]
        rows.append(
            (
                f"apply {case} ({r['statements']} stmts) vs psql",
                f"{r['schemactl']['median']:.3f} s",
                f"{r['psql']['median']:.3f} s",
                f"{r['ratio']:.2f}x",
                f"{r['verdict']} (<= {r['target']}x)" if "verdict" in r else "",
            )
        )
    order = results["order_generated"]
    rows.append(
        (
            f"order generated ({results['generated_statements']} stmts)",
            f"{order['median']:.3f} s",
            "",
            "",
            f"{order['verdict']} (< {order['target_seconds']:.0f} s; cpu {order['cpu_median']:.2f} s)",
        )
    )
    return rows
