"""``schemactl partitions``: the thin CLI twin of :mod:`schemactl.partitions`."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from schemactl.cli_options import database_url_option, format_option

_TABLE = click.option(
    "--table",
    metavar="TABLE",
    help="Only this configured table (as in the config, schema-qualified or not).",
)
_LOCK_TIMEOUT = click.option(
    "--lock-timeout",
    metavar="DURATION",
    help="lock_timeout of every DDL step (default: the lock_timeout setting).",
)


@click.group("partitions")
def partitions() -> None:
    """Make time partitions ahead of the clock, report on them, prune old ones.

    Tables are configured in [tool.schemactl.partitions.<table>] (interval day|week|month,
    premake, retention, default_partition); see docs/partitions.md.
    """


@partitions.command("ensure")
@_TABLE
@click.option(
    "--ahead",
    type=click.IntRange(0, 1000),
    metavar="N",
    help="Create up to N periods after the current one (default: premake of the config).",
)
@database_url_option
@_LOCK_TIMEOUT
def ensure_command(
    table: str | None, ahead: int | None, database_url: str | None, lock_timeout: str | None
) -> None:
    """Create the missing partitions from the current period (UTC) to N ahead.

    Prints one line per partition created; prints nothing and exits 0 when there is nothing
    to do (cron mails only on errors). Safe when runs overlap: each partition is made once,
    under an advisory lock per table, with lock_timeout on every DDL step. Rows of a new
    range parked in the DEFAULT partition move into it in the same transaction.
    """
    from schemactl.partitions import ensure

    result = ensure(table=table, ahead=ahead, database_url=database_url, lock_timeout=lock_timeout)
    for made in result.created:
        moved = f", {made.rows_moved} row(s) moved from the default" if made.rows_moved else ""
        bounds = "DEFAULT" if made.start is None else f"[{made.start}, {made.end})"
        click.echo(f"created {made.partition} {bounds}{moved}")
    for name in result.guarded:
        click.echo(f"guarded {name}: CHECK schemactl_partitions_horizon validated")
    for warning in result.warnings:
        click.echo(f"schemactl: warning: {warning}", err=True)


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


@partitions.command("status")
@_TABLE
@format_option("text", "json", help="A table per partitioned table, or JSON.")
@database_url_option
def status_command(table: str | None, fmt: str, database_url: str | None) -> None:
    """Partitions, bounds, estimated rows, size, gaps, default rows and coverage ahead.

    Exits 1 when a table is covered fewer periods ahead than its premake (for monitoring).
    """
    from schemactl.errors import FindingsError
    from schemactl.partitions import status

    report = status(table=table, database_url=database_url)
    if fmt == "json":
        click.echo(json.dumps([{**asdict(t), "ok": t.ok} for t in report], indent=2, default=str))
    else:
        for t in report:
            click.echo(f"{t.table} (every {t.interval}, premake {t.premake})")
            for p in t.partitions:
                bounds = "DEFAULT" if p.start is None else f"[{p.start}, {p.end})"
                mark = "  managed" if p.managed else ""
                click.echo(
                    f"  {p.name:<40} {bounds:<26} ~{p.estimated_rows} rows  "
                    f"{_size(p.size_bytes)}{mark}"
                )
            for lo, hi in t.gaps:
                where = "rows go to the default" if t.default_partition else "inserts fail"
                click.echo(f"  gap: [{lo}, {hi}) has no partition ({where})")
            for line in t.overlaps:
                click.echo(f"  overlap: {line}")
            if t.default_partition is not None:
                guard = "guarded" if t.default_guarded else "not guarded: ATTACH scans it"
                click.echo(f"  default {t.default_partition}: {t.default_rows} row(s), {guard}")
            ahead = (
                "current period NOT covered"
                if t.covered_ahead < 0
                else (f"covered {t.covered_ahead} period(s) ahead")
            )
            click.echo(f"  {ahead} ({'ok' if t.ok else f'below premake {t.premake}'})")
    short = [t.table for t in report if not t.ok]
    if short:
        raise FindingsError(
            f"partitions: {', '.join(short)} covered fewer periods ahead than premake",
            hint="run schemactl partitions ensure (and schedule it: schemactl partitions cron)",
        )


@partitions.command("prune")
@click.option(
    "--older-than",
    metavar="AGE",
    help="Partitions whose range ended more than AGE ago, e.g. 13months, '90 days' "
    "(default: retention of the config).",
)
@click.option("--detach", is_flag=True, help="Detach them (the tables stay).")
@click.option("--drop", is_flag=True, help="Detach and drop them.")
@_TABLE
@database_url_option
@_LOCK_TIMEOUT
def prune_command(
    older_than: str | None,
    detach: bool,
    drop: bool,
    table: str | None,
    database_url: str | None,
    lock_timeout: str | None,
) -> None:
    """List, detach or drop partitions older than AGE; without --detach/--drop, change nothing.

    DETACH is plain, not CONCURRENTLY (PostgreSQL refuses CONCURRENTLY while a DEFAULT
    partition exists): it takes ACCESS EXCLUSIVE on the parent briefly, bounded by
    lock_timeout. The DEFAULT partition is never pruned.
    """
    from schemactl.partitions import prune

    for item in prune(
        older_than=older_than,
        table=table,
        detach=detach,
        drop=drop,
        database_url=database_url,
        lock_timeout=lock_timeout,
    ):
        click.echo(f"{item.action} {item.partition} [{item.start}, {item.end})")


@partitions.command("cron")
@click.option(
    "--at",
    "schedule_at",
    default="17 3 * * *",
    show_default=True,
    metavar="CRON",
    help="When to run, as a 5-field cron schedule (UTC).",
)
def cron_command(schedule_at: str) -> None:
    """Print a crontab line and a systemd service + timer that run `partitions ensure` daily."""
    from schemactl.partitions import cron_text

    click.echo(cron_text(schedule_at=schedule_at), nl=False)


@partitions.command("schedule")
@_TABLE
@click.option(
    "--at",
    "schedule_at",
    default="17 3 * * *",
    show_default=True,
    metavar="CRON",
    help="When the job runs, as a 5-field cron schedule (pg_cron's time zone, UTC by default).",
)
@click.option("--remove", is_flag=True, help="Unschedule the job(s) instead.")
@database_url_option
@_LOCK_TIMEOUT
def schedule_command(
    table: str | None,
    schedule_at: str,
    remove: bool,
    database_url: str | None,
    lock_timeout: str | None,
) -> None:
    """Register a daily pg_cron job per table that runs SELECT schemactl.ensure_partitions(...).

    Installs the SQL functions in schema schemactl of the database; the job is registered in
    pg_cron's database (cron.database_name) with cron.schedule_in_database. Exits 2 where
    pg_cron is not installed: use `schemactl partitions cron` there.
    """
    from schemactl.partitions import schedule

    for job in schedule(
        table=table,
        schedule_at=schedule_at,
        remove=remove,
        database_url=database_url,
        lock_timeout=lock_timeout,
    ):
        if remove:
            state = "unscheduled" if job.removed else "not scheduled"
            click.echo(f"{state}: {job.name!r} in database {job.database}")
        else:
            click.echo(
                f"scheduled job {job.job_id} {job.name!r} ({job.schedule}) in database "
                f"{job.database}: {job.command}"
            )
