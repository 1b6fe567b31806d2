"""The library twin of the CLI: one function per command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from schemactl.config import Settings, database_url_of, load_settings
from schemactl.model import ApplyResult, Plan

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
    progress: ProgressCallback | None = None,
    warn: WarnCallback | None = None,
    project_dir: Path | str | None = None,
) -> ApplyResult:
    """Apply the ordered SQL of ``sql_dir`` to a database in one transaction.

    With no database URL from options, environment or config, the embedded
    server of the project is started and used. With ``owner``, the statements run
    as that role (``SET ROLE``), so it owns every object they create. A statement
    that had to wait for an object the order did not know it needs is listed in
    ``ApplyResult.deferred``; with ``strict`` that is an error. Another apply running
    on the same database is waited for up to ``lock_wait``; a statement whose lock wait
    times out (``lock_timeout``) rolls everything back and, with ``lock_retries``, the
    whole apply is run again after a backoff, each retry reported through ``warn``.
    """
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
    # strict at apply is about deferrals: a reference no file creates is the server's to
    # judge (the auth shim or the database may provide it), not a reason to refuse
    return apply_planned(
        plan_for(replace(settings, strict=False)),
        resolve_database_url(settings),
        settings,
        dry_run=dry_run,
        progress=progress,
        warn=warn,
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
