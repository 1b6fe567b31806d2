"""Apply an ordered plan to a database: one transaction, one lock, all or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from schemactl import __version__
from schemactl.core.discover import file_digests
from schemactl.core.plan import created_objects
from schemactl.core.render import dry_run_chunks
from schemactl.db import resources
from schemactl.db.connect import connect, database_error, mask_dsn
from schemactl.errors import ConfigError, DatabaseError, RefusedError, SourceError
from schemactl.model import ApplyResult, Plan, Statement

# Key of the transaction-level advisory lock every apply takes: two applies on
# one database never interleave; the second waits up to lock_timeout.
APPLY_LOCK_KEY = 0x5C4E_3AC7  # "schemactl"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class LedgerDiff:
    """How the SQL files differ from what the ledger says was applied."""

    changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when files and ledger agree."""
        return not (self.changed or self.added or self.removed)

    def describe(self) -> str:
        """One line naming every differing file."""
        parts = []
        for label, paths in (
            ("changed", self.changed),
            ("added", self.added),
            ("removed", self.removed),
        ):
            if paths:
                parts.append(f"{label}: {', '.join(paths)}")
        return "; ".join(parts)


# Statement kinds that would end or split apply's one transaction (COMMIT inside it
# really commits): refused before anything runs.
TRANSACTION_CONTROL = frozenset(
    {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE"}
)


def check_single_transaction(plan: Plan) -> None:
    """Refuse a plan with transaction control: apply is one transaction, all or nothing."""
    for statement in plan.statements:
        word = statement.kind.split()[0] if statement.kind else ""
        if word in TRANSACTION_CONTROL:
            raise SourceError(
                statement.file.display,
                statement.line,
                statement.col,
                f"{word} is not allowed: schemactl applies every file in one transaction",
                hint="remove the transaction control statement",
            )


def compare_ledger(applied: dict[str, str], current: dict[str, str]) -> LedgerDiff:
    """Compare the ledger (path -> sha256) with the files on disk."""
    return LedgerDiff(
        changed=tuple(sorted(p for p in current if p in applied and applied[p] != current[p])),
        added=tuple(sorted(p for p in current if p not in applied)),
        removed=tuple(sorted(p for p in applied if p not in current)),
    )


def read_ledger(conn: psycopg.Connection[Any]) -> dict[str, str] | None:
    """Files recorded by earlier runs, or None when schemactl never ran here."""
    row = conn.execute("SELECT to_regclass('schemactl.applied_files') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    rows = conn.execute(resources.query("applied_files")).fetchall()
    return {path: digest for path, digest in rows}


def auth_shim_needed(conn: psycopg.Connection[Any], mode: str) -> bool:
    """Whether to run the Supabase compat layer: ``auto`` only when auth.uid() is missing."""
    if mode == "never":
        return False
    if mode == "always":
        return True
    row = conn.execute("SELECT to_regprocedure('auth.uid()') IS NULL").fetchone()
    return bool(row and row[0])


# Statements go to the server in batches: one simple-query message per batch instead of
# one round trip per statement (8,000 statements: 40 round trips, not 8,000). A batch is
# wrapped in a savepoint, so when it fails it is rolled back and re-run one statement
# at a time to name the exact statement, file:line:col, that the server refused.
BATCH_STATEMENTS = 200
BATCH_CHARS = 256 * 1024
_SAVEPOINT = "schemactl_batch"


def _batches(statements: Sequence[Statement]) -> list[Sequence[Statement]]:
    batches: list[Sequence[Statement]] = []
    start, size = 0, 0
    for i, statement in enumerate(statements):
        if i > start and (i - start >= BATCH_STATEMENTS or size + len(statement.sql) > BATCH_CHARS):
            batches.append(statements[start:i])
            start, size = i, 0
        size += len(statement.sql)
    if start < len(statements):
        batches.append(statements[start:])
    return batches


def _locate_failure(cur: psycopg.Cursor[Any], batch: Sequence[Statement]) -> Exception:
    """Re-run a failed batch statement by statement: the error of the one that fails."""
    cur.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
    for statement in batch:
        try:
            cur.execute(statement.sql)
        except psycopg.Error as exc:
            return database_error(exc, statement)
    # Not reproducible alone (should not happen): blame the batch's first statement.
    return database_error(psycopg.Error("batch failed but no statement fails alone"), batch[0])


def _run_statements(
    conn: psycopg.Connection[Any], statements: Sequence[Statement], progress: Progress | None
) -> None:
    total = len(statements)
    done = 0
    with conn.cursor() as cur:
        for batch in _batches(statements):
            if progress is not None:
                progress(done + 1, total, batch[0].location)
            text = ";\n".join(
                [f"SAVEPOINT {_SAVEPOINT}", *(st.sql for st in batch), f"RELEASE {_SAVEPOINT}"]
            )
            try:
                cur.execute(text)
            except psycopg.OperationalError as exc:
                if exc.sqlstate is None:  # the connection itself failed
                    raise
                raise _locate_failure(cur, batch) from None
            except psycopg.Error:
                raise _locate_failure(cur, batch) from None
            done += len(batch)
        if progress is not None and total:
            progress(total, total, statements[-1].location)


def _record_run(
    conn: psycopg.Connection[Any], plan: Plan, digests: dict[str, str], shim: bool
) -> None:
    conn.execute(resources.script("ledger"))
    row = conn.execute(
        "INSERT INTO schemactl.runs (tool_version, sql_dir, statements, auth_shim)"
        " VALUES (%s, %s, %s, %s) RETURNING id",
        (__version__, plan.sql_dir, len(plan.statements), shim),
    ).fetchone()
    assert row is not None
    run_id = row[0]
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO schemactl.applied_files (path, sha256, run_id) VALUES (%s, %s, %s)"
            " ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, run_id = excluded.run_id,"
            " applied_at = clock_timestamp()",
            [(path, digest, run_id) for path, digest in sorted(digests.items())],
        )
    conn.execute(
        "UPDATE schemactl.runs SET finished_at = clock_timestamp() WHERE id = %s", (run_id,)
    )


def _become_owner(conn: psycopg.Connection[Any], owner: str, shim: bool) -> None:
    """SET LOCAL ROLE ``owner``; after installing the shim, give it what Supabase's owner has."""
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (owner,)).fetchone() is None:
        raise ConfigError(
            f"owner role {owner!r} does not exist",
            hint=f"create it first (CREATE ROLE {owner} NOLOGIN) or drop --owner",
        )
    if shim:
        role = sql.Identifier(owner)
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA auth TO {}").format(role))
        conn.execute(sql.SQL("GRANT SELECT, REFERENCES ON auth.users TO {}").format(role))
    try:
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner)))
    except psycopg.Error as exc:
        raise database_error(exc) from None


