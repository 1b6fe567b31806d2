"""``schemactl refresh``: thin twins of :mod:`schemactl.refresh` (docs/refresh.md)."""

from __future__ import annotations

import json
from datetime import UTC
from typing import TYPE_CHECKING

import click

from schemactl.cli_options import database_url_option, format_option

if TYPE_CHECKING:
    from schemactl.refresh import ViewStatus

__all__ = ["refresh"]


@click.group()
def refresh() -> None:
    """Refresh materialized views: now, on a pg_cron schedule, or from a worker."""


@refresh.command("run")
@click.argument("views", nargs=-1, metavar="[VIEW]...")
@database_url_option
@click.option(
    "--lock-timeout",
    metavar="DURATION",
    help="How long a refresh waits for the view's lock (default 5s).",
)
@click.option("--statement-timeout", metavar="DURATION", help="statement_timeout of each refresh.")
@format_option("text", "json", help="One line per view, or a JSON list.")
def refresh_run(
    views: tuple[str, ...],
    database_url: str | None,
    lock_timeout: str | None,
    statement_timeout: str | None,
    fmt: str,
) -> None:
    """Refresh VIEW... now, single-flight, logged.

    Default VIEWs: those of the config's refresh tables, else every materialized view
    outside system, schemactl and extension schemas. CONCURRENTLY when the view is populated and has a unique index without WHERE on plain
    columns, plain otherwise. A view another refresher holds (advisory lock) is skipped,
    said so, exit 0. Every attempt is logged in schemactl.refresh_log. Exits 2 when a
    refresh fails (the others still run) or a view does not exist.
    """
    from schemactl import refresh as lib

    def show(result: lib.RefreshResult) -> None:
        if fmt == "text":
            click.echo(result.describe())

    results = lib.run(
        views,
        database_url=database_url,
        lock_timeout=lock_timeout,
        statement_timeout=statement_timeout,
        on_result=show,
    )
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], indent=2))
    elif not results:
        click.echo("no materialized views to refresh")


@refresh.command("schedule")
@click.argument("view")
@click.option(
    "--every",
    metavar="INTERVAL|CRON",
    help="10s, 5m, 1h or a 5-field cron line ('*/5 * * * *'). Default: the view's `every` "
    "in the config.",
)
@database_url_option
def refresh_schedule(view: str, every: str | None, database_url: str | None) -> None:
    """Register a pg_cron job that refreshes VIEW every INTERVAL.

    The job calls schemactl's function, so it is single-flight and logged like `refresh
    run`. With pg_cron >= 1.5 a sub-minute interval uses its seconds syntax. With an older
    pg_cron (Debian's PostgreSQL 15 package is 1.4) or none, a sub-minute interval is
    refused (exit 3, nothing registered) with a pointer to `schemactl refresh worker`;
    without pg_cron every schedule is refused so. Scheduling the same view again replaces
    its job. An interval cron cannot keep evenly (7m) is an input error (exit 2).
    """
    from schemactl import refresh as lib

    result = lib.schedule(view, every=every, database_url=database_url)
    click.echo(result.describe())


@refresh.command("unschedule")
@click.argument("view")
@database_url_option
def refresh_unschedule(view: str, database_url: str | None) -> None:
    """Remove the pg_cron job of VIEW (exit 0 when there is none)."""
    from schemactl import refresh as lib

    count = lib.unschedule(view, database_url=database_url)
    click.echo(f"{view}: {count} pg_cron job{'s' if count != 1 else ''} removed")


@refresh.command("worker")
@database_url_option
@click.option(
    "--lock-timeout",
    metavar="DURATION",
    help="How long a refresh waits for the view's lock (default 5s).",
)
@click.option("--statement-timeout", metavar="DURATION", help="statement_timeout of each refresh.")
def refresh_worker(
    database_url: str | None, lock_timeout: str | None, statement_timeout: str | None
) -> None:
    """Refresh the configured views on their schedules until SIGTERM.

    The views are those of the config's refresh tables. Intervals run on the epoch's multiples (10s: at :00, :10...), cron lines in UTC. Any
    number of workers may run: the advisory lock keeps refreshes of one view from
    overlapping, and a view refreshed since the tick began is skipped. Failures are
    retried with jittered exponential backoff. One line per attempt on stdout. SIGTERM or
    SIGINT: the refresh in flight finishes, then exit 0.
    """
    from schemactl import refresh as lib

    lib.worker(
        database_url=database_url,
        lock_timeout=lock_timeout,
        statement_timeout=statement_timeout,
        echo=lambda line: click.echo(line),
    )


@refresh.command("status")
@click.argument("views", nargs=-1, metavar="[VIEW]...")
@database_url_option
@format_option("text", "json", help="A table, or a JSON list.")
@click.option(
    "--max-staleness",
    metavar="INTERVAL",
    help="Exit 1 when a view was refreshed longer ago than INTERVAL (30s, 5m), or never.",
)
def refresh_status(
    views: tuple[str, ...], database_url: str | None, fmt: str, max_staleness: str | None
) -> None:
    """Per view: last refresh, duration, rows, staleness, schedule.

    Read from schemactl.refresh_log; default VIEWs: the configured ones and every
    materialized view outside system, schemactl and extension schemas. FAILED counts
    failed attempts since the last refresh. With --max-staleness, exits 1 when a view is
    staler than that (for monitoring).
    """
    from schemactl import refresh as lib
    from schemactl.errors import FindingsError

    limit = None if max_staleness is None else lib.staleness_limit(max_staleness)
    found = lib.status(views, database_url=database_url)
    late = [] if limit is None else lib.stale(found, limit)
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in found], indent=2))
    else:
        _print_status(found)
    if late:
        count = len(late)
        raise FindingsError(
            f"refresh status: {count} view{'s' if count != 1 else ''} staler than "
            f"{max_staleness}: {', '.join(late)}"
        )


def _print_status(found: list[ViewStatus]) -> None:
    header = ("VIEW", "LAST REFRESH (UTC)", "DURATION", "ROWS", "STALENESS", "EVERY", "FAILED")
    table = [header]
    for s in found:
        table.append(
            (
                s.view,
                s.last_refresh.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
                if s.last_refresh
                else "never",
                "-" if s.duration is None else f"{s.duration:.3f}s",
                "-" if s.rows is None else str(s.rows),
                "-" if s.staleness is None else f"{s.staleness:.1f}s",
                s.every or "-",
                str(s.failed_since),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
