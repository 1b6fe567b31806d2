"""schemactl.refresh: refresh materialized views now, on a pg_cron schedule, or from a worker.

The library twin of ``schemactl refresh``: :func:`run`, :func:`schedule`,
:func:`unschedule`, :func:`worker`, :func:`status`. Schedules live in the config
(``[tool.schemactl.refresh.<view>] every = "10s"``); docs/refresh.md tells the whole story.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from schemactl.config import Settings, load_settings
from schemactl.errors import ConfigError, DatabaseError, RefusedError
from schemactl.refresh import cron
from schemactl.refresh.every import Every, UnsupportedSchedule, parse_every, pg_cron_schedule
from schemactl.refresh.runner import (
    REFRESH_LOCK_KEY,
    RefreshResult,
    ViewStatus,
    ensure_setup,
    log_failure,
    managed_views,
    refresh_view,
    resolve_views,
    view_status,
)
from schemactl.refresh.worker import Job, run_worker

__all__ = [
    "REFRESH_LOCK_KEY",
    "RefreshResult",
    "ScheduleResult",
    "ViewStatus",
    "run",
    "schedule",
    "stale",
    "staleness_limit",
    "status",
    "unschedule",
    "worker",
]


@dataclass(frozen=True)
class ScheduleResult:
    """A pg_cron job registered (or removed) for a view."""

    view: str
    every: str
    schedule: str  # pg_cron's schedule text
    job_name: str
    jobid: int | None
    cron_database: str
    database: str

    def describe(self) -> str:
        """One line for the user."""
        return (
            f"{self.view}: pg_cron job {self.jobid} {self.job_name!r} runs '{self.schedule}' "
            f"(every {self.every}) in database {self.database!r}"
        )


def _settings(project_dir: Path | str | None, **overrides: Any) -> Settings:
    return load_settings(project_dir, **overrides)


@contextmanager
def _session(settings: Settings, purpose: str) -> Iterator[tuple[psycopg.Connection[Any], str]]:
    from schemactl.db.connect import connect
    from schemactl.db.embedded import resolve_database_url

    url = resolve_database_url(settings)
    with connect(
        url,
        lock_timeout=settings.lock_timeout,
        statement_timeout=settings.statement_timeout,
        application_name=f"schemactl refresh {purpose}",
    ) as conn:
        yield conn, url


def _configured(conn: psycopg.Connection[Any], settings: Settings) -> dict[str, str]:
    """Qualified view -> schedule text of the config's ``refresh`` tables."""
    if not settings.refresh:
        return {}
    schedules: dict[str, str] = {}
    for name, every in settings.refresh.items():
        source = settings.sources.get(f"refresh.{name}", "config")
        try:
            [qualified] = resolve_views(conn, [name])
        except ConfigError as exc:
            raise ConfigError(f"{source}: refresh: {exc.message}", hint=exc.hint) from None
        schedules[qualified] = every
    return schedules


def run(
    views: Sequence[str] = (),
    *,
    database_url: str | None = None,
    lock_timeout: str | None = None,
    statement_timeout: str | None = None,
    project_dir: Path | str | None = None,
    on_result: Callable[[RefreshResult], None] | None = None,
) -> list[RefreshResult]:
    """Refresh ``views`` now; by default the configured ones, else every managed one.

    Each view in a transaction of its own; a view another session is refreshing is
    skipped (``outcome == "skipped"``). A failed refresh is logged and the others still
    run; then the first failure is raised as a DatabaseError.
    """
    settings = _settings(
        project_dir,
        database_url=database_url,
        lock_timeout=lock_timeout,
        statement_timeout=statement_timeout,
    )
    results: list[RefreshResult] = []
    failures: list[DatabaseError] = []
    with _session(settings, "run") as (conn, _url):
        if views:
            chosen = resolve_views(conn, list(views))
        else:
            chosen = list(_configured(conn, settings)) or managed_views(conn)
        if not chosen:
            return results
        ensure_setup(conn)
        for view in chosen:
            try:
                row = conn.execute("SELECT clock_timestamp()").fetchone()
                assert row is not None
                started = row[0]
                conn.rollback()
                result = refresh_view(conn, view)
            except DatabaseError as exc:
                with contextlib.suppress(psycopg.Error):  # best effort: the session may be gone
                    log_failure(conn, view, started, exc.message)
                failures.append(exc)
                continue
            except psycopg.OperationalError as exc:  # the session is gone: nothing more runs
                if failures:  # the refresh that killed it says more
                    raise failures[0] from None
                raise DatabaseError(
                    f"lost the connection while refreshing {view}: {' '.join(str(exc).split())}",
                    hint="check the server; the refresh was rolled back",
                ) from None
            results.append(result)
            if on_result is not None:
                on_result(result)
    if failures:
        raise failures[0]
    return results


def _every_of(view: str, every: str | None, settings: Settings, qualified: str) -> Every:
    if every is None:
        configured = settings.refresh.get(view) or settings.refresh.get(qualified)
        if configured is None:
            raise ConfigError(
                f"no schedule for {view}: give --every, or set it in the config",
                hint=f'--every 5m, or [tool.schemactl.refresh.{view}] every = "5m"',
            )
        every = configured
    try:
        return parse_every(every)
    except ValueError as exc:
        raise ConfigError(f"--every: {exc}", hint="e.g. --every 10s, 5m, '*/5 * * * *'") from None