def apply_plan(
    plan: Plan,
    database_url: str,
    *,
    dry_run: bool = False,
    lock_timeout: str | None = "5s",
    statement_timeout: str | None = None,
    auth_shim: str = "auto",
    owner: str | None = None,
    progress: Progress | None = None,
) -> ApplyResult:
    """Run every statement of ``plan`` against ``database_url`` in ONE transaction.

    Takes ``pg_advisory_xact_lock`` first so concurrent applies serialise;
    ``lock_timeout`` bounds every lock wait (the advisory lock included).
    Refuses (exit 3) when the ledger shows files changed since the last apply;
    does nothing when every file is already applied unchanged. On any error
    the transaction is rolled back and the failing statement's file:line:col
    is reported: the database is left as it was. With ``owner`` the statements
    run as that role (the shim and the ledger as the connecting role).
    """
    check_single_transaction(plan)
    started = time.perf_counter()
    target = mask_dsn(database_url)
    digests = file_digests(plan.files)
    conn = connect(database_url, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
    try:
        with conn.transaction(force_rollback=dry_run):
            try:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
            except psycopg.errors.LockNotAvailable as exc:
                raise DatabaseError(
                    f"{target}: another schemactl apply holds the apply lock",
                    hint="wait for it to finish, or raise --lock-timeout",
                    sqlstate=exc.diag.sqlstate,
                ) from None
            applied = read_ledger(conn)
            if applied is not None:
                diff = compare_ledger(applied, digests)
                if diff.empty:
                    return ApplyResult(
                        status="up_to_date",
                        target=target,
                        statements=0,
                        files=tuple(sorted(digests)),
                        seconds=time.perf_counter() - started,
                    )
                raise RefusedError(
                    f"{target}: files differ from the last apply ({diff.describe()}); "
                    "nothing was changed",
                    hint="apply them to a fresh database, or migrate by hand until "
                    "`schemactl diff` exists",
                )
            shim = auth_shim_needed(conn, auth_shim)
            if dry_run:
                prelude = (resources.script("auth_shim"),) if shim else ()
                return ApplyResult(
                    status="dry_run",
                    target=target,
                    statements=len(plan.statements),
                    files=tuple(f.relpath for f in plan.files),
                    auth_shim_installed=shim,
                    sql=prelude + dry_run_chunks(plan),
                )
            if shim:
                try:
                    conn.execute(resources.script("auth_shim"))
                except psycopg.Error as exc:
                    raise database_error(exc) from None
            if owner:
                _become_owner(conn, owner, shim)
            _run_statements(conn, plan.statements, progress)
            if owner:
                conn.execute("RESET ROLE")
            _record_run(conn, plan, digests, shim)
    except psycopg.OperationalError as exc:
        # the connection died mid-run: the server rolls the transaction back
        raise database_error(exc) from None
    finally:
        conn.close()
    return ApplyResult(
        status="applied",
        target=target,
        statements=len(plan.statements),
        files=tuple(f.relpath for f in plan.files),
        created=created_objects(plan),
        auth_shim_installed=shim,
        seconds=time.perf_counter() - started,
    )
