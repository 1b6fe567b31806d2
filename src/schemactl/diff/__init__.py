"""Declarative migrations: what SQL makes a live database's schema equal to a desired one.

``diff_databases(source_url, target_url)`` compares two live databases; ``diff_files(sql_dir,
database_url)`` builds the desired state by applying the SQL files to a throwaway shadow
database; ``apply_diff(result, database_url)`` runs the changes in one transaction.
The comparison and the rendering are pure code (:mod:`schemactl.core.diff`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg

from schemactl.config import DEFAULT_LOCK_TIMEOUT
from schemactl.core.catalog import CatalogModel
from schemactl.core.diff import (
    Change,
    DiffResult,
    committed_first,
    diff_catalogs,
    with_concurrently,
)
from schemactl.core.renames import RenameHint, rename_hints
from schemactl.core.scope import file_schemas
from schemactl.db.connect import connect, database_error, mask_dsn
from schemactl.db.introspect import (
    introspect_each,
    list_schemas,
    managed_schemas,
    require_schemas,
)
from schemactl.db.scratch import create_scratch_database, drop_scratch_database, scratch_name
from schemactl.errors import DatabaseError, RefusedError, one_line
from schemactl.model import Plan
from schemactl.partitions._db import managed_tables
from schemactl.partitions.drift import without_managed

if TYPE_CHECKING:
    from schemactl.db.apply import LockWatch

__all__ = [
    "Change",
    "DiffResult",
    "apply_diff",
    "diff",
    "diff_databases",
    "diff_files",
    "is_snapshot",
    "read_models",
    "read_snapshot",
]

# on_models(database's model, desired model, scope): what a diff compared, for a plan's
# fingerprints; scope is the schemas list it was read over (None: every managed schema)
ModelsCallback = Callable[[CatalogModel, CatalogModel, "tuple[str, ...] | None"], None]
# before(conn, first) right after apply_diff took the apply lock in each of its transactions;
# after(conn) once the last one's statements ran, before it commits (a plan's check, the ledger);
# with steps outside the transaction (concurrently), in a transaction of its own after them
TransactionHook = Callable[[psycopg.Connection[Any], bool], None]
FinalHook = Callable[[psycopg.Connection[Any]], None]


@contextmanager
def _session(url: str) -> Iterator[psycopg.Connection[Any]]:
    """One connection to ``url``; server errors become one-line user errors."""
    conn = connect(url, lock_timeout=None)
    try:
        yield conn
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()


def read_models(
    source_url: str, target_url: str, schemas: Sequence[str] | None = None
) -> tuple[CatalogModel, CatalogModel]:
    """The catalog models of both databases, over the same managed schemas.

    Without ``schemas``: every schema present in either database except PostgreSQL's own,
    the extensions', schemactl's ledger, ``auth`` and the platform schemas
    (:data:`schemactl.db.introspect.UNMANAGED_SCHEMAS`). One connection per database.
    Either side may be a snapshot file (a path ending in ``.json``, see :func:`is_snapshot`):
    its model is read from the file, and the schemas it was taken over are compared too.
    """
    with ExitStack() as stack:
        sides = [
            read_snapshot(url) if is_snapshot(url) else stack.enter_context(_session(url))
            for url in (source_url, target_url)
        ]
        snapshots = [side for side in sides if isinstance(side, CatalogModel)]
        present = {
            s for side in sides if not isinstance(side, CatalogModel) for s in list_schemas(side)
        }
        managed = _snapshot_scope(present, snapshots, (source_url, target_url), schemas)
        # both databases are read at the same time (introspect_each)
        live = iter(introspect_each([s for s in sides if not isinstance(s, CatalogModel)], managed))
        source, target = (side if isinstance(side, CatalogModel) else next(live) for side in sides)
        # partitions made by `schemactl partitions ensure` are not drift (docs/partitions.md)
        made = [set() if isinstance(s, CatalogModel) else managed_tables(s) for s in sides]
        return without_managed(source, made[0], target), without_managed(target, made[1], source)


def is_snapshot(url_or_path: str) -> bool:
    """True when ``url_or_path`` is a path ending in ``.json`` (a catalog snapshot), not a URL."""
    return url_or_path.endswith(".json") and "://" not in url_or_path and "=" not in url_or_path


def read_snapshot(path: str | Path) -> CatalogModel:
    """The catalog model a ``schemactl snapshot`` file holds (exit 2 if it is not one)."""
    from schemactl.core.catalog_json import loads
    from schemactl.errors import ConfigError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(
            f"{path}: cannot read the snapshot file: {reason}",
            hint="write one with `schemactl snapshot --database-url URL -o FILE`",
        ) from None
    return loads(text, source=str(path))


def _snapshot_scope(
    present: set[str],
    snapshots: list[CatalogModel],
    names: tuple[str, str],
    schemas: Sequence[str] | None,
) -> tuple[str, ...]:
    """The schemas compared: a snapshot brings the schemas it was taken over."""
    from schemactl.errors import ConfigError

    taken = {s for model in snapshots for s in model.schemas}
    if schemas is not None:
        extra = sorted(taken - set(schemas))
        if extra:
            files = ", ".join(n for n in names if is_snapshot(n))
            raise ConfigError(
                f"{files}: the snapshot holds schema(s) {', '.join(extra)} that --schema leaves out",
                hint="name them with --schema too, or take the snapshot with the same --schema",
            )
        # a misspelled or system schema compared nothing and said "no drift" (exit 0)
        require_schemas(present | taken, schemas)
        return managed_schemas(present, schemas)
    return tuple(sorted(set(managed_schemas(present)) | taken))


def diff_databases(
    source_url: str,
    target_url: str,
    *,
    schemas: Sequence[str] | None = None,
    allow_destructive: bool = False,
    owners: bool = False,
    on_models: ModelsCallback | None = None,
    renames: Sequence[RenameHint] = (),
    concurrently: bool = False,
) -> DiffResult:
    """What must run on ``source_url`` to make its schema equal to ``target_url``'s.

    Destructive changes are returned whatever ``allow_destructive`` says (they are listed
    in ``DiffResult.destructive``); :func:`apply_diff` is where they are refused. Owners
    are compared only with ``owners``. ``renames``: rename hints of the files that built
    ``target_url`` (:func:`schemactl.core.renames.rename_hints`). With ``concurrently``,
    indexes on existing tables are built ``CONCURRENTLY`` and validations run after the
    transaction (:func:`schemactl.core.diff.with_concurrently`).
    """
    source, target = read_models(source_url, target_url, schemas)
    if on_models is not None:
        on_models(source, target, tuple(schemas) if schemas is not None else None)
    return diff_catalogs(
        source, target, owners=owners, renames=renames, concurrently=concurrently
    )


def _shadow_server(shadow_url: str | None) -> str:
    if shadow_url is not None:
        return shadow_url
    from schemactl.db.embedded import start

    return start()


def diff_files(
    sql_dir: Path | str,
    database_url: str,
    *,
    shadow_url: str | None = None,
    schemas: Sequence[str] | None = None,
    allow_destructive: bool = False,
    auth_shim: str = "auto",
    display_root: Path | str | None = None,
    owners: bool = False,
    owner: str | None = None,
    on_models: ModelsCallback | None = None,
    concurrently: bool = False,
) -> DiffResult:
    """What must run on ``database_url`` to make its schema equal to what ``sql_dir`` builds.

    The files are ordered and applied (auth shim as ``auth_shim`` says) to a fresh shadow
    database: a new database on the embedded server, or with ``shadow_url`` on that
    server. The shadow is always dropped, also on error or Ctrl-C. Without ``schemas``, the
    schemas the files create or put objects in and ``public`` are compared (never
    :data:`~schemactl.db.introspect.UNMANAGED_SCHEMAS`): objects in other schemas of the
    database are not drift. For an exact
    comparison the shadow server should run the same major version as the target. With
    ``owner`` the files run as that role in the shadow (as ``apply --owner`` does); owners
    are compared only with ``owners``. Rename hints of the files
    (``-- schemactl: renamed from old``) become renames; ``concurrently`` as for
    :func:`diff_databases`.
    """
    from schemactl.core.plan import build_plan
    from schemactl.db.apply import apply_plan

    plan = build_plan(Path(sql_dir), display_root=display_root or sql_dir)
    hints, hint_warnings = rename_hints(plan.files)
    if schemas is None and not is_snapshot(database_url):
        from schemactl.db.introspect import UNMANAGED_SCHEMAS

        # the schemas the files create or put objects in, and public: others are not drift
        schemas = file_schemas(plan, UNMANAGED_SCHEMAS)
    if auth_shim == "auto":
        # the shadow gets the auth compat layer when the database compared has auth.uid()
        # (the shim, or Supabase's own): a fresh shadow always lacks it
        auth_shim = "always" if _has_auth_uid(database_url) else "never"
    server = _shadow_server(shadow_url)
    name = scratch_name("shadow")
    admin = connect(server, lock_timeout=None, autocommit=True)
    try:
        shadow = create_scratch_database(
            admin,
            server,
            name,
            what="shadow",
            hint="the shadow server's role needs CREATEDB (--shadow-url)",
            owner=_shadow_owner(admin, owner),
        )
        try:
            apply_plan(plan, shadow, lock_timeout=None, auth_shim=auth_shim, owner=owner)
            result = diff_databases(
                database_url,
                shadow,
                schemas=schemas,
                allow_destructive=allow_destructive,
                owners=owners,
                on_models=on_models,
                renames=hints,
                concurrently=concurrently,
            )
            warnings = (*hint_warnings, *result.warnings, *data_statement_warnings(plan))
            return replace(result, warnings=warnings)
        finally:
            drop_scratch_database(admin, name)
    finally:
        admin.close()


# Statements that change rows, not the schema: a diff of catalogs cannot see them.
_DATA_KINDS = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY")


def data_statement_warnings(plan: Plan) -> tuple[str, ...]:
    """``file:line:col: INSERT ...`` for each statement of the files that changes data."""
    return tuple(
        f"{st.location}: {st.kind.split()[0]} changes data, not the schema: diff does not "
        "carry it to the database (seed data belongs in a script run after apply, or in "
        "the test fixtures)"
        for st in plan.statements
        if st.kind.split()[:1] and st.kind.split()[0] in _DATA_KINDS
    )


def _shadow_owner(admin: psycopg.Connection[Any], owner: str | None) -> str | None:
    """The owner of the shadow database: ``owner`` when that role exists on its server.

    Files applied as ``owner`` must be able to create in ``public``: since PostgreSQL 15
    only the database owner may (``public`` belongs to ``pg_database_owner``), and owning
    the database grants that without an ACL entry the diff would see.
    """
    if owner is None:
        return None
    row = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (owner,)).fetchone()
    return owner if row is not None else None


def _has_auth_uid(url: str) -> bool:
    if is_snapshot(url):  # the auth schema is never in a snapshot: its callers are
        return any(
            name in text
            for name in ("auth.uid()", "auth.jwt()", "auth.role()")
            for text in _snapshot_texts(read_snapshot(url))
        )
    with _session(url) as conn:
        row = conn.execute("SELECT to_regprocedure('auth.uid()') IS NOT NULL").fetchone()
        return bool(row and row[0])


def _snapshot_texts(model: CatalogModel) -> Iterator[str]:
    yield from (f.definition for f in model.functions.values())
    yield from (v.definition for v in model.views.values())
    for p in model.policies.values():
        yield from (p.using or "", p.with_check or "")


def apply_diff(
    result: DiffResult,
    database_url: str,
    *,
    allow_destructive: bool = False,
    lock_timeout: str | None = DEFAULT_LOCK_TIMEOUT,
    statement_timeout: str | None = None,
    before: TransactionHook | None = None,
    after: FinalHook | None = None,
    concurrently: bool = False,
    lock_wait: str | None = "60s",
) -> None:
    """Run ``result.statements`` on ``database_url`` in one transaction, under apply's lock.

    Labels added to enum types run and commit first, in a transaction of their own (a new
    label cannot be used in the transaction that added it). Refuses
    (:class:`~schemactl.errors.RefusedError`, exit 3) when the result has destructive
    changes and ``allow_destructive`` is false; nothing runs then. On any error the
    transaction is rolled back and the database is unchanged. Refuses (exit 3) too when
    the result lists differences it cannot migrate (``unsupported``): nothing half-way.
    ``before(conn, first)`` runs in each transaction right after the lock is taken,
    ``after(conn)`` after the statements of the last one, before it commits (both in the
    transaction: a plan's fingerprint check, the ledger; with ``result.outside``, ``after``
    runs once those ran, in a transaction of its own, so a failed step leaves no ledger); with either, an empty result
    still runs one transaction for them. The wait for apply's lock (another apply running)
    is bounded by ``lock_wait``, as ``apply`` bounds it, and reported as such
    (:class:`~schemactl.errors.ApplyLockTimeoutError` naming the holder, never retried);
    ``None`` leaves it to ``lock_timeout``. A statement's lock timeout names the session
    that held the lock; a lost connection says so (and, during COMMIT, that the outcome
    is unknown).

    ``result.outside`` (a diff with ``concurrently``; ``concurrently=True`` here turns a
    result into one, :func:`~schemactl.core.diff.with_concurrently`) runs after the last
    transaction commits, each statement alone, under apply's lock taken for the session:
    ``CREATE INDEX CONCURRENTLY`` cannot run in a transaction block. If one fails, what
    committed stays; the error says so, and the next diff rebuilds the INVALID index it
    left and validates what is left.
    """
    from schemactl.db.apply import APPLY_LOCK_KEY, connection_lost, take_apply_lock, watch_locks

    if result.unsupported:
        names = "; ".join(result.unsupported[:5])
        more = f" (and {len(result.unsupported) - 5} more)" if len(result.unsupported) > 5 else ""
        raise RefusedError(
            f"{mask_dsn(database_url)}: {len(result.unsupported)} difference(s) the diff "
            f"cannot migrate: {names}{more}; nothing was changed",
            hint="migrate these by hand (or change the files), then diff again: applying "
            "the rest would leave the schema half-way",
        )
    if result.destructive and not allow_destructive:
        names = ", ".join(f"{c.action} {c.kind} {c.name}" for c in result.destructive[:5])
        more = f" (and {len(result.destructive) - 5} more)" if len(result.destructive) > 5 else ""
        raise RefusedError(
            f"{mask_dsn(database_url)}: {len(result.destructive)} destructive change(s): "
            f"{names}{more}; nothing was changed",
            hint="review them, then pass --allow-destructive (allow_destructive=True)",
        )
    if concurrently:
        result = with_concurrently(result)
    if not result.statements and before is None and after is None:
        return
    first, rest = committed_first(result)
    batches = [batch for batch in (first, rest) if batch] or [()]
    target = mask_dsn(database_url)
    conn = connect(database_url, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
    committing = False
    labels = 0  # enum labels committed by the first of two transactions
    try:
        for number, batch in enumerate(batches):
            committing = False
            with conn.transaction():
                if lock_wait is None:
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
                    lock_timeout_ms = _setting_ms(conn, "lock_timeout")
                else:
                    lock_timeout_ms = take_apply_lock(conn, database_url, target, lock_wait)
                if before is not None:
                    before(conn, number == 0)
                with watch_locks(database_url, conn, lock_timeout_ms) as watch:
                    for statement in batch:
                        if watch is not None:
                            watch.start()
                        _run(conn, statement, watch)
                if after is not None and number == len(batches) - 1 and not result.outside:
                    after(conn)
                committing = True
            if batch is first and len(batches) > 1:
                labels = len(first)
        labels, committing = 0, False  # every transaction committed
        if result.outside:
            _run_outside(conn, result.outside, APPLY_LOCK_KEY, after)
    except psycopg.Error as exc:
        # the connection died mid-run (pg_terminate_backend, a restart), or COMMIT failed
        if conn.broken:
            raise _labels_kept(connection_lost(target, exc, committing), labels) from None
        raise _labels_kept(database_error(exc), labels) from None
    except DatabaseError as error:
        raise _labels_kept(error, labels) from None
    finally:
        conn.close()


def _setting_ms(conn: psycopg.Connection[Any], name: str) -> int:
    row = conn.execute("SELECT setting::int FROM pg_settings WHERE name = %s", (name,)).fetchone()
    return int(row[0]) if row else 0


def _labels_kept(error: DatabaseError, labels: int) -> DatabaseError:
    """``error`` of the main transaction, saying that enum labels committed before it stay."""
    if not labels or isinstance(error, RefusedError):
        return error
    kept = (
        f"nothing else was changed: the {labels} enum label(s) added before, in a "
        "transaction of their own, stay (apply the files again to complete the migration; "
        "a plan made before is stale)"
    )
    message = error.message.replace("nothing was changed", kept)
    if message == error.message:
        message = f"{message}; {kept}"
    hint = (error.hint or "").replace("nothing was changed; ", "") or None
    return type(error)(message, hint=hint, sqlstate=error.sqlstate, detail=error.detail)


def _run_outside(
    conn: psycopg.Connection[Any],
    statements: Sequence[str],
    key: int,
    after: FinalHook | None = None,
) -> None:
    """Each statement alone, outside any transaction block, under apply's session lock.

    ``after`` (the ledger) runs once every one of them ran, in a transaction of its own:
    a run whose concurrent step failed is not recorded, so the next apply diffs again
    (rebuilding the INVALID index, validating what is left) instead of finding the files
    up to date.
    """
    conn.autocommit = True
    conn.execute("SELECT pg_advisory_lock(%s)", (key,))
    try:
        for done, statement in enumerate(statements):
            try:
                _run(conn, statement)
            except psycopg.Error as exc:  # the connection is gone (_run re-raised it)
                reason = one_line(exc.diag.message_primary or str(exc).strip() or "closed")
                raise DatabaseError(
                    f"the connection to the server was lost ({reason}) in: "
                    f"{statement.splitlines()[0][:120]}; the transactional part and {done} "
                    f"step(s) after it were committed, {len(statements) - done - 1} did not run",
                    hint="run apply again: the next diff rebuilds an INVALID index a failed "
                    "CREATE INDEX CONCURRENTLY left, and validates what is left",
                ) from None
            except DatabaseError as exc:
                left = len(statements) - done - 1
                raise DatabaseError(
                    f"{exc.message}; the transactional part and {done} step(s) after it "
                    f"were committed, {left} did not run",
                    hint="fix the cause (a duplicate for a unique index, a row the constraint "
                    "rejects), then apply again (the ledger waits for every step): its diff "
                    "drops and rebuilds an INVALID index a failed CREATE INDEX CONCURRENTLY "
                    "left, and validates what is left",
                    sqlstate=exc.sqlstate,
                    detail=exc.detail,
                ) from None
        if after is not None:
            try:
                with conn.transaction():
                    after(conn)
            except psycopg.Error as exc:
                error = database_error(exc)
                raise DatabaseError(
                    f"{error.message}; the migration and its {len(statements)} step(s) after "
                    "the transaction were committed, the ledger was not written",
                    hint="apply again: its diff finds nothing left to do and writes the ledger",
                    sqlstate=error.sqlstate,
                ) from None
    finally:
        if not conn.broken:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _run(conn: psycopg.Connection[Any], statement: str, watch: LockWatch | None = None) -> None:
    """Run one statement; its error names it, and a lock timeout who held the lock."""
    from schemactl.db.apply import name_blocker

    try:
        conn.execute(statement.encode())
    except psycopg.Error as exc:
        if conn.broken:
            raise  # the connection is gone: apply_diff says so
        error = database_error(exc)
        first = statement.splitlines()[0][:120]
        error = type(error)(
            f"{error.message} (in: {first})",
            hint=error.hint,
            sqlstate=error.sqlstate,
            detail=error.detail,
        )
        raise name_blocker(error, watch.found if watch is not None else None) from None


def diff(
    sql_dir: Path | str | None = None,
    *,
    database_url: str | None = None,
    from_url: str | None = None,
    to_url: str | None = None,
    shadow_url: str | None = None,
    schemas: Sequence[str] | None = None,
    owners: bool = False,
    project_dir: Path | str | None = None,
    concurrently: bool = False,
) -> DiffResult:
    """The library twin of ``schemactl diff``: files vs a database, or ``from_url`` vs ``to_url``.

    With ``from_url`` and ``to_url`` two live databases are compared (``sql_dir`` and
    ``database_url`` must not be given). Else the SQL dir (from the argument or the config)
    is compared with the database of ``--database-url`` / ``DATABASE_URL`` / the config /
    the embedded server. ``schemas`` (else the ``schemas`` setting, else what the files
    manage, see :func:`diff_files`) limits the comparison; ``--from``/``--to`` compare every
    schema but the unmanaged ones unless ``schemas`` is given.
    """
    from schemactl.config import database_url_of, load_settings
    from schemactl.db.embedded import resolve_database_url
    from schemactl.errors import ConfigError

    if from_url is not None or to_url is not None:
        if from_url is None or to_url is None:
            raise ConfigError("--from and --to go together: give both database URLs")
        if sql_dir is not None or database_url is not None:
            raise ConfigError("give either SQL_DIR (and --database-url) or --from/--to, not both")
        for option, url in (("--from", from_url), ("--to", to_url)):
            if not url.strip():
                raise ConfigError(f"empty database URL from option {option}")
        return diff_databases(
            from_url, to_url, schemas=schemas, owners=owners, concurrently=concurrently
        )
    settings = load_settings(project_dir, sql_dir=sql_dir, database_url=database_url)
    database_url_of(settings)  # an empty URL fails before anything starts
    return diff_files(
        settings.resolve(settings.sql_dir),
        resolve_database_url(settings),
        shadow_url=shadow_url,
        schemas=schemas if schemas is not None else settings.schemas,
        auth_shim=settings.auth_shim,
        display_root=settings.sql_dir,
        owners=owners,
        owner=settings.owner,
        concurrently=concurrently,
    )
