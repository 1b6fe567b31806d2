"""Issue 7: ``schemactl partitions ensure`` with nothing to do, against process start-up.

One fresh database with ``sql/`` applied and ``agent_telemetry`` configured (month, premake
3); one ``ensure`` makes the partitions, then every timed run has nothing to do. Each round
runs, as separate processes, ``schemactl --version`` (the start-up baseline: Python, Click,
every command module) and ``schemactl partitions ensure``; the figure is the difference of
the medians (goal: under 0.2 s). The library call ``schemactl.partitions.ensure()`` in
this process is timed too (connect + one catalog query).

Second figure: the ATTACH of a new partition with ``default_rows`` rows in the DEFAULT
partition, without and with the validated horizon CHECK that ensure keeps on it (the issue
measured 63 ms per partition at 2M rows without it).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, SCHEMACTL, BenchServer, admin_connection, log, scratch_database, verdict

from schemactl import api, partitions
from schemactl.partitions.periods import add_months, period_start

TARGET_SECONDS = 0.2


def _project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(
        '[tool.schemactl.partitions.agent_telemetry]\ninterval = "month"\npremake = 3\n'
    )
    return root


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system) of one process run.

    CPU time is reported beside wall time: on a shared, loaded machine the wall time of a
    short process is mostly waiting for a core, the CPU time is what the process costs.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0 or (args[-1] == "ensure" and done.stdout.strip()):
        raise SystemExit(f"{' '.join(args)}: exit {done.returncode}: {done.stdout}{done.stderr}")
    return wall, cpu


def _load_default(url: str, rows: int) -> None:
    """``rows`` telemetry rows in past months (so in the DEFAULT partition), one agent."""
    with admin_connection(url) as conn:
        conn.execute(
            "WITH c AS (INSERT INTO companies (name, slug) VALUES ('bench', 'bench') RETURNING id),"
            " p AS (INSERT INTO projects (company_id, name, slug) SELECT id, 'p', 'p' FROM c"
            "       RETURNING id)"
            " INSERT INTO agents (project_id, name, api_key_hash) SELECT id, 'a', 'x' FROM p"
        )
        conn.execute(
            "INSERT INTO agent_telemetry (agent_id, project_id, timestamp, metrics)"
            " SELECT a.id, a.project_id, timestamptz '2025-03-01 00:00:00+00'"
            "        + make_interval(secs => g * 7), '{}'"
            " FROM agents a, generate_series(1, %s) g",
            (rows,),
        )
        conn.execute("VACUUM ANALYZE agent_telemetry_default")


def _attach_seconds(url: str, first_offset: int, runs: int) -> list[float]:
    """Seconds of schemactl.ensure_partition for months ahead (each made, timed, dropped)."""
    samples = []
    month = period_start(dt.datetime.now(dt.UTC).date(), "month")
    with admin_connection(url) as conn:
        for i in range(runs):
            start = add_months(month, first_offset + i)
            name = "agent_telemetry_bench_" + start.strftime("%Y_%m")
            began = time.perf_counter()
            conn.execute(
                "SELECT schemactl.ensure_partition('public.agent_telemetry', %s, %s, %s,"
                " '5s', '60s')",
                (name, start, add_months(start, 1)),
            )
            samples.append(time.perf_counter() - began)
            conn.execute(f"DROP TABLE public.{name}")
    return samples


def run(server: BenchServer, *, runs: int = 15, default_rows: int = 2_000_000) -> dict[str, Any]:
    """Start-up vs nothing-to-do ensure (processes), library call, ATTACH with/without guard."""
    result: dict[str, Any] = {"runs": runs, "default_rows": default_rows}
    with scratch_database(server, "bench_part") as url, tempfile.TemporaryDirectory() as tmp:
        project = _project(Path(tmp))
        log(f"partitions: applying sql/ and loading {default_rows:,} rows into the default")
        api.apply(ROOT / "sql", database_url=url)
        _load_default(url, default_rows)
        env = {**os.environ, "DATABASE_URL": url, "SCHEMACTL_PROJECT_DIR": str(project)}
        env.pop("SCHEMACTL_DATABASE_URL", None)

        # the ATTACH scan of an unguarded default, then ensure (which adds the guard)
        partitions.ensure(database_url=url, project_dir=project, ahead=0)  # installs, guards
        with admin_connection(url) as conn:
            conn.execute(
                "ALTER TABLE agent_telemetry_default DROP CONSTRAINT schemactl_partitions_horizon"
            )
        unguarded = _attach_seconds(url, 6, max(3, runs // 3))
        created = partitions.ensure(database_url=url, project_dir=project)
        log(f"partitions: ensure made {len(created.created)}, guarded {created.guarded}")
        guarded = _attach_seconds(url, 6, max(3, runs // 3))

        commands = {
            "startup": [str(SCHEMACTL), "--version"],
            "psycopg": [sys.executable, "-c", "import psycopg"],
            "ensure": [str(SCHEMACTL), "partitions", "ensure"],
        }
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        library: list[float] = []
        for _ in range(runs):  # interleaved, so load drift hits every command alike
            for name, args in commands.items():
                seconds, cpu_seconds = _run(args, env)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
            began = time.perf_counter()
            nothing = partitions.ensure(database_url=url, project_dir=project)
            library.append(time.perf_counter() - began)
            assert nothing == partitions.EnsureResult()
    median = statistics.median
    result.update(
        wall={name: median(v) for name, v in wall.items()},
        cpu={name: median(v) for name, v in cpu.items()},
        beyond_startup_wall=median(wall["ensure"]) - median(wall["startup"]),
        beyond_startup_cpu=median(cpu["ensure"]) - median(cpu["startup"]),
        library_median=median(library),
        attach_unguarded_median=median(unguarded),
        attach_guarded_median=median(guarded),
        samples={"wall": wall, "cpu": cpu, "library": library,
                 "attach_unguarded": unguarded, "attach_guarded": guarded},
        loadavg=os.getloadavg(),
    )  # fmt: skip
    return result


def table_rows(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows of the bench table: (benchmark, measured, baseline, ratio, target).

    The verdict is on CPU time beyond start-up (robust to a loaded machine); wall time is
    in the results file and in the second row.
    """
    cpu, wall = result["cpu"], result["wall"]
    beyond = result["beyond_startup_cpu"]
    rows_label = f"{result['default_rows']:,}"
    return [
        (
            "partitions ensure, nothing to do (CPU)",
            f"{cpu['ensure']:.3f} s",
            f"{cpu['startup']:.3f} s start-up",
            f"+{beyond:.3f} s (import psycopg {cpu['psycopg']:.3f} s)",
            f"{verdict(beyond, TARGET_SECONDS)} (< +{TARGET_SECONDS} s)",
        ),
        (
            "partitions ensure, nothing to do (wall)",
            f"{wall['ensure']:.3f} s",
            f"{wall['startup']:.3f} s start-up",
            f"+{result['beyond_startup_wall']:.3f} s",
            "-",
        ),
        (
            "partitions ensure(), library, in process",
            f"{result['library_median'] * 1000:.1f} ms",
            "-",
            "-",
            "-",
        ),
        (
            f"ATTACH, {rows_label} rows in default",
            f"{result['attach_guarded_median'] * 1000:.1f} ms guarded",
            f"{result['attach_unguarded_median'] * 1000:.1f} ms unguarded",
            f"{result['attach_guarded_median'] / result['attach_unguarded_median']:.2f}x",
            "-",
        ),
    ]