def _worker_hint(view: str, every: str) -> str:
    return (
        f'run `schemactl refresh worker` with [tool.schemactl.refresh.{view}] every = "{every}" '
        "in the config (it refreshes on any interval, seconds too)"
    )


def schedule(
    view: str,
    *,
    every: str | None = None,
    database_url: str | None = None,
    project_dir: Path | str | None = None,
) -> ScheduleResult:
    """Register a pg_cron job that refreshes ``view`` every ``every`` (default: the config's).

    Refused (:class:`~schemactl.errors.RefusedError`, exit 3, nothing registered) when
    pg_cron is missing, or older than 1.5 and the interval is shorter than a minute.
    """
    settings = _settings(project_dir, database_url=database_url)
    with _session(settings, "schedule") as (conn, url):
        [qualified] = resolve_views(conn, [view])
        parsed = _every_of(view, every, settings, qualified)
        info = cron.cron_info(conn, url)
        if info.version is None:
            raise RefusedError(
                f"cannot schedule {qualified} every {parsed.text}: {info.describe()}; "
                "nothing was registered",
                hint=_worker_hint(view, parsed.text)
                + (
                    f", or CREATE EXTENSION pg_cron in database {info.database!r}"
                    if info.database
                    else ""
                ),
            )
        try:
            text = pg_cron_schedule(parsed, info.version)
        except UnsupportedSchedule as exc:
            if parsed.sub_minute:
                raise RefusedError(
                    f"cannot schedule {qualified} every {parsed.text}: {exc}; "
                    "nothing was registered",
                    hint=_worker_hint(view, parsed.text) + ", or upgrade pg_cron to 1.5",
                ) from None
            raise ConfigError(f"--every {parsed.text}: {exc}", hint="e.g. 5m, 1h, '*/7 * * * *'") from None
        ensure_setup(conn)
        jobid = cron.register(conn, url, info, qualified, text)
        assert info.database is not None
        return ScheduleResult(
            qualified, parsed.text, text, cron.job_name(info.target, qualified), jobid,
            info.database, info.target,
        )


def unschedule(
    view: str, *, database_url: str | None = None, project_dir: Path | str | None = None
) -> int:
    """Remove the pg_cron job of ``view``; how many jobs were removed (0 when none)."""
    settings = _settings(project_dir, database_url=database_url)
    with _session(settings, "unschedule") as (conn, url):
        try:
            [qualified] = resolve_views(conn, [view])
        except ConfigError:
            # a dropped view's job must still be removable: by the name it was scheduled as
            qualified = view if "." in view else f"public.{view}"
        info = cron.cron_info(conn, url)
        if info.version is None:
            return 0
        return cron.unregister(conn, url, info, qualified)


def status(
    views: Sequence[str] = (),
    *,
    database_url: str | None = None,
    project_dir: Path | str | None = None,
) -> list[ViewStatus]:
    """Last refresh, duration, rows and staleness of ``views`` (default: configured + managed)."""
    settings = _settings(project_dir, database_url=database_url)
    with _session(settings, "status") as (conn, _url):
        schedules = _configured(conn, settings)
        if views:
            chosen = resolve_views(conn, list(views))
        else:
            chosen = sorted(set(schedules) | set(managed_views(conn)))
        return view_status(conn, chosen, schedules)


def staleness_limit(text: str) -> float:
    """``--max-staleness`` (``30s``, ``5m``) in seconds; ConfigError when it is no interval."""
    try:
        every = parse_every(text)
    except ValueError as exc:
        raise ConfigError(f"--max-staleness: {exc}", hint="e.g. --max-staleness 30s") from None
    if every.seconds is None:
        raise ConfigError(
            f"--max-staleness: {text!r} is a cron line, not an interval",
            hint="e.g. --max-staleness 30s",
        )
    return float(every.seconds)


def stale(statuses: Sequence[ViewStatus], max_seconds: float) -> list[str]:
    """Views refreshed longer than ``max_seconds`` ago, or never: ``view (why)``."""
    late: list[str] = []
    for s in statuses:
        if s.staleness is None:
            late.append(f"{s.view} (never refreshed)")
        elif s.staleness > max_seconds:
            late.append(f"{s.view} ({s.staleness:.1f}s)")
    return late


def worker(
    *,
    database_url: str | None = None,
    lock_timeout: str | None = None,
    statement_timeout: str | None = None,
    project_dir: Path | str | None = None,
    echo: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Refresh every view of the config's ``refresh`` tables on its schedule until stopped.

    Stops on SIGTERM or SIGINT (when run in the main thread) or when ``stop`` is set,
    after the refresh in flight. One line per refresh attempt goes to ``echo``.
    """
    settings = _settings(
        project_dir,
        database_url=database_url,
        lock_timeout=lock_timeout,
        statement_timeout=statement_timeout,
    )
    if not settings.refresh:
        raise ConfigError(
            "no refresh schedules in the config: the worker has nothing to do",
            hint='add [tool.schemactl.refresh.<view>] every = "10s" to pyproject.toml '
            "(or schemactl.toml), one table per view",
        )
    with _session(settings, "worker") as (conn, url):
        schedules = _configured(conn, settings)
        ensure_setup(conn)
    jobs = [Job(view, parse_every(text)) for view, text in schedules.items()]
    echo(
        "schemactl refresh worker: "
        + ", ".join(f"{job.view} every {job.every.text}" for job in jobs)
    )
    run_worker(
        jobs,
        url,
        lock_timeout=settings.lock_timeout,
        statement_timeout=settings.statement_timeout,
        echo=echo,
        stop=stop,
    )
