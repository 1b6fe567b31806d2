"""Issue 6: ``schemactl diff`` vs migra and pg-delta; the platform files diff end to end.

(a) No-drift diff of the generated schema (``gen_schema.py``, 2,000 tables) between two
databases holding the same schema (B is a template copy of A), side by side, every tool a
whole subprocess timed end to end:

- ``schemactl diff --from A --to B`` (the CLI, as users run it; not the library in-process)
- ``migra --unsafe A B`` (PyPI migra, in its own venv: :mod:`peers`)
- ``pgdelta plan --source A --desired B`` (npm @supabase/pg-delta, run by node directly)

Wall time (median of the reps, tools taking turns), CPU time and peak memory (GNU time's
``%M``, the child's ``ru_maxrss``; see :func:`measure`), measured the same way for all three.
Each run's output is checked to say "no drift" (schemactl exit 0, migra prints nothing,
pg-delta plans 0 actions), so the tools are timed doing equivalent work. Targets: schemactl
at least 5x faster than migra, faster than pg-delta, and a lower peak memory than both. A peer
that cannot be installed or fails on the schema is reported as such, never skipped silently;
its targets read UNVERIFIED.

(b) ``schemactl diff sql --database-url P`` on a database P with ``sql/`` applied: the files
are ordered and applied to a shadow database on the same server (``--shadow-url``; on the
default bench server, the embedded PostgreSQL 18), both catalogs read and compared. Median
under 2 s.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from common import ROOT, SCHEMACTL, BenchServer, admin_connection, log, scratch_database, summary
from gen_schema import generate
from peers import Peer, ensure_migra, ensure_pgdelta
from psycopg.conninfo import conninfo_to_dict

from schemactl import api
from schemactl.testing.server import create_database, drop_database, unique_name

SPEEDUP_VS_MIGRA = 5.0  # migra median / schemactl median, at least
PLATFORM_TARGET_SECONDS = 2.0  # schemactl diff sql/ vs a database, median
UNVERIFIED = "UNVERIFIED"


def clean_env() -> dict[str, str]:
    """The caller's environment without what could redirect or reconfigure a run.

    PYTHONDONTWRITEBYTECODE goes too: with it every run compiles schemactl's sources
    again (0.2 s or more), which no installed schemactl does, while the peers' packages
    were compiled by pip. The untimed warm-up run writes the bytecode.
    """
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")
        and not k.startswith(("SCHEMACTL_", "PG"))
    }


@dataclass(frozen=True)
class Run:
    """One subprocess run: wall seconds, CPU seconds, peak RSS (KiB), exit code, output."""

    wall: float
    cpu: float
    maxrss_kib: int
    returncode: int
    stdout: str
    stderr: str
    rss_upper_bound: bool = False  # measured with wait4 from this process (see measure)


TIME_BIN = Path("/usr/bin/time")  # GNU time
RSS_METHOD = {False: "GNU time %M", True: "os.wait4 (upper bound: includes the bench's RSS)"}


def measure(command: list[str]) -> Run:
    """Run ``command`` to the end: wall time, and its CPU time and peak RSS.

    The child's rusage comes from GNU time (``/usr/bin/time -f``), which forks the
    command from its own small process. ``os.wait4`` on a child of this process would not
    do: a child spawned by a large process starts from that process's RSS (fork / vfork
    share or copy its pages until exec) and ``ru_maxrss`` keeps that high-water mark, so
    every tool would look at least as large as the benchmark itself. Without GNU time,
    ``wait4`` it is, and the figure is an upper bound (``Run.rss_upper_bound``).
    """
    with tempfile.TemporaryDirectory(prefix="schemactl-diff-run-") as tmp:
        usage_file = Path(tmp) / "usage"
        wrapped = command
        if TIME_BIN.exists():
            wrapped = [str(TIME_BIN), "-f", "%M %U %S", "-o", str(usage_file), *command]
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            started = time.perf_counter()
            proc = subprocess.Popen(wrapped, stdout=out, stderr=err, env=clean_env(), cwd=ROOT)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        maxrss, cpu, upper_bound = usage.ru_maxrss, usage.ru_utime + usage.ru_stime, True
        if usage_file.exists():
            # GNU time writes "Command exited with non-zero status N" first when N != 0
            fields = usage_file.read_text(encoding="utf-8").strip().splitlines()[-1].split()
            maxrss, cpu, upper_bound = int(fields[0]), float(fields[1]) + float(fields[2]), False
        return Run(
            wall=wall,
            cpu=cpu,
            maxrss_kib=maxrss,  # KiB on Linux, as GNU time's %M
            returncode=proc.returncode,
            stdout=stdout,
            stderr=stderr,
            rss_upper_bound=upper_bound,
        )


def peer_url(url: str) -> str:
    """``url`` as a URL every peer parses: a socket directory goes in ``?host=``.

    The embedded server listens on a Unix socket only; its URL has an empty host
    (``postgresql://postgres:@/db?host=/tmp/...``), which pg-delta rejects.
    """
    params = conninfo_to_dict(url)
    host = str(params.get("host") or "")
    if not host.startswith("/"):
        return url
    user = quote(str(params.get("user") or "postgres"), safe="")
    password = params.get("password")
    auth = user + (f":{quote(str(password), safe='')}" if password else "")
    port = f":{params['port']}" if params.get("port") else ""
    dbname = quote(str(params.get("dbname") or "postgres"), safe="")
    return f"postgresql://{auth}@localhost{port}/{dbname}?host={quote(host, safe='/')}"


# --- the tools: a command and a check that the run found no drift ----------------------


@dataclass(frozen=True)
class Tool:
    """A diff tool of the comparison."""

    name: str
    command: Callable[[str, str], list[str]]  # (from_url, to_url) -> argv
    no_drift: Callable[[Run], str | None]  # None when the run says "no drift", else why not
    version: str = ""
    error: str = ""  # set when the tool cannot run at all


def _tail(run: Run, n: int = 400) -> str:
    text = (run.stderr.strip() or run.stdout.strip()).replace("\n", " | ")
    return text[-n:]


def _schemactl_no_drift(run: Run) -> str | None:
    if run.returncode == 0 and "no drift" in run.stdout:
        return None
    return f"exit {run.returncode}: {_tail(run)}"


def _migra_no_drift(run: Run) -> str | None:
    # migra exits 0 and prints nothing when the schemas are equal (2 when they differ)
    if run.returncode == 0 and not run.stdout.strip():
        return None
    return f"exit {run.returncode}, {len(run.stdout)} bytes of SQL: {_tail(run)}"


_PGDELTA_ACTIONS = re.compile(r"^\s*actions:\s*(\d+)\s*$", re.MULTILINE)


def _pgdelta_no_drift(run: Run) -> str | None:
    found = _PGDELTA_ACTIONS.search(run.stderr + "\n" + run.stdout)
    if run.returncode == 0 and found is not None and found.group(1) == "0":
        return None
    actions = found.group(1) if found else "?"
    return f"exit {run.returncode}, {actions} actions planned: {_tail(run)}"


def tools() -> list[Tool]:
    """schemactl and the peers (installed on first use); a peer that is missing says why."""
    migra: Peer = ensure_migra()
    pgdelta: Peer = ensure_pgdelta()
    return [
        Tool(
            "schemactl",
            lambda a, b: [str(SCHEMACTL), "diff", "--from", a, "--to", b],
            _schemactl_no_drift,
        ),
        Tool(
            "migra",
            lambda a, b: [*migra.command, "--unsafe", peer_url(a), peer_url(b)],
            _migra_no_drift,
            migra.version,
            migra.error,
        ),
        Tool(
            "pg-delta",
            lambda a, b: [
                *pgdelta.command,
                "plan",
                "--source",
                peer_url(a),
                "--desired",
                peer_url(b),
            ],
            _pgdelta_no_drift,
            pgdelta.version,
            pgdelta.error,
        ),
    ]


def compare_tools(url_a: str, url_b: str, reps: int) -> dict[str, Any]:
    """Every tool once untimed (warm-up and first check), then ``reps`` timed turns each."""
    results: dict[str, Any] = {}
    runnable: list[Tool] = []
    for tool in tools():
        if tool.error:
            log(f"diff bench: {tool.name} NOT MEASURED: {tool.error}")
            results[tool.name] = {"status": "unavailable", "error": tool.error}
            continue
        warm = measure(tool.command(url_a, url_b))
        why = tool.no_drift(warm)
        if why is not None:
            if tool.name == "schemactl":
                raise RuntimeError(f"schemactl diff found drift between two copies: {why}")
            log(f"diff bench: {tool.name} NOT MEASURED, it failed on the schema: {why}")
            results[tool.name] = {"status": "failed", "error": why, "version": tool.version}
            continue
        runnable.append(tool)
        results[tool.name] = {"status": "ok", "version": tool.version, "runs": []}
    for rep in range(reps):
        turn = runnable[rep % len(runnable) :] + runnable[: rep % len(runnable)]
        for tool in turn:
            run = measure(tool.command(url_a, url_b))
            why = tool.no_drift(run)
            if why is not None:
                raise RuntimeError(f"{tool.name} changed its answer on rep {rep + 1}: {why}")
            results[tool.name]["runs"].append(run)
    for tool in runnable:
        runs: list[Run] = results[tool.name].pop("runs")
        results[tool.name].update(
            {
                "wall": summary([r.wall for r in runs]),
                "cpu_median": statistics.median(r.cpu for r in runs),
                "maxrss_mib": max(r.maxrss_kib for r in runs) / 1024,
                "maxrss_mib_samples": [round(r.maxrss_kib / 1024, 1) for r in runs],
                "maxrss_method": RSS_METHOD[any(r.rss_upper_bound for r in runs)],
            }
        )
        log(
            f"diff bench: {tool.name:<9} median {results[tool.name]['wall']['median']:.2f} s, "
            f"peak {results[tool.name]['maxrss_mib']:.0f} MiB"
        )
    return results


def verdicts(tools_results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target: the two figures, the ratio and PASS / FAIL / UNVERIFIED (with why)."""
    ours = tools_results["schemactl"]
    out: dict[str, dict[str, Any]] = {}
    targets = (
        ("time_vs_migra", "migra", "wall", SPEEDUP_VS_MIGRA),
        ("time_vs_pg-delta", "pg-delta", "wall", 1.0),
        ("memory_vs_migra", "migra", "maxrss_mib", 1.0),
        ("memory_vs_pg-delta", "pg-delta", "maxrss_mib", 1.0),
    )
    for name, peer, metric, factor in targets:
        theirs = tools_results.get(peer, {})
        if theirs.get("status") != "ok":
            out[name] = {"verdict": UNVERIFIED, "why": f"{peer} {theirs.get('status')}: "
                         f"{theirs.get('error', '')}"}  # fmt: skip
            continue
        mine = ours[metric]["median"] if metric == "wall" else ours[metric]
        other = theirs[metric]["median"] if metric == "wall" else theirs[metric]
        ratio = other / mine  # how many times schemactl is faster / smaller
        # faster / smaller: strictly; 5x: at least
        passed = ratio >= factor if factor > 1 else ratio > factor
        out[name] = {
            "schemactl": mine,
            peer: other,
            "peer_over_schemactl": ratio,
            "target": factor,
            "verdict": "PASS" if passed else "FAIL",
        }
    return out


# --- setup -------------------------------------------------------------------------------


def load_generated(server: BenchServer, sql_dir: Path, name_a: str, name_b: str) -> None:
    """Database A with the generated schema applied by schemactl; B a template copy of A."""
    with admin_connection(server.admin_url) as admin:
        create_database(admin, name_a)
    api.apply(sql_dir, database_url=server.url_for(name_a), project_dir=ROOT)
    with admin_connection(server.admin_url) as admin:
        create_database(admin, name_b, template=name_a)


def drop(server: BenchServer, *names: str) -> None:
    """Drop the databases ``names`` (those that exist)."""
    with admin_connection(server.admin_url) as admin:
        for name in names:
            drop_database(admin, name)


def time_platform(server: BenchServer, reps: int) -> dict[str, Any]:
    """``schemactl diff sql --database-url P --shadow-url <server>`` on P with sql/ applied."""
    with scratch_database(server, "bench_diff_sql") as url:
        applied = measure([str(SCHEMACTL), "apply", str(ROOT / "sql"), "--database-url", url])
        if applied.returncode != 0:
            raise RuntimeError(f"schemactl apply sql/ failed: {_tail(applied)}")
        command = [str(SCHEMACTL), "diff", str(ROOT / "sql"), "--database-url", url,
                   "--shadow-url", server.admin_url]  # fmt: skip
        measure(command)  # warm-up: the first shadow database on a fresh server
        runs = []
        for _ in range(reps):
            run = measure(command)
            why = _schemactl_no_drift(run)
            if why is not None:
                raise RuntimeError(f"schemactl diff sql/ after apply found drift: {why}")
            runs.append(run)
    return {
        **summary([r.wall for r in runs]),
        "cpu_median": statistics.median(r.cpu for r in runs),
        "maxrss_mib": max(r.maxrss_kib for r in runs) / 1024,
        "maxrss_method": RSS_METHOD[any(r.rss_upper_bound for r in runs)],
        "target_seconds": PLATFORM_TARGET_SECONDS,
        "verdict": "PASS" if statistics.median(r.wall for r in runs) < PLATFORM_TARGET_SECONDS
        else "FAIL",
    }  # fmt: skip


# --- where the time goes -----------------------------------------------------------------

PHASES = {
    "read both catalogs (read_models)": ("diff/__init__.py", "read_models"),
    "  introspect (per database)": ("introspect.py", "introspect"),
    "  server round trips (wait)": ("connection.py", "wait"),
    "compare + render (diff_catalogs)": ("diff.py", "diff_catalogs"),
}


def profile_diff(url_a: str, url_b: str, top: int = 25) -> dict[str, Any]:
    """cProfile of ``schemactl.diff.diff_databases`` in-process: phases and top entries."""
    from schemactl.diff import diff_databases

    diff_databases(url_a, url_b)  # warm: imports and the server's caches
    profiler = cProfile.Profile()
    profiler.enable()
    result = diff_databases(url_a, url_b)
    profiler.disable()
    assert not result.has_drift
    raw: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    phases: dict[str, float] = {}
    for label, (filename, func) in PHASES.items():
        found = [
            (nc, ct)
            for (path, _line, name), (_cc, nc, _tt, ct, _callers) in raw.items()
            if name == func and path.endswith(filename)
        ]
        if found:
            phases[label] = max(ct for _nc, ct in found)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    own = io.StringIO()
    pstats.Stats(profiler, stream=own).sort_stats("tottime").print_stats(15)
    total = max(ct for (_cc, _nc, _tt, ct, _callers) in raw.values())
    return {
        "total_seconds": total,
        "phases_seconds": phases,
        "top_cumulative": _trim(text.getvalue()),
        "top_tottime": _trim(own.getvalue()),
    }


def query_times(url: str, reps: int = 3) -> dict[str, float]:
    """Best-of-``reps`` milliseconds of each introspection query on ``url`` (client-side)."""
    from schemactl.db.introspect import KINDS, list_schemas, managed_schemas
    from schemactl.db.resources import query

    out: dict[str, float] = {}
    with admin_connection(url) as conn:
        managed = list(managed_schemas(list_schemas(conn)))
        conn.execute("SET search_path = pg_catalog")
        for kind in KINDS:
            text = query(f"introspect_{kind}")
            params = {"schemas": managed} if "%(schemas)s" in text else None
            best = float("inf")
            for _ in range(reps):
                started = time.perf_counter()
                conn.execute(text, params, prepare=False).fetchall()
                best = min(best, time.perf_counter() - started)
            out[kind] = round(best * 1000, 1)
    return out


def _trim(report: str) -> list[str]:
    lines = [line.rstrip() for line in report.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return [line.replace(str(ROOT) + "/", "") for line in lines[start:]]


def run(
    server: BenchServer, *, reps: int = 5, tables: int = 2000, profile: bool = False
) -> dict[str, Any]:
    """The whole diff benchmark; a JSON-friendly dict with figures and verdicts."""
    results: dict[str, Any] = {"reps": reps, "generated_tables": tables}
    name_a, name_b = unique_name("bench_diff_a"), unique_name("bench_diff_b")
    with tempfile.TemporaryDirectory(prefix="schemactl-diff-bench-") as tmp_name:
        generated = Path(tmp_name) / "generated"
        results["generated_statements"] = generate(generated, tables)
        try:
            log(f"diff bench: loading {tables} generated tables into two databases")
            load_generated(server, generated, name_a, name_b)
            url_a, url_b = server.url_for(name_a), server.url_for(name_b)
            log(f"diff bench: no-drift diff, {reps} reps x schemactl, migra, pg-delta")
            compared = compare_tools(url_a, url_b, reps)
            results["generated"] = {"tools": compared, "targets": verdicts(compared)}
            results["generated"]["introspection_query_ms"] = query_times(url_a)
            failed = any(t["verdict"] == "FAIL" for t in results["generated"]["targets"].values())
            if profile or failed:
                log("diff bench: cProfile of schemactl.diff.diff_databases (in-process)")
                results["generated"]["profile"] = profile_diff(url_a, url_b)
        finally:
            drop(server, name_b, name_a)

    log(f"diff bench: schemactl diff sql/ vs a database with sql/ applied, {reps} reps")
    results["platform"] = time_platform(server, reps)
    return results


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows (what, schemactl, baseline, ratio, verdict) of the printed table."""
    n = results["generated_tables"]
    gen = results["generated"]
    tools_results = gen["tools"]
    ours = tools_results["schemactl"]
    rows = [
        (
            f"diff {n} tables, no drift: schemactl CLI",
            f"{ours['wall']['median']:.3f} s",
            "",
            "",
            f"peak {ours['maxrss_mib']:.0f} MiB, cpu {ours['cpu_median']:.2f} s",
        )
    ]
    for peer in ("migra", "pg-delta"):
        theirs = tools_results.get(peer, {})
        time_target = gen["targets"][f"time_vs_{peer}"]
        memory_target = gen["targets"][f"memory_vs_{peer}"]
        if theirs.get("status") != "ok":
            reason = f"{peer} NOT MEASURED ({theirs.get('status')}): {theirs.get('error', '')}"
            rows.append((f"diff {n} tables vs {peer}", "", "", "", f"{UNVERIFIED}: {reason}"))
            continue
        need = f">= {SPEEDUP_VS_MIGRA:.0f}x" if peer == "migra" else "> 1x"
        rows.append(
            (
                f"diff {n} tables vs {peer} {theirs['version']} (time)",
                f"{ours['wall']['median']:.3f} s",
                f"{theirs['wall']['median']:.3f} s",
                f"{time_target['peer_over_schemactl']:.2f}x faster",
                f"{time_target['verdict']} ({need})",
            )
        )
        rows.append(
            (
                f"diff {n} tables vs {peer} (peak memory)",
                f"{ours['maxrss_mib']:.0f} MiB",
                f"{theirs['maxrss_mib']:.0f} MiB",
                f"{memory_target['peer_over_schemactl']:.2f}x smaller",
                f"{memory_target['verdict']} (lower)",
            )
        )
    platform = results["platform"]
    rows.append(
        (
            "diff sql/ files vs database (shadow apply)",
            f"{platform['median']:.3f} s",
            "",
            "",
            f"{platform['verdict']} (< {platform['target_seconds']:.0f} s; "
            f"peak {platform['maxrss_mib']:.0f} MiB)",
        )
    )
    return rows
