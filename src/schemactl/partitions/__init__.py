"""``schemactl partitions``: time partitions that are made ahead of the clock, safely.

One library function per command: :func:`ensure`, :func:`status`, :func:`prune`,
:func:`cron_text`, :func:`schedule`. Tables are configured in
``[tool.schemactl.partitions.<table>]`` (:class:`schemactl.config.PartitionConfig`); the
period math is pure (:mod:`schemactl.partitions.periods`); the DDL runs in SQL functions
installed in schema ``schemactl`` (``db/sql/partitions_functions.sql``), so that a pg_cron
job and the CLI do exactly the same thing. docs/partitions.md is the user's guide.
"""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemactl.config import PartitionConfig, Settings, load_settings
from schemactl.errors import ConfigError, SchemactlError

if TYPE_CHECKING:
    import psycopg

    from schemactl.partitions._db import Parent

__all__ = [
    "Created",
    "EnsureResult",
    "PartitionStatus",
    "Pruned",
    "ScheduledJob",
    "TableStatus",
    "cron_text",
    "ensure",
    "prune",
    "schedule",
    "status",
]

# step(name): called before each step of ensure runs (fault-injection tests kill the session)
StepCallback = Callable[[str], None]

DEFAULT_CRON = "17 3 * * *"


@dataclass(frozen=True)
class Created:
    """A partition ensure created, and the rows it moved out of the DEFAULT partition.

    ``start`` and ``end`` are None for a DEFAULT partition (``default_partition = true`` on a
    table that had none).
    """

    table: str
    partition: str
    start: dt.date | None
    end: dt.date | None
    rows_moved: int


@dataclass(frozen=True)
class EnsureResult:
    """What one ensure run did; empty when there was nothing to do."""

    created: tuple[Created, ...] = ()
    # DEFAULT partitions whose horizon CHECK this run added and validated
    guarded: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartitionStatus:
    """One partition in a status report (``start``/``end`` None for the DEFAULT one)."""

    name: str
    start: str | None
    end: str | None
    estimated_rows: int
    size_bytes: int
    managed: bool


@dataclass(frozen=True)
class TableStatus:
    """One configured table: its partitions and how far ahead they reach."""

    table: str
    interval: str
    premake: int
    partitions: tuple[PartitionStatus, ...]
    gaps: tuple[tuple[str, str], ...]
    overlaps: tuple[str, ...]
    default_partition: str | None
    default_rows: int | None
    default_guarded: bool
    # whole periods covered after the current one; -1: the current period is not covered
    covered_ahead: int

    @property
    def ok(self) -> bool:
        """Covered at least ``premake`` periods ahead."""
        return self.covered_ahead >= self.premake


@dataclass(frozen=True)
class Pruned:
    """A partition prune selected (and, unless a dry run, detached or dropped)."""

    table: str
    partition: str
    start: str
    end: str
    action: str  # "would detach", "would drop", "detached", "dropped"


@dataclass(frozen=True)
class ScheduledJob:
    """A pg_cron job of ``partitions schedule``."""

    job_id: int | None
    name: str
    schedule: str
    database: str
    command: str
    removed: bool = False


def _configs(settings: Settings, table: str | None) -> list[PartitionConfig]:
    configs = list(settings.partitions)
    if not configs:
        raise ConfigError(
            "no partitioned table is configured",
            hint='add [tool.schemactl.partitions.agent_telemetry] with interval = "month" '
            "to pyproject.toml (or schemactl.toml); see docs/partitions.md",
        )
    if table is None:
        return configs

    def bare(name: str) -> str:
        return name.split(".")[-1].strip('"')

    chosen = [c for c in configs if table in (c.table, bare(c.table))]
    if not chosen:
        chosen = [c for c in configs if bare(c.table) == bare(table)]
    if not chosen:
        known = ", ".join(c.table for c in configs)
        raise ConfigError(
            f"--table {table}: not a configured partitioned table",
            hint=f"configured: {known}",
        )
    return chosen


