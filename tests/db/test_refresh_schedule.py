"""`schemactl refresh schedule / unschedule` against the server's real pg_cron, or its absence.

CI's PostgreSQL 15 preloads Debian's pg_cron 1.4 (jobs in database ``postgres``): there a
minute schedule becomes a real job, made with ``cron.schedule_in_database`` for the test's
database, and a sub-minute one is refused. The embedded PostgreSQL 18 has no pg_cron: every
schedule is refused there. Each test removes the jobs of its database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from schemactl import api
from schemactl.cli import main
from schemactl.refresh.cron import job_name
from schemactl.testing.server import TestServer

pytestmark = pytest.mark.db

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@dataclass(frozen=True)
class Cron:
    """pg_cron on the test server: its database and version (None: not loaded)."""

    database: str | None
    version: tuple[int, int] | None
    url: str | None  # admin URL of its database


@pytest.fixture(scope="module")
def cron(schemactl_server: TestServer) -> Cron:
    with psycopg.connect(schemactl_server.admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT current_setting('cron.database_name', true)").fetchone()
    database = row[0] if row and row[0] else None
    if database is None:
        return Cron(None, None, None)
    url = schemactl_server.url_for(database)
    with psycopg.connect(url, autocommit=True) as conn:
        # other tests may create it at the same moment; it stays (shared by the server)
        with contextlib.suppress(psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject):
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_cron")
        found = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'"
        ).fetchone()
    assert found is not None
    major, minor = found[0].split("-")[0].split(".")[:2]
    return Cron(database, (int(major), int(minor)), url)


def dbname(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_database()").fetchone()
    assert row is not None
    return str(row[0])


def jobs_of(cron: Cron, database: str) -> list[tuple[Any, ...]]:
    """(jobname, schedule, command) of the jobs for ``database``."""
    if cron.url is None:
        return []
    with psycopg.connect(cron.url) as conn:
        return conn.execute(
            "SELECT jobname, schedule, command FROM cron.job WHERE database = %s ORDER BY jobid",
            (database,),
        ).fetchall()


def remove_jobs(cron: Cron, url: str) -> None:
    if cron.url is not None:
        with psycopg.connect(cron.url, autocommit=True) as conn:
            conn.execute(
                "SELECT cron.unschedule(jobid) FROM cron.job WHERE database = %s", (dbname(url),)
            )


@pytest.fixture
def target(schemactl_db_url: str, cron: Cron) -> Iterator[str]:
    """The platform schema's database; its pg_cron jobs are removed after the test."""
    yield schemactl_db_url
    remove_jobs(cron, schemactl_db_url)


@pytest.fixture
def applied(schemactl_empty_db: str, cron: Cron) -> Iterator[str]:
    """sql/ applied by `schemactl apply` as the connecting role; jobs removed after."""
    api.apply(SQL_DIR, database_url=schemactl_empty_db)
    yield schemactl_empty_db
    remove_jobs(cron, schemactl_empty_db)


def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["refresh", *args])
    return result.exit_code, result.output


def test_sub_minute_is_refused_unless_pg_cron_has_seconds(
    target: str, cron: Cron, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("schedule", "project_realtime_stats", "--every", "10s", "--database-url", target)
    code, output = invoke(tmp_path, monkeypatch, *args)
    if cron.version is not None and cron.version >= (1, 5):
        assert code == 0, output
        assert [job[1] for job in jobs_of(cron, dbname(target))] == ["10 seconds"]
        return
    assert code == 3, output
    assert "cannot schedule public.project_realtime_stats every 10s" in output
    assert "nothing was registered" in output
    assert "schemactl refresh worker" in output  # the way out
    if cron.version is None:
        assert "pg_cron is not loaded" in output
    else:
        assert f"pg_cron {cron.version[0]}.{cron.version[1]} has no seconds schedules" in output
    assert jobs_of(cron, dbname(target)) == []
    # a 6-field line, which pg_cron 1.4 would read as minutes, is an input error everywhere
    code, output = invoke(
        tmp_path, monkeypatch, "schedule", "project_realtime_stats", "--every",
        "*/10 * * * * *", "--database-url", target,
    )
    assert code == 2
    assert "6 fields" in output


def test_a_minute_schedule_is_a_real_pg_cron_job_or_refused_without_pg_cron(
    target: str, cron: Cron, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemactl.toml").write_text('[refresh.project_realtime_stats]\nevery = "1m"\n')
    code, output = invoke(
        tmp_path, monkeypatch, "schedule", "project_realtime_stats", "--database-url", target
    )
    if cron.version is None:
        assert code == 3, output
        assert "pg_cron is not loaded on this server" in output
        return
    assert code == 0, output
    database = dbname(target)
    [(name, schedule, command)] = jobs_of(cron, database)
    assert schedule == "* * * * *"
    # a `name` holds 63 bytes: a longer name is cut and ends with a hash of the whole
    full = f"schemactl refresh {database}.public.project_realtime_stats"
    assert name == job_name(database, "public.project_realtime_stats")
    assert len(name.encode()) <= 63 and full.startswith(name[:-9]) and name[-9] == "~"
    # the job's command refreshes through schemactl: run it as pg_cron would, in the target
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute(command)
        logged = conn.execute(
            "SELECT outcome, method FROM schemactl.refresh_log"
            " WHERE view_name = 'public.project_realtime_stats'"
        ).fetchall()
    assert logged == [("refreshed", "concurrently")]
    # scheduling again replaces the job
    code, output = invoke(
        tmp_path, monkeypatch, "schedule", "project_realtime_stats", "--every", "5m",
        "--database-url", target,
    )
    assert code == 0, output
    assert [job[1] for job in jobs_of(cron, database)] == ["*/5 * * * *"]
    # an interval cron cannot keep evenly is an input error, and changes nothing
    code, output = invoke(
        tmp_path, monkeypatch, "schedule", "project_realtime_stats", "--every", "7m",
        "--database-url", target,
    )
    assert code == 2, output
    assert [job[1] for job in jobs_of(cron, database)] == ["*/5 * * * *"]
    code, output = invoke(
        tmp_path, monkeypatch, "unschedule", "project_realtime_stats", "--database-url", target
    )
    assert (code, output) == (0, "project_realtime_stats: 1 pg_cron job removed\n")
    assert jobs_of(cron, database) == []


def test_refresh_jobs_and_log_are_not_drift(
    applied: str, cron: Cron, schemactl_server: TestServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The log, the function (schema schemactl) and pg_cron's jobs are not the user's schema."""
    target = applied
    code, output = invoke(tmp_path, monkeypatch, "run", "--database-url", target)
    assert code == 0, output
    if cron.version is not None:
        code, output = invoke(
            tmp_path, monkeypatch, "schedule", "project_realtime_stats", "--every", "1h",
            "--database-url", target,
        )
        assert code == 0, output
        assert len(jobs_of(cron, dbname(target))) == 1
    result = CliRunner().invoke(
        main,
        ["diff", str(SQL_DIR), "--database-url", target, "--shadow-url", schemactl_server.admin_url],
    )
    assert (result.exit_code, result.output) == (0, "no drift: the schemas are equal\n")
