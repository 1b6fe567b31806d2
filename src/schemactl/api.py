"""The library twin of the CLI: one function per command."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from schemactl.config import Settings, database_url_of, load_settings
from schemactl.errors import ConfigError
from schemactl.model import ApplyResult, Plan

if TYPE_CHECKING:
    from schemactl.diff.planfile import MigrationPlan

# progress(i, n, statement location): called before statement i (1-based) of n runs
ProgressCallback = Callable[[int, int, str], None]
# warn(line): a warning while apply runs (a lock-timeout retry), before it sleeps
WarnCallback = Callable[[str], None]


def plan_for(settings: Settings) -> Plan:
    """The ordered plan of the SQL directory named by ``settings``.

    Unless ``auth_shim`` is ``never``, what the auth compat layer provides (schema auth,
    auth.users, auth.uid()...) counts as created: apply installs it, or the database has it.
    """
    from schemactl.core.plan import auth_shim_objects, build_plan

    return build_plan(
        settings.resolve(settings.sql_dir),
        display_root=settings.sql_dir,
        strict=settings.strict,
        provided=auth_shim_objects() if settings.auth_shim != "never" else frozenset(),
    )


def order(
    sql_dir: Path | str | None = None,
    *,
    strict: bool | None = None,
    project_dir: Path | str | None = None,
) -> Plan:
    """Parse every ``.sql`` file of ``sql_dir`` and order its statements by dependency."""
    return plan_for(load_settings(project_dir, sql_dir=sql_dir, strict=strict))


def apply(
    sql_dir: Path | str | None = None,
    *,
    database_url: str | None = None,
    dry_run: bool = False,
    lock_timeout: str | None = None,
    lock_wait: str | None = None,
    lock_retries: int | None = None,
    statement_timeout: str | None = None,
    auth_shim: str | None = None,
    owner: str | None = None,
    strict: bool | None = None,
    allow_destructive: bool = False,
    shadow_url: str | None = None,
    schemas: Sequence[str] | None = None,
    concurrently: bool = False,
    plan_file: Path | str | None = None,
    progress: ProgressCallback | None = None,
    warn: WarnCallback | None = None,
    project_dir: Path | str | None = None,
) -> ApplyResult:
    """Apply the SQL of ``sql_dir`` to a database: create its schema, or migrate it.

    With no database URL from options, environment or config, the embedded
    server of the project is started and used.

    On a database schemactl never applied to, the ordered files run in one transaction
    (status ``applied``). With ``owner``, the statements run as that role (``SET
    ROLE``), so it owns every object they create. A statement that had to wait for an
    object the order did not know it needs is listed in ``ApplyResult.deferred``; with
    ``strict`` that is an error. Another apply running on the same database is waited
    for up to ``lock_wait``; a statement whose lock wait times out (``lock_timeout``)
    rolls everything back and, with ``lock_retries``, the whole apply is run again after
    a backoff, each retry reported through ``warn``.

    On a database with a ledger: if the files are those the ledger recorded, nothing runs
    (``up_to_date``, no shadow diff). Else the database is migrated (status
    ``migrated``): the files are diffed against it (shadow on the embedded server or
    ``shadow_url``, scope ``schemas``) and the diff runs as ``apply --plan`` runs a plan
    (destructive changes refused unless ``allow_destructive``), recorded in the ledger
    with its statements; with ``concurrently`` indexes on existing tables are built
    ``CONCURRENTLY`` after the transaction. ``dry_run`` returns the SQL instead.

    With ``plan_file`` the plan ``schemactl plan`` wrote is run instead of the files
    (see :func:`apply_plan_file`).
    """
    from schemactl.db.apply import FilesChangedError
    from schemactl.db.embedded import resolve_database_url

    settings = load_settings(
        project_dir,
        sql_dir=sql_dir,
        database_url=database_url,
        lock_timeout=lock_timeout,
        lock_wait=lock_wait,
        lock_retries=lock_retries,
        statement_timeout=statement_timeout,
        auth_shim=auth_shim,
        owner=owner,
        strict=strict,
    )
    # an empty URL fails before the SQL dir is parsed or the embedded server is started
    database_url_of(settings)
    if plan_file is not None:
        if sql_dir is not None:
            raise ConfigError("give either SQL_DIR or --plan, not both (the plan names its files)")
        for given, option in (
            (shadow_url, "--shadow-url"),
            (schemas, "--schema"),
            (concurrently, "--concurrently"),
        ):
            if given:
                raise ConfigError(
                    f"{option} is for migrating from SQL_DIR, not for --plan",
                    hint=f"the plan was made with its own; give {option} to `schemactl plan`",
                )
        return apply_plan_file(
            plan_file,
            resolve_database_url(settings),
            settings,
            allow_destructive=allow_destructive,
            dry_run=dry_run,
            warn=warn,
        )
    url = resolve_database_url(settings)
    # strict at apply is about deferrals: a reference no file creates is the server's to
    # judge (the auth shim or the database may provide it), not a reason to refuse
    files_plan = plan_for(replace(settings, strict=False))
    for attempt in (1, 2, 3):
        try:
            return apply_planned(
                files_plan, url, settings, dry_run=dry_run, progress=progress, warn=warn
            )
        except FilesChangedError:
            pass  # the database has a ledger and the files changed: migrate it
        # imported here: the diff machinery costs ~1 s of imports a first apply never needs
        from schemactl.diff.planfile import LedgerUpToDate, StalePlanError

        try:
            return _migrate(
                settings,
                url,
                dry_run=dry_run,
                allow_destructive=allow_destructive,
                shadow_url=shadow_url,
                schemas=schemas,
                concurrently=concurrently,
                warn=warn,
            )
        except LedgerUpToDate:
            continue  # another apply migrated it to these files first: the next look says so
        except StalePlanError:
            # the schema changed between the diff and the run: look again; three times in
            # a row is reported
            if attempt == 3:
                raise
    # the third migration found another apply had just migrated to these files
    return apply_planned(files_plan, url, settings, dry_run=dry_run, progress=progress, warn=warn)


def _migrate(
    settings: Settings,
    database_url: str,
    *,
    dry_run: bool,
    allow_destructive: bool,
    shadow_url: str | None,
    schemas: Sequence[str] | None,
    concurrently: bool,
    warn: WarnCallback | None,
) -> ApplyResult:
    """Diff the files against a database that has a ledger, and run the diff."""
    from schemactl.diff.planfile import make_plan

    migration = make_plan(
        settings.resolve(settings.sql_dir),
        database_url,
        shadow_url=shadow_url,
        schemas=schemas,
        auth_shim=settings.auth_shim,
        display_root=settings.sql_dir,
        owner=settings.owner,
        concurrently=concurrently,
    )
    return run_migration(
        migration,
        database_url,
        settings,
        allow_destructive=allow_destructive,
        dry_run=dry_run,
        warn=warn,
        kind="diff",
    )


def apply_plan_file(
    plan_file: Path | str,
    database_url: str,
    settings: Settings,
    *,
    allow_destructive: bool = False,
    dry_run: bool = False,
    warn: WarnCallback | None = None,
) -> ApplyResult:
    """Run the plan file ``schemactl plan`` wrote, if the target is still as it was then.

    A file that is missing, cut short, edited or of another version is refused before
    anything connects (:class:`~schemactl.diff.planfile.PlanFileError`, exit 2). The
    target's catalog fingerprint is compared with the plan's under apply's lock, in the
    transaction of the statements: if the schema changed since, nothing runs
    (:class:`~schemactl.diff.planfile.StalePlanError`, exit 2). Destructive changes need
    ``allow_destructive`` here, when the plan runs, whatever the plan was made with.
    ``dry_run`` checks the fingerprint and returns the plan's SQL.
    """
    from schemactl.diff.planfile import read_plan

    return run_migration(
        read_plan(plan_file),
        database_url,
        settings,
        allow_destructive=allow_destructive,
        dry_run=dry_run,
        warn=warn,
        kind="plan",
    )


def run_migration(
    migration: MigrationPlan,
    database_url: str,
    settings: Settings,
    *,
    allow_destructive: bool = False,
    dry_run: bool = False,
    warn: WarnCallback | None = None,
    kind: str = "plan",
) -> ApplyResult:
    """Run a migration plan with the run settings; a lock timeout retried ``lock_retries`` times."""
    from schemactl.core.diff_report import render_diff
    from schemactl.db.apply import with_lock_retries
    from schemactl.db.connect import mask_dsn
    from schemactl.diff.planfile import check_target, execute_plan

    result = migration.result
    marks = {"create": "+", "alter": "~", "drop": "-"}
    changes = tuple(f"{marks.get(c.action, c.action)} {c.kind} {c.name}" for c in result.changes)
    if dry_run:
        check_target(migration, database_url)
        return ApplyResult(
            status="dry_run",
            target=mask_dsn(database_url),
            statements=len(result.statements),
            files=tuple(sorted(migration.files)),
            sql=(render_diff(result, "sql"),),
            changes=changes,
            warnings=result.warnings,
        )
    # a statement's lock timeout is retried, not the wait for another apply
    run = with_lock_retries(
        lambda: execute_plan(
            migration,
            database_url,
            allow_destructive=allow_destructive,
            lock_timeout=settings.lock_timeout,
            statement_timeout=settings.statement_timeout,
            owner=settings.owner,
            kind=kind,
            lock_wait=settings.lock_wait,
        ),
        settings.lock_retries,
        warn,
    )
    return ApplyResult(
        status="migrated",
        target=run.target,
        statements=len(run.statements),
        files=tuple(sorted(migration.files)),
        seconds=run.seconds,
        changes=changes,
        warnings=result.warnings,
    )


def apply_planned(
    plan: Plan,
    database_url: str,
    settings: Settings,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    warn: WarnCallback | None = None,
) -> ApplyResult:
    """Apply an already ordered plan with the run settings (timeouts, shim, owner, strict)."""
    from schemactl.db.apply import apply_plan

    return apply_plan(
        plan,
        database_url,
        dry_run=dry_run,
        lock_timeout=settings.lock_timeout,
        lock_wait=settings.lock_wait,
        lock_retries=settings.lock_retries,
        statement_timeout=settings.statement_timeout,
        auth_shim=settings.auth_shim,
        owner=settings.owner,
        strict=settings.strict,
        progress=progress,
        warn=warn,
    )