@contextmanager
def _session(settings: Settings) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit session (each function call its own transaction), TimeZone UTC."""
    import psycopg

    from schemactl.db.connect import connect, database_error
    from schemactl.db.embedded import resolve_database_url
    from schemactl.partitions._db import use_utc

    conn = connect(
        resolve_database_url(settings),
        lock_timeout=settings.lock_timeout,
        statement_timeout=settings.statement_timeout,
        application_name="schemactl partitions",
        autocommit=True,
    )
    try:
        use_utc(conn)
        yield conn
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else dt.datetime.now(dt.UTC).date()


def ensure(
    *,
    table: str | None = None,
    ahead: int | None = None,
    database_url: str | None = None,
    lock_timeout: str | None = None,
    project_dir: Path | str | None = None,
    today: dt.date | None = None,
    step: StepCallback | None = None,
) -> EnsureResult:
    """Create the missing partitions from the current period to ``ahead`` (config premake) ahead.

    Idempotent: with nothing to do it only reads the catalog (one query) and returns an empty
    result. Each partition is made in its own transaction by ``schemactl.ensure_partition``
    under an advisory lock per parent (overlapping runs create each partition once), with
    ``lock_timeout`` on every DDL step. Rows of the new range parked in the DEFAULT partition
    move into it in that transaction. Then the DEFAULT partition gets a validated CHECK that
    keeps later ATTACHes from scanning it. ``today`` overrides the clock (UTC).
    """
    from schemactl.partitions import _db
    from schemactl.partitions.periods import (
        is_covered,
        overlaps,
        partition_name,
        period_start,
        wanted_periods,
    )

    settings = load_settings(project_dir, database_url=database_url, lock_timeout=lock_timeout)
    configs = _configs(settings, table)
    day = _today(today)
    notify = step or (lambda _name: None)
    with _session(settings) as conn:
        parents = _db.read_parents(conn, configs)
        todo: list[tuple[Parent, dt.date, dt.date, str]] = []
        warnings: list[str] = []
        guards: list[Parent] = []
        defaults: list[tuple[Parent, str]] = []
        for parent in parents:
            config = parent.config
            ranges = parent.ranges
            for period in wanted_periods(
                day, config.interval, config.premake if ahead is None else ahead
            ):
                if is_covered(period, ranges):
                    continue
                if overlaps(period, ranges):
                    warnings.append(
                        f"{parent.qualified}: [{period.start}, {period.end}) is partly covered "
                        "by another partition: not created"
                    )
                    continue
                try:
                    name = partition_name(parent.name, period.start, config.interval)
                except ValueError as exc:
                    raise ConfigError(f"{config.source}: {exc}") from None
                todo.append((parent, period.start, period.end, name))
            default = parent.default
            if config.default_partition and default is None:
                try:
                    defaults.append((parent, partition_name(parent.name, None, "default")))
                except ValueError as exc:
                    raise ConfigError(f"{config.source}: {exc}") from None
            if config.default_partition and (default is None or default.horizon_check is not True):
                guards.append(parent)
        if not todo and not guards:
            return EnsureResult(warnings=tuple(warnings))
        notify("install")
        _db.install_functions(conn)
        created = []
        for parent, name in defaults:
            notify(f"create {name}")
            if _db.ensure_default(conn, parent, name, settings.lock_timeout, settings.lock_wait):
                created.append(Created(parent.qualified, name, None, None, 0))
        for parent, start, end, name in todo:
            notify(f"create {name}")
            moved = _db.ensure_partition(
                conn, parent, name, start, end, settings.lock_timeout, settings.lock_wait
            )
            if moved is not None:
                created.append(Created(parent.qualified, name, start, end, moved))
        guarded = []
        for parent in guards:
            horizon = period_start(day, parent.config.interval)
            default_name = (
                parent.default.qualified
                if parent.default
                else f"{parent.qualified.rsplit('.', 1)[0]}.{parent.name}_default"
            )
            notify(f"guard {default_name}")
            state = _db.guard_default(
                conn, parent, horizon, settings.lock_timeout, settings.lock_wait
            )
            if state == "added":
                notify(f"validate {default_name}")
                state = _db.guard_default(
                    conn, parent, horizon, settings.lock_timeout, settings.lock_wait
                )
            if state == "validated":
                guarded.append(default_name)
            elif state == "blocked":
                warnings.append(
                    f"{default_name} holds rows at or after {horizon} (beyond the partitions "
                    "ensure made): each new partition's ATTACH scans it until they are moved or "
                    "deleted (docs/partitions.md)"
                )
        return EnsureResult(tuple(created), tuple(guarded), tuple(warnings))


def status(
    *,
    table: str | None = None,
    database_url: str | None = None,
    project_dir: Path | str | None = None,
    today: dt.date | None = None,
) -> list[TableStatus]:
    """Per configured table: partitions, bounds, estimated rows, size, gaps, default rows, coverage."""
    from schemactl.partitions import _db
    from schemactl.partitions.periods import gaps_and_overlaps, periods_covered_ahead

    settings = load_settings(project_dir, database_url=database_url)
    configs = _configs(settings, table)
    day = _today(today)
    report = []
    with _session(settings) as conn:
        managed = _db.managed_tables(conn)
        for parent in _db.read_parents(conn, configs, sizes=True):
            ranged = [(p.name, p.bounds) for p in parent.partitions if p.bounds is not None]
            gaps, overlapping = gaps_and_overlaps(ranged)
            default = parent.default
            report.append(
                TableStatus(
                    table=parent.qualified,
                    interval=parent.config.interval,
                    premake=parent.config.premake,
                    partitions=tuple(
                        PartitionStatus(
                            p.name,
                            _bound_text(p.bounds[0]) if p.bounds else None,
                            _bound_text(p.bounds[1]) if p.bounds else None,
                            p.estimated_rows,
                            p.size_bytes,
                            (p.schema, p.name) in managed,
                        )
                        for p in sorted(
                            parent.partitions,
                            key=lambda p: (p.bounds is None, p.bounds or (), p.name),
                        )
                    ),
                    gaps=tuple((_bound_text(a), _bound_text(b)) for a, b in gaps),
                    overlaps=tuple(overlapping),
                    default_partition=default.name if default else None,
                    default_rows=_db.count_rows(conn, default) if default else None,
                    default_guarded=bool(default and default.horizon_check),
                    covered_ahead=periods_covered_ahead(day, parent.config.interval, parent.ranges),
                )
            )
    return report


def _bound_text(value: dt.datetime) -> str:
    if value == dt.datetime.min.replace(tzinfo=dt.UTC):
        return "MINVALUE"
    if value == dt.datetime.max.replace(tzinfo=dt.UTC):
        return "MAXVALUE"
    if value.time() == dt.time(0):
        return value.date().isoformat()
    return value.isoformat()


def prune(
    *,
    older_than: str | None = None,
    table: str | None = None,
    detach: bool = False,
    drop: bool = False,
    database_url: str | None = None,
    lock_timeout: str | None = None,
    project_dir: Path | str | None = None,
    today: dt.date | None = None,
) -> list[Pruned]:
    """Partitions whose whole range ends ``older_than`` (config retention) ago; detach or drop them.

    Without ``detach`` or ``drop`` nothing changes (the list says what would be done). The
    DEFAULT partition is never pruned. DETACH is plain, not CONCURRENTLY (refused while a
    DEFAULT partition exists): a brief ACCESS EXCLUSIVE lock on the parent, bounded by
    ``lock_timeout``.
    """
    from schemactl.partitions import _db
    from schemactl.partitions.periods import at_midnight, parse_retention, retention_cutoff

    if detach and drop:
        raise ConfigError("--detach and --drop exclude each other", hint="--drop detaches too")
    settings = load_settings(project_dir, database_url=database_url, lock_timeout=lock_timeout)
    configs = _configs(settings, table)
    day = _today(today)
    cutoffs = {}
    for config in configs:
        text = older_than if older_than is not None else config.retention
        if text is None:
            raise ConfigError(
                f"{config.table}: no retention: give --older-than (e.g. 13months) "
                "or set retention in the config",
                hint=f"{config.source or '[tool.schemactl.partitions.<table>]'}: "
                'retention = "13 months"',
            )
        try:
            cutoffs[config.table] = at_midnight(retention_cutoff(day, parse_retention(text)))
        except ValueError as exc:
            raise ConfigError(f"--older-than: {exc}", hint="e.g. --older-than 13months") from None
    done: list[Pruned] = []
    with _session(settings) as conn:
        for parent in _db.read_parents(conn, configs):
            cutoff = cutoffs[parent.config.table]
            old = [p for p in parent.partitions if p.bounds is not None and p.bounds[1] <= cutoff]
            for part in sorted(old, key=lambda p: p.bounds or ()):
                assert part.bounds is not None
                if detach or drop:
                    _db.detach(conn, parent, part, drop=drop)
                action = ("dropped" if drop else "detached") if detach or drop else "would prune"
                done.append(
                    Pruned(
                        parent.qualified,
                        part.qualified,
                        _bound_text(part.bounds[0]),
                        _bound_text(part.bounds[1]),
                        action,
                    )
                )
    return done


def _schemactl_executable() -> str:
    """The absolute path of the running ``schemactl`` (a venv's is rarely on cron's PATH)."""
    for candidate in (Path(sys.argv[0]), Path(sys.executable).parent / "schemactl"):
        if candidate.name == "schemactl" and candidate.is_file():
            return shlex.quote(str(candidate.absolute()))
    found = shutil.which("schemactl")
    return shlex.quote(found) if found else f"{shlex.quote(sys.executable)} -m schemactl.cli"


def _check_cron(schedule_at: str) -> None:
    """``--at`` must be a 5-field cron line: cron, systemd and pg_cron would misread anything else."""
    from schemactl.refresh.every import parse_every

    fields = len(schedule_at.split())
    reason = f"{schedule_at!r} is not a 5-field cron line (minute hour day month weekday)"
    try:
        every = parse_every(schedule_at)
    except ValueError as exc:
        every = None
        if fields == 5:  # the field at fault, e.g. "minute field '61': values must lie in 0-59"
            reason = str(exc)
    if every is None or every.cron is None:
        raise ConfigError(f"--at: {reason}", hint="e.g. --at '17 3 * * *' (03:17 UTC daily)")


def cron_text(*, schedule_at: str = DEFAULT_CRON, project_dir: Path | str | None = None) -> str:
    """A crontab line and a systemd service + timer that run ``schemactl partitions ensure``.

    No database is needed. The database URL is not written into them (it would put the
    password in a crontab): cron and systemd read it from the environment or the config.
    """
    _check_cron(schedule_at)
    settings = load_settings(project_dir)
    _configs(settings, None)
    directory = Path(settings.project_dir).resolve()
    exe = _schemactl_executable()
    command = f"{exe} partitions ensure"
    quoted_dir = shlex.quote(str(directory))
    minute, hour = [*schedule_at.split(), "*", "*"][:2]
    on_calendar = (
        f"*-*-* {int(hour):02d}:{int(minute):02d}:00 UTC"
        if minute.isdigit() and hour.isdigit()
        else "daily"
    )
    return (
        "# crontab (crontab -e): daily; quiet when there is nothing to do, so cron mails only "
        "on errors\n"
        f"{schedule_at} cd {quoted_dir} && {command}\n"
        "\n"
        "# /etc/systemd/system/schemactl-partitions.service\n"
        "[Unit]\n"
        "Description=schemactl partitions ensure\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={directory}\n"
        "# DATABASE_URL=postgresql://... (keep the password out of the unit file)\n"
        "EnvironmentFile=-/etc/schemactl/partitions.env\n"
        f"ExecStart={command}\n"
        "\n"
        "# /etc/systemd/system/schemactl-partitions.timer\n"
        "[Unit]\n"
        "Description=Daily schemactl partitions ensure\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar={on_calendar}\n"
        "Persistent=true\n"
        "RandomizedDelaySec=10min\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
        "# systemctl daemon-reload && systemctl enable --now schemactl-partitions.timer\n"
    )


def _job_name(parent: Parent, database: str) -> str:
    # the database in the name: pg_cron keys jobs by name and user, so two databases of one
    # server scheduling the same table must not replace each other's job
    return f"schemactl partitions {database}.{parent.qualified}"


def schedule(
    *,
    table: str | None = None,
    schedule_at: str = DEFAULT_CRON,
    remove: bool = False,
    database_url: str | None = None,
    lock_timeout: str | None = None,
    project_dir: Path | str | None = None,
) -> list[ScheduledJob]:
    """Register (or with ``remove`` unregister) a daily pg_cron job per table that runs ensure.

    The job runs SQL, not a shell: ``SELECT schemactl.ensure_partitions(table, interval,
    premake, lock_timeout, lock_wait, default_partition)``, installed in the target database.
    pg_cron lives in one database (``cron.database_name``); jobs for another database are
    registered there with ``cron.schedule_in_database`` (pg_cron >= 1.4). Without pg_cron:
    an error that points to ``schemactl partitions cron``.
    """
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    from schemactl.db.connect import connect, database_error
    from schemactl.db.embedded import resolve_database_url
    from schemactl.partitions import _db

    if not remove:
        _check_cron(schedule_at)
    settings = load_settings(project_dir, database_url=database_url, lock_timeout=lock_timeout)
    configs = _configs(settings, table)
    url = resolve_database_url(settings)
    no_cron_hint = (
        "install pg_cron (shared_preload_libraries = 'pg_cron', CREATE EXTENSION pg_cron in "
        "cron.database_name), or run ensure from cron/systemd: schemactl partitions cron"
    )
    jobs: list[ScheduledJob] = []
    with _session(settings) as conn:
        parents = _db.read_parents(conn, configs)
        if not remove:
            _db.install_functions(conn)
        row = conn.execute(
            "SELECT current_setting('cron.database_name', true), current_database()"
        ).fetchone()
        assert row is not None
        cron_db, database = row
        if not cron_db:
            raise SchemactlError("pg_cron is not loaded on this server", hint=no_cron_hint)
        commands = []
        for parent in parents:
            config = parent.config
            call = sql.SQL("SELECT schemactl.ensure_partitions({}::regclass, {}, {}, {}, {}, {})")
            composed = call.format(
                sql.Literal(parent.qualified),
                sql.Literal(config.interval),
                sql.Literal(config.premake),
                sql.Literal(settings.lock_timeout),
                sql.Literal(settings.lock_wait),
                sql.Literal(config.default_partition),
            )
            commands.append((parent, composed.as_string(conn)))
    import psycopg

    cron = connect(
        make_conninfo(url, dbname=cron_db),
        lock_timeout=settings.lock_timeout,
        application_name="schemactl partitions",
        autocommit=True,
    )
    try:
        row = cron.execute(
            "SELECT extversion,"
            " to_regprocedure('cron.schedule_in_database(text,text,text,text,text,boolean)')"
            " IS NOT NULL FROM pg_extension WHERE extname = 'pg_cron'"
        ).fetchone()
        if row is None:
            raise SchemactlError(
                f"pg_cron is loaded but not installed in database {cron_db!r}", hint=no_cron_hint
            )
        _version, in_database = row
        for parent, command in commands:
            name = _job_name(parent, database)
            if remove:
                found = cron.execute(
                    "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = %s AND database = %s",
                    (name, database),
                ).fetchall()
                jobs.append(ScheduledJob(None, name, schedule_at, database, command, bool(found)))
                continue
            if in_database:
                job = cron.execute(
                    "SELECT cron.schedule_in_database(%s, %s, %s, %s)",
                    (name, schedule_at, command, database),
                ).fetchone()
            elif database == cron_db:
                job = cron.execute(
                    "SELECT cron.schedule(%s, %s, %s)", (name, schedule_at, command)
                ).fetchone()
            else:
                raise SchemactlError(
                    f"this pg_cron cannot run jobs in database {database!r} (only in {cron_db!r}):"
                    " cron.schedule_in_database needs pg_cron 1.4 or later",
                    hint="upgrade pg_cron, or run ensure from cron/systemd: schemactl partitions cron",
                )
            assert job is not None
            jobs.append(ScheduledJob(int(job[0]), name, schedule_at, database, command))
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        cron.close()
    return jobs


def managed_tables_of(conn: psycopg.Connection[Any]) -> set[tuple[str, str]]:
    """(schema, name) of the tables ``ensure`` created in the database of ``conn``."""
    from schemactl.partitions._db import managed_tables

    return managed_tables(conn)
