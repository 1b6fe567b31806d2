"""Refresh materialized views now, single-flight, logged; read the log back.

Every refresh goes through ``schemactl.refresh_matview(view, fresh_since)`` (created on
demand from ``db/sql/refresh.sql``, like apply's ledger): ``refresh run``, the worker and
pg_cron jobs share its lock and its log.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from schemactl.db import resources
from schemactl.db.connect import database_error
from schemactl.errors import ConfigError, DatabaseError

__all__ = [
    "REFRESH_LOCK_KEY",
    "RefreshResult",
    "ViewStatus",
    "ensure_setup",
    "log_failure",
    "managed_views",
    "refresh_view",
    "resolve_views",
    "view_status",
]

# First key of the two-int advisory lock taken per view, the second being the view's oid
# as int4: pg_try_advisory_xact_lock(1548630729, 'v'::regclass::oid::int4). Its own key
# space: apply's lock is the one-bigint form, which never collides with the two-int form.
REFRESH_LOCK_KEY = 0x5C4E_3AC9
# Serialises the creation of the log table and the function by concurrent first runs.
_SETUP_LOCK_KEY = 0x5C4E_3ACA
# The function's comment: a different one (an older schemactl) makes setup run again.
_SETUP_MARK = "schemactl refresh 2"


@dataclass(frozen=True)
class RefreshResult:
    """One refresh attempt of one view."""

    view: str  # schema-qualified, quoted as needed
    outcome: str  # refreshed | skipped | failed
    method: str  # concurrently | plain | none
    started_at: datetime
    duration: float  # seconds
    rows: int | None = None
    reason: str | None = None  # why skipped, or the error

    def describe(self) -> str:
        """One line for the user: what happened to the view."""
        if self.outcome == "refreshed":
            return (
                f"{self.view}: refreshed {self.method} in {self.duration:.3f}s, {self.rows} rows"
            )
        return f"{self.view}: {self.outcome}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "view": self.view,
            "outcome": self.outcome,
            "method": self.method,
            "started_at": self.started_at.isoformat(),
            "duration_s": round(self.duration, 6),
            "rows": self.rows,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ViewStatus:
    """The last refresh of one view and how stale it is."""

    view: str
    last_refresh: datetime | None
    duration: float | None
    rows: int | None
    method: str | None
    staleness: float | None  # seconds since the last refresh finished
    failed_since: int  # failed attempts after the last refresh
    every: str | None  # its schedule in the config

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "view": self.view,
            "last_refresh": self.last_refresh.isoformat() if self.last_refresh else None,
            "duration_s": None if self.duration is None else round(self.duration, 6),
            "rows": self.rows,
            "method": self.method,
            "staleness_s": None if self.staleness is None else round(self.staleness, 3),
            "failed_since_last_refresh": self.failed_since,
            "every": self.every,
        }


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _setup_current(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute(
        "SELECT obj_description("
        "to_regprocedure('schemactl.refresh_matview(regclass, timestamptz)'), 'pg_proc')"
    ).fetchone()
    return row is not None and row[0] == _SETUP_MARK


def ensure_setup(conn: psycopg.Connection[Any]) -> None:
    """Create schema ``schemactl``, its ``refresh_log`` and ``refresh_matview()`` if missing.

    Runs in a transaction of its own on ``conn`` (committed), under an advisory lock so
    that concurrent first runs create them once.
    """
    try:
        if _setup_current(conn):
            conn.rollback()
            return
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK_KEY,))
        if not _setup_current(conn):
            conn.execute(resources.script("refresh"))
        conn.commit()
    except psycopg.Error as exc:
        conn.rollback()
        error = database_error(exc)
        raise DatabaseError(
            f"creating schemactl.refresh_log failed: {error.message}",
            hint=error.hint or "the role needs CREATE on the database (schema schemactl), "
            "or run once as a role that has it",
            sqlstate=error.sqlstate,
        ) from None


def managed_views(conn: psycopg.Connection[Any]) -> list[str]:
    """Every materialized view outside system, schemactl and extension schemas."""
    rows = conn.execute(resources.query("refresh_matviews")).fetchall()
    conn.rollback()
    return [row[1] for row in rows]


def resolve_views(conn: psycopg.Connection[Any], names: list[str]) -> list[str]:
    """Names as given (``v``, ``public.v``) -> qualified names; ConfigError for unknown ones.

    An unqualified name is looked up on the search_path, as ``to_regclass`` does.
    """
    resolved: list[str] = []
    for name in names:
        try:
            row = conn.execute(
                "SELECT format('%%I.%%I', n.nspname, c.relname), c.relkind FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)",
                (name,),
            ).fetchone()
        except psycopg.Error as exc:  # a name that does not parse ("a.b.c.d")
            conn.rollback()
            raise ConfigError(
                f"{name!r} is not a view name: {database_error(exc).message}",
                hint="name a materialized view as view or schema.view",
            ) from None
        conn.rollback()
        if row is None or row[1] != "m":
            known = managed_views(conn)
            what = "no materialized view" if row is None else "not a materialized view:"
            raise ConfigError(
                f"{what} {name!r}",
                hint=f"materialized views here: {', '.join(known)}" if known else
                "this database has no materialized view",
            )
        if row[0] not in resolved:
            resolved.append(row[0])
    return resolved


def refresh_view(
    conn: psycopg.Connection[Any], view: str, *, fresh_since: datetime | None = None
) -> RefreshResult:
    """Refresh ``view`` (qualified) in a transaction of its own; skipped when another holds it.

    Raises :class:`~schemactl.errors.DatabaseError` when the refresh fails (the transaction
    is rolled back; :func:`log_failure` records it).
    """
    try:
        row = conn.execute(
            "SELECT outcome, method, started_at, duration, rows, reason"
            " FROM schemactl.refresh_matview(%s::regclass, %s)",
            (view, fresh_since),
        ).fetchone()
        conn.commit()
    except psycopg.Error as exc:
        with contextlib.suppress(psycopg.Error):
            conn.rollback()
        if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
            raise  # the connection is gone: the caller reconnects
        error = database_error(exc)
        raise DatabaseError(
            f"refresh of {view} failed: {error.message}",
            hint=error.hint,
            sqlstate=error.sqlstate,
            detail=error.detail,
        ) from None
    assert row is not None
    outcome, method, started_at, duration, rows, reason = row
    return RefreshResult(view, outcome, method, started_at, duration.total_seconds(), rows, reason)


def log_failure(conn: psycopg.Connection[Any], view: str, started_at: datetime, error: str) -> None:
    """Record a failed refresh in ``schemactl.refresh_log`` (its own transaction)."""
    conn.execute(
        "INSERT INTO schemactl.refresh_log (view_name, started_at, duration, method, outcome,"
        " reason) VALUES (%s, %s, clock_timestamp() - %s, 'none', 'failed', %s)",
        (view, started_at, started_at, error),
    )
    conn.commit()


def view_status(
    conn: psycopg.Connection[Any], views: list[str], schedules: dict[str, str]
) -> list[ViewStatus]:
    """The last refresh of each of ``views`` (qualified); ``schedules``: view -> every."""
    has_log = conn.execute("SELECT to_regclass('schemactl.refresh_log') IS NOT NULL").fetchone()
    rows: list[tuple[Any, ...]]
    if has_log is not None and has_log[0]:
        rows = conn.execute(resources.query("refresh_status"), {"views": views}).fetchall()
    else:
        rows = [(view, None, None, None, None, None, 0) for view in sorted(views)]
    conn.rollback()
    return [
        ViewStatus(
            view=name,
            last_refresh=started,
            duration=_seconds(duration),
            rows=count,
            method=method,
            staleness=_seconds(staleness),
            failed_since=failed,
            every=schedules.get(name),
        )
        for name, started, duration, count, method, staleness, failed in rows
    ]
