"""pg_cron jobs for refreshes: find pg_cron, register and remove one job per view.

pg_cron keeps its jobs in the database named by ``cron.database_name`` (``postgres`` by
default); a job for another database is registered there with
``cron.schedule_in_database`` (pg_cron >= 1.4). The job runs
``SELECT * FROM schemactl.refresh_matview('<view>')`` in the target database, so it takes
the same single-flight lock and writes the same log as ``schemactl refresh run``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from schemactl.db.connect import connect, database_error
from schemactl.errors import DatabaseError

__all__ = ["CronInfo", "command_for", "cron_connection", "cron_info", "job_name"]

_NAME_BYTES = 63  # cron.job.jobname is a `name`


@dataclass(frozen=True)
class CronInfo:
    """Where pg_cron keeps its jobs on this server, and which version is installed there."""

    database: str | None  # cron.database_name; None when pg_cron is not loaded
    version: tuple[int, int] | None  # installed extension version; None when not created
    version_text: str | None
    target: str  # the target database's name

    @property
    def installed(self) -> bool:
        """pg_cron is loaded and its extension exists in its database."""
        return self.version is not None

    def describe(self) -> str:
        """What a refusal says about pg_cron here."""
        if self.database is None:
            return "pg_cron is not loaded on this server (shared_preload_libraries)"
        if self.version is None:
            return f"pg_cron is loaded but not created in database {self.database!r}"
        return f"pg_cron {self.version_text} (jobs in database {self.database!r})"


def _version(text: str) -> tuple[int, int]:
    match = re.match(r"(\d+)\.(\d+)", text)
    return (int(match[1]), int(match[2])) if match else (0, 0)


@contextmanager
def cron_connection(
    conn: psycopg.Connection[Any], url: str, info: CronInfo
) -> Iterator[psycopg.Connection[Any]]:
    """A session on pg_cron's database: ``conn`` itself when that is the target."""
    if info.database is None or info.database == info.target:
        yield conn
        return
    with connect(
        make_conninfo(url, dbname=info.database),
        application_name="schemactl refresh (pg_cron)",
    ) as other:
        yield other


def cron_info(conn: psycopg.Connection[Any], url: str) -> CronInfo:
    """pg_cron's database and version as seen from ``conn`` (a session on ``url``)."""
    row = conn.execute(
        "SELECT current_setting('cron.database_name', true), current_database()"
    ).fetchone()
    conn.rollback()
    assert row is not None
    database, target = (row[0] or None), row[1]
    info = CronInfo(database, None, None, target)
    if database is None:
        return info
    try:
        with cron_connection(conn, url, info) as cron:
            found = cron.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'"
            ).fetchone()
            cron.rollback()
    except DatabaseError as exc:
        raise DatabaseError(
            f"pg_cron keeps its jobs in database {database!r}, which this role cannot "
            f"reach: {exc.message}",
            hint="connect as a role that may connect to it, or use `schemactl refresh worker`",
        ) from None
    if found is None:
        return info
    return CronInfo(database, _version(found[0]), found[0], target)


def job_name(database: str, view: str) -> str:
    """``schemactl refresh <db>.<view>``, cut to 63 bytes with a hash when longer."""
    full = f"schemactl refresh {database}.{view}"
    data = full.encode()
    if len(data) <= _NAME_BYTES:
        return full
    digest = hashlib.sha1(data).hexdigest()[:8]
    head = data[: _NAME_BYTES - 9].decode(errors="ignore")
    return f"{head}~{digest}"


def command_for(conn: psycopg.Connection[Any], view: str) -> str:
    """The SQL a job runs to refresh ``view`` (qualified) through schemactl's function."""
    return sql.SQL("SELECT * FROM schemactl.refresh_matview({})").format(
        sql.Literal(view)
    ).as_string(conn)


def register(
    conn: psycopg.Connection[Any], url: str, info: CronInfo, view: str, schedule: str
) -> int:
    """Create or replace the job of ``view``; its jobid."""
    name = job_name(info.target, view)
    command = command_for(conn, view)
    try:
        with cron_connection(conn, url, info) as cron:
            _delete_jobs(cron, name)
            if info.database == info.target:
                row = cron.execute(
                    "SELECT cron.schedule(%s, %s, %s)", (name, schedule, command)
                ).fetchone()
            else:
                row = cron.execute(
                    "SELECT cron.schedule_in_database(%s, %s, %s, %s)",
                    (name, schedule, command, info.target),
                ).fetchone()
            cron.commit()
    except psycopg.Error as exc:
        raise _cron_error(exc, f"registering the pg_cron job of {view}") from None
    assert row is not None
    return int(row[0])


def unregister(conn: psycopg.Connection[Any], url: str, info: CronInfo, view: str) -> int:
    """Remove the job(s) of ``view``; how many there were."""
    name = job_name(info.target, view)
    try:
        with cron_connection(conn, url, info) as cron:
            count = _delete_jobs(cron, name)
            cron.commit()
    except psycopg.Error as exc:
        raise _cron_error(exc, f"removing the pg_cron job of {view}") from None
    return count


def jobs(conn: psycopg.Connection[Any], url: str, info: CronInfo) -> dict[str, str]:
    """Job name -> schedule of this database's schemactl refresh jobs (this role's)."""
    prefix = job_name(info.target, "")
    try:
        with cron_connection(conn, url, info) as cron:
            rows = cron.execute(
                "SELECT jobname, schedule FROM cron.job WHERE username = current_user"
                " AND database = %s AND starts_with(jobname, %s)",
                (info.target, prefix),
            ).fetchall()
            cron.rollback()
    except psycopg.Error as exc:
        raise _cron_error(exc, "reading pg_cron's jobs") from None
    return {row[0]: row[1] for row in rows}


def _delete_jobs(cron: psycopg.Connection[Any], name: str) -> int:
    rows = cron.execute(
        "SELECT cron.unschedule(jobid) FROM cron.job"
        " WHERE jobname = %s AND username = current_user",
        (name,),
    ).fetchall()
    return len(rows)


def _cron_error(exc: psycopg.Error, doing: str) -> DatabaseError:
    error = database_error(exc)
    return DatabaseError(
        f"{doing} failed: {error.message}",
        hint=error.hint or "the role needs USAGE on schema cron (pg_cron's database)",
        sqlstate=error.sqlstate,
        detail=error.detail,
    )
