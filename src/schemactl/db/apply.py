"""Apply an ordered plan to a database: one transaction, one lock, all or nothing."""

from __future__ import annotations

import contextlib
import random
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg
from psycopg import pq, sql

from schemactl import __version__
from schemactl.config import DEFAULT_LOCK_TIMEOUT
from schemactl.core.discover import file_digests
from schemactl.core.plan import created_objects
from schemactl.core.refuse import check_plan
from schemactl.core.render import dry_run_chunks
from schemactl.db import resources
from schemactl.db.connect import connect, database_error, mask_dsn
from schemactl.errors import (
    ApplyError,
    ApplyLockTimeoutError,
    ConfigError,
    DatabaseError,
    LockTimeoutError,
    RefusedError,
    one_line,
)
from schemactl.model import ApplyResult, Plan, Statement

# Key of the transaction-level advisory lock every apply takes: two applies on
# one database never interleave; the second waits up to lock_wait (not lock_timeout,
# which bounds the statements' waits for table locks), then finds the files applied.
APPLY_LOCK_KEY = 0x5C4E_3AC7  # "schemactl"

# --lock-retries: the first retry comes after about RETRY_BACKOFF seconds, each next one
# after twice as long; each delay is drawn from [delay / 2, delay] so that applies that
# timed out together do not come back together.
RETRY_BACKOFF = 0.5

Progress = Callable[[int, int, str], None]
Warn = Callable[[str], None]
T = TypeVar("T")


def _short_query(query: str | None, limit: int = 60) -> str:
    text = " ".join((query or "").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe_backend(
    pid: int, user: str | None, app: str | None, state: str | None, query: str | None
) -> str:
    """``pid 42 (application "psql", user app, idle in transaction; query "LOCK ...")``."""
    parts = [f'application "{app}"' if app else "no application_name", f"user {user}"]
    if state:
        parts.append(state)
    return f'pid {pid} ({", ".join(parts)}; query "{_short_query(query)}")'


def _probe_connection(database_url: str) -> psycopg.Connection[Any]:
    """A short-lived side session for the lock look-ups, itself bounded in every way."""
    return connect(
        database_url,
        lock_timeout="1s",
        statement_timeout="2s",
        application_name="schemactl (lock probe)",
        autocommit=True,
        connect_timeout=2,
    )


def apply_lock_holders(database_url: str) -> str | None:
    """Who holds apply's advisory lock on ``database_url``, as one phrase; None if unknown.

    Best effort: any failure of the look-up itself gives None, never an error.
    """
    try:
        with _probe_connection(database_url) as conn:
            rows = conn.execute(
                resources.query("apply_lock_holders"), {"key": APPLY_LOCK_KEY}
            ).fetchall()
    except Exception:  # the look-up must never replace the real error
        return None
    if not rows:
        return None
    return "held by " + _describe_backend(*rows[0])


class LockWatch:
    """Looks, from a side session, at what apply's backend waits for while a pipeline runs.

    When a lock wait times out (55P03) the server forgets the request at once, so who
    blocked it can only be seen while it waits. The server sends a pipeline's results
    only at its Sync, so the client cannot tell which statement is running: instead,
    every ``interval`` seconds (half of lock_timeout, at most 1 s) while the pipeline's
    results are still out, the watch asks pg_stat_activity whether the backend waits for
    a lock and, if so, pg_locks / pg_blocking_pids who holds it. A wait that times out
    lasted lock_timeout, so at least one look fell inside it: the latest look names the
    blocker. The side session opens on the first look; any failure of it (or of a look)
    just leaves the error as the server gave it.
    """

    def __init__(self, database_url: str, backend_pid: int, lock_timeout_ms: int) -> None:
        self.database_url = database_url
        self.backend_pid = backend_pid
        self.interval = min(max(lock_timeout_ms / 2000, 0.05), 1.0)
        self.conn: psycopg.Connection[Any] | None = None
        self.broken = False
        self.found: str | None = None  # what the latest look saw apply's backend wait for
        self.due = 0.0

    def start(self) -> None:
        """A pipeline was sent: forget earlier looks, next look in ``interval``."""
        self.found = None
        self.due = time.monotonic() + self.interval

    def timeout(self) -> float | None:
        """Seconds until the next look is due (looking first when it is due now)."""
        if self.broken:
            return None
        if time.monotonic() >= self.due:
            self._probe()
            self.due = time.monotonic() + self.interval
        return max(self.due - time.monotonic(), 0.0)

    def _probe(self) -> None:
        try:
            if self.conn is None:
                self.conn = _probe_connection(self.database_url)
            waiting = self.conn.execute(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s",
                (self.backend_pid,),
            ).fetchone()
            rows = []
            if waiting is not None and waiting[0]:
                rows = self.conn.execute(
                    resources.query("lock_blockers"), {"pid": self.backend_pid}
                ).fetchall()
        except Exception:  # best effort: never let the look-up fail apply
            self.broken = True
            self.close()
            return
        if not rows:
            self.found = None
            return
        mode, locktype, relation, *blocker = rows[0]
        what = f"relation {relation}" if relation else locktype
        more = f" (and {len(rows) - 1} more)" if len(rows) > 1 else ""
        self.found = f"waited for {mode} on {what}, held by {_describe_backend(*blocker)}{more}"

    def close(self) -> None:
        """Close the side session, if one was opened."""
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


@contextlib.contextmanager
def watch_locks(
    database_url: str, conn: psycopg.Connection[Any], lock_timeout_ms: int
) -> Iterator[LockWatch | None]:
    """A :class:`LockWatch` of ``conn``'s backend that looks from a thread of its own.

    For statements sent one at a time with ``conn.execute`` (a migration), which block the
    calling thread: call ``start()`` before each, read ``found`` after a lock timeout.
    None (no watch) when ``lock_timeout_ms`` is 0: a wait that never times out.
    """
    if lock_timeout_ms <= 0:
        yield None
        return
    watch = LockWatch(database_url, conn.info.backend_pid, lock_timeout_ms)
    watch.start()
    stop = threading.Event()

    def look() -> None:
        while True:
            wait = watch.timeout()
            if wait is None or stop.wait(max(wait, 0.01)):
                return

    watcher = threading.Thread(target=look, name="schemactl lock watch", daemon=True)
    watcher.start()
    try:
        yield watch
    finally:
        stop.set()
        watcher.join()
        watch.close()


class FilesChangedError(RefusedError):
    """The database has a ledger and the files differ from it: a diff must migrate it.

    :func:`apply_plan` runs the ordered files, which only creates a schema from nothing;
    :func:`schemactl.api.apply` catches this and migrates the database with a diff.
    """

    def __init__(self, message: str, *, hint: str | None = None, diff: LedgerDiff) -> None:
        super().__init__(message, hint=hint)
        self.diff = diff


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


# Statements go to the server in libpq's pipeline mode: each statement is its own
# extended-protocol query (Parse/Bind/Execute), sent without waiting for the one before,
# and each has its own result. The server stops at the first error and reports it in
# that statement's result: the error is attributed to its statement without re-running
# anything, and a lock wait or a slow statement is paid once.
#
# Savepoints are rare on purpose: a SAVEPOINT per statement would give every statement a
# subtransaction, and past 64 of them (PGPROC_MAX_CACHED_SUBXIDS) the backend's subxact
# cache overflows, which slows every other session's snapshots until commit. A batch of
# statements shares one savepoint (SAVEPOINT, the statements, RELEASE in one pipeline,
# one round trip), and batches grow with the plan so that a run never takes more than
# MAX_SAVEPOINTS of them. The savepoint exists for the safety net only: when a statement
# fails because an object it needs does not exist yet, the batch is rolled back to it.
BATCH_STATEMENTS = 200  # smallest batch: what the rare fallback may have to re-send
MIN_BATCH_STATEMENTS = 16  # after a deferral batches shrink, down to this, then grow back
MAX_SAVEPOINTS = 32  # per run, leaving room below 64 for EXCEPTION blocks in DO/functions
_SAVEPOINT = "schemactl_batch"
_SAVEPOINT_SQL = f"SAVEPOINT {_SAVEPOINT}".encode()
_RELEASE_SQL = f"RELEASE {_SAVEPOINT}".encode()

# SQLSTATEs of "an object this statement needs does not exist": undefined_table,
# undefined_object, undefined_function, invalid_schema_name. Such a statement is
# deferred and retried after the others; every other error is final.
UNDEFINED_OBJECT = frozenset({"42P01", "42704", "42883", "3F000"})

# Statements whose position changes their meaning even when they succeed: moving one
# later would change the result, so it is never deferred (its error is final).
_NEVER_DEFERRED = ("ALTER DEFAULT PRIVILEGES", "SET", "RESET")
# Statements that run code or change rows: what a deferred statement creates (a trigger,
# a default, a constraint) may change what they do, so before one of them runs, the
# deferred statements are retried.
_RUNS_CODE = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "SELECT", "WITH", "VALUES", "DO", "CALL",
     "TRUNCATE", "REFRESH", "EXECUTE", "COPY"}
)  # fmt: skip


def batch_size(statements: int) -> int:
    """Statements per savepoint for a plan of ``statements``: at most MAX_SAVEPOINTS batches."""
    return max(BATCH_STATEMENTS, -(-statements // MAX_SAVEPOINTS))


def _runs_code(statement: Statement) -> bool:
    words = statement.kind.split()
    return statement.executes or (
        bool(words) and (words[0] in _RUNS_CODE or statement.kind.startswith("CREATE MATERIALIZED"))
    )


# Statements that change rows but create nothing: once they ran there is nothing new a
# deferred statement could be waiting for.
_PLAIN_DML = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY", "VALUES"})


def _may_create(statement: Statement) -> bool:
    words = statement.kind.split()
    return not words or words[0] not in _PLAIN_DML


def _deferrable(statement: Statement) -> bool:
    if statement.before_all:  # ALTER DEFAULT PRIVILEGES covers only what comes after it
        return False
    return not any(
        statement.kind == kind or statement.kind.startswith(kind + " ") for kind in _NEVER_DEFERRED
    )


def _missing_object(exc: psycopg.Error) -> str:
    """What the server says is missing: ``role "r"``, ``function f(integer)``..."""
    primary = exc.diag.message_primary or str(exc).split("\n", 1)[0]
    head, found, tail = primary.partition(" does not exist")
    if not found:
        return primary
    tail = tail.lstrip(":").strip()
    return f"{head} {tail}" if tail else head


@dataclass
class _Failure:
    """The first statement of a batch the server refused, and its error."""

    position: int  # index into the batch
    error: psycopg.Error
    blocker: str | None = None  # a lock wait: what it waited for and who held it


_FATAL = pq.ExecStatus.FATAL_ERROR
_SYNC = pq.ExecStatus.PIPELINE_SYNC
_COPY = frozenset({pq.ExecStatus.COPY_IN, pq.ExecStatus.COPY_OUT, pq.ExecStatus.COPY_BOTH})


class _ConnectionLost(Exception):
    """The connection failed while query ``index`` of a pipeline was in flight."""

    def __init__(self, index: int, error: psycopg.Error) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


def _pipeline(
    conn: psycopg.Connection[Any], queries: Sequence[bytes], watch: LockWatch | None = None
) -> tuple[int, Any] | None:
    """Send ``queries`` in one pipeline ending in one Sync; read every result in order.

    Uses libpq's pipeline mode through ``psycopg.pq``: every query is sent before any
    result is read, the socket is written and read as it becomes ready (non-blocking, so
    neither side waits on a full buffer), and the i-th result belongs to the i-th query.
    Returns None when every query succeeded, else the index and error result of the
    first one that failed (the server skips the rest up to the Sync). With ``watch``, a
    stall between results is looked at from a side session (who blocks us).
    """
    pgconn = conn.pgconn
    encoding = conn.info.encoding
    pgconn.enter_pipeline_mode()
    failure: tuple[int, Any] | None = None
    current = 0
    try:
        for query in queries:
            pgconn.send_query_params(query, None)
        pgconn.pipeline_sync()
        if watch is not None:
            watch.start()
        seen_result = False
        while True:
            while not pgconn.is_busy():
                result = pgconn.get_result()
                if result is None:
                    if not seen_result:
                        break  # nothing more has arrived yet
                    current, seen_result = current + 1, False
                    continue
                status = result.status
                if status == _SYNC:
                    return failure
                seen_result = True
                if status == _FATAL and failure is None:
                    failure = (current, result)
                elif status in _COPY:
                    raise psycopg.NotSupportedError("COPY FROM STDIN / TO STDOUT is not supported")
            writing = pgconn.flush() == 1
            wait = watch.timeout() if watch is not None and failure is None else None
            select.select([pgconn.socket], [pgconn.socket] if writing else [], [], wait)
            pgconn.consume_input()
    except psycopg.OperationalError as exc:
        conn.close()  # the server rolls the transaction back
        if failure is not None:  # the server said why before it hung up (57P01...)
            error = psycopg.errors.error_from_result(failure[1], encoding=encoding)
            raise _ConnectionLost(failure[0], error) from None
        raise _ConnectionLost(current, exc) from None
    except BaseException:
        # results still in flight (Ctrl-C, COPY): the session cannot go on; closing it
        # makes the server roll the transaction back
        conn.close()
        raise
    finally:
        if not conn.closed and pgconn.pipeline_status != pq.PipelineStatus.OFF:
            pgconn.exit_pipeline_mode()


def _run_batch(
    conn: psycopg.Connection[Any], batch: Sequence[Statement], watch: LockWatch | None = None
) -> _Failure | None:
    """SAVEPOINT, every statement of ``batch``, RELEASE: one pipeline, one round trip.

    Returns None when all ran, else the first failing statement and its error; the
    transaction is then in the failed state until ROLLBACK TO SAVEPOINT.
    """
    encoding = conn.info.encoding
    queries = [
        _SAVEPOINT_SQL,
        *(statement.sql.encode(encoding) for statement in batch),
        _RELEASE_SQL,
    ]
    try:
        failed = _pipeline(conn, queries, watch)
    except _ConnectionLost as lost:
        where = batch[min(max(lost.index - 1, 0), len(batch) - 1)].location
        reason = str(lost.error).strip().splitlines()[0]
        raise DatabaseError(
            f"{where}: the connection to the server was lost while this statement ran "
            f"({reason}); nothing was changed",
            hint="the server rolled the transaction back; look in its log for why (a "
            "restart, pg_terminate_backend, a crash), then run apply again",
        ) from None
    if failed is None:
        return None
    index, result = failed
    error = psycopg.errors.error_from_result(result, encoding=encoding)
    if not 1 <= index <= len(batch):
        raise database_error(error)  # SAVEPOINT or RELEASE itself failed
    blocker = watch.found if watch is not None and error.sqlstate == "55P03" else None
    return _Failure(index - 1, error, blocker)


def _statement_error(failure: _Failure, statement: Statement) -> DatabaseError:
    """The one-line error of a failed statement; a lock timeout names who held the lock."""
    return name_blocker(database_error(failure.error, statement), failure.blocker)


def name_blocker(error: DatabaseError, blocker: str | None) -> DatabaseError:
    """A statement's lock timeout naming what it waited for and who held it (``blocker``,
    what a :class:`LockWatch` found); any other error as it is."""
    if not isinstance(error, LockTimeoutError) or isinstance(error, ApplyLockTimeoutError):
        return error
    named = f": {blocker}" if blocker else ""
    return LockTimeoutError(
        f"{error.message}{named}",
        hint="nothing was changed; wait for that session to finish (or end it), raise "
        "--lock-timeout, or let apply retry with --lock-retries N",
        sqlstate=error.sqlstate,
        detail=error.detail,
    )


@dataclass
class _Run:
    """One run of the plan's statements, with the safety net for missing edges."""

    conn: psycopg.Connection[Any]
    total: int
    progress: Progress | None
    size: int  # statements per batch (per savepoint) on the normal path
    watch: LockWatch | None = None
    done: int = 0
    # deferred statements (plan order) with their latest error
    deferred: list[tuple[Statement, psycopg.Error]] = field(default_factory=list)
    # every statement that was deferred at least once -> what it waited for
    waited: dict[int, tuple[Statement, str]] = field(default_factory=dict)
    # a statement that may create objects ran since the deferred ones were last retried
    created_since_retry: bool = False
    # current batch size: shrinks after a deferral (less to re-send when failures come in
    # a row), grows back with every batch that runs
    current: int = 0

    def run(self, statements: Sequence[Statement], *, barriers: bool = True) -> None:
        """Run ``statements`` in order; defer those whose objects do not exist yet."""
        queue = deque(statements)
        while queue:
            if barriers and self.deferred and self.created_since_retry and _runs_code(queue[0]):
                self.retry()
            batch = [queue.popleft()]
            creates = _may_create(batch[0])
            while queue and len(batch) < (self.current or self.size):
                # with statements deferred, code runs only after what may satisfy them
                # has been retried: cut the batch before it
                if barriers and self.deferred and creates and _runs_code(queue[0]):
                    break
                creates = creates or _may_create(queue[0])
                batch.append(queue.popleft())
            if self.progress is not None:
                self.progress(min(self.done + 1, self.total), self.total, batch[0].location)
            failure = _run_batch(self.conn, batch, self.watch)
            if failure is None:
                self.done += len(batch)  # a failed batch was rolled back: counted once
                self.created_since_retry = self.created_since_retry or creates
                self.current = min(self.size, 2 * (self.current or self.size))
                continue
            self.conn.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
            statement = batch[failure.position]
            if failure.error.sqlstate not in UNDEFINED_OBJECT or not _deferrable(statement):
                raise _statement_error(failure, statement)
            self.deferred.append((statement, failure.error))
            self.waited.setdefault(id(statement), (statement, _missing_object(failure.error)))
            self.current = max(MIN_BATCH_STATEMENTS, (self.current or self.size) // 4)
            # the batch was rolled back: re-send what had run before the deferred one
            queue.extendleft(reversed([*batch[: failure.position], *batch[failure.position + 1 :]]))

    def retry(self) -> None:
        """Retry the deferred statements, in their order, until a round runs none of them."""
        while self.deferred:
            waiting = [statement for statement, _ in self.deferred]
            self.deferred = []
            self.run(waiting, barriers=False)
            if len(self.deferred) == len(waiting):
                break
        self.created_since_retry = False


def _run_statements(
    conn: psycopg.Connection[Any],
    statements: Sequence[Statement],
    progress: Progress | None,
    *,
    strict: bool = False,
    watch: LockWatch | None = None,
) -> tuple[str, ...]:
    """Run ``statements`` in order, with the safety net; the deferral warnings.

    A statement that fails because an object it needs does not exist yet (the order
    has no edge for it) is rolled back, deferred, and retried after the others, until
    a round runs none of the deferred statements; then the first one still failing
    raises its own error. With ``strict`` any deferral is an error.
    """
    total = len(statements)
    run = _Run(conn, total, progress, batch_size(total), watch)
    run.run(statements)
    run.retry()
    if run.deferred:
        statement, error = run.deferred[0]
        raise database_error(error, statement)
    if progress is not None and total:
        progress(total, total, statements[-1].location)
    position = {id(statement): i for i, statement in enumerate(statements)}
    waited = sorted(run.waited.values(), key=lambda item: position[id(item[0])])
    warnings = tuple(
        f"{statement.location}: waited for {missing}: order has no edge for it"
        for statement, missing in waited
    )
    if strict and warnings:
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        raise ApplyError(
            f"{warnings[0]}{more}",
            hint="--strict: every statement must run in the computed order; create what it "
            "waited for in a statement order can see (or report the missing edge), "
            "or drop --strict",
        )
    return warnings


def _record_run(
    conn: psycopg.Connection[Any], plan: Plan, digests: dict[str, str], shim: bool
) -> None:
    """Write the ledger of a first apply (the ordered files) as the session's own user."""
    _as_session_user(
        conn,
        lambda: _write_ledger(
            conn,
            sql_dir=plan.sql_dir,
            count=len(plan.statements),
            digests=digests,
            shim=shim,
        ),
    )


def record_migration(
    conn: psycopg.Connection[Any],
    *,
    sql_dir: str,
    digests: dict[str, str],
    statements: Sequence[str],
    kind: str,
    plan_sha256: str | None = None,
) -> None:
    """Write the ledger of a run that migrated an existing database (``kind`` diff or plan).

    The run keeps every statement it ran (``schemactl.run_statements``), and the ledger's
    files become ``digests``: files no longer there are forgotten, so the next apply of
    the same files finds the database up to date.
    """
    _as_session_user(
        conn,
        lambda: _write_ledger(
            conn,
            sql_dir=sql_dir,
            count=len(statements),
            digests=digests,
            shim=False,
            kind=kind,
            plan_sha256=plan_sha256,
            ran=statements,
            prune=True,
        ),
    )


def _as_session_user(conn: psycopg.Connection[Any], write: Callable[[], None]) -> None:
    """Run ``write`` as the session's own user, whatever the statements did to the role.

    Files may not change the role or search_path (refused before anything runs), but a DO
    block or a function can: the ledger must not be written as, say, ``anon``.
    """
    try:
        conn.execute("RESET SESSION AUTHORIZATION")
        conn.execute("RESET ROLE")
        conn.execute("RESET search_path")
        write()
    except psycopg.Error as exc:
        if conn.broken or (isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None):
            raise  # the connection is gone: _apply_once says so, not "check privileges"
        error = database_error(exc)
        raise DatabaseError(
            f"writing the ledger (schema schemactl) failed: {error.message}; nothing was changed",
            hint=error.hint or "check that the connecting role may create schema schemactl",
            sqlstate=error.sqlstate,
            detail=error.detail,
        ) from None


def _write_ledger(
    conn: psycopg.Connection[Any],
    *,
    sql_dir: str,
    count: int,
    digests: dict[str, str],
    shim: bool,
    kind: str = "files",
    plan_sha256: str | None = None,
    ran: Sequence[str] = (),
    prune: bool = False,
) -> None:
    conn.execute(resources.script("ledger"))
    row = conn.execute(
        "INSERT INTO schemactl.runs (tool_version, sql_dir, statements, auth_shim, kind,"
        " plan_sha256) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (__version__, sql_dir, count, shim, kind, plan_sha256),
    ).fetchone()
    assert row is not None
    run_id = row[0]
    with conn.cursor() as cur:
        if prune:
            cur.execute(
                "DELETE FROM schemactl.applied_files WHERE NOT path = ANY(%s)", (sorted(digests),)
            )
        cur.executemany(
            "INSERT INTO schemactl.applied_files (path, sha256, run_id) VALUES (%s, %s, %s)"
            " ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, run_id = excluded.run_id,"
            " applied_at = clock_timestamp()",
            [(path, digest, run_id) for path, digest in sorted(digests.items())],
        )
        if ran:
            cur.executemany(
                "INSERT INTO schemactl.run_statements (run_id, position, statement)"
                " VALUES (%s, %s, %s)",
                [(run_id, position, text) for position, text in enumerate(ran, 1)],
            )
    conn.execute(
        "UPDATE schemactl.runs SET finished_at = clock_timestamp() WHERE id = %s", (run_id,)
    )


def become_owner(conn: psycopg.Connection[Any], owner: str) -> None:
    """SET LOCAL ROLE ``owner`` in the current transaction (ConfigError if it does not exist)."""
    _become_owner(conn, owner, shim=False)


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


def take_apply_lock(
    conn: psycopg.Connection[Any], database_url: str, target: str, lock_wait: str
) -> int:
    """Wait up to ``lock_wait`` for apply's advisory lock; the run's lock_timeout in ms.

    The wait happens in the server (``pg_advisory_xact_lock`` under ``SET LOCAL
    lock_timeout = lock_wait``, then the run's lock_timeout back): waiters are woken the
    moment the lock is free, in the order they came, in one round trip. Polling
    ``pg_try_advisory_xact_lock`` would add up to a poll interval of latency per waiter,
    a query per interval, and no order among waiters.
    """
    row = conn.execute(
        "SELECT current_setting('lock_timeout'), setting::int FROM pg_settings"
        " WHERE name = 'lock_timeout'"
    ).fetchone()
    assert row is not None
    run_lock_timeout, run_lock_timeout_ms = row
    try:
        conn.execute("SELECT set_config('lock_timeout', %s, true)", (lock_wait,))
    except psycopg.Error as exc:
        raise ConfigError(
            f"invalid lock_wait {lock_wait!r}: {one_line(exc.diag.message_primary or str(exc))}",
            hint="use a PostgreSQL duration such as 60s, 500ms or 5min (0 waits forever)",
        ) from None
    try:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
    except psycopg.errors.LockNotAvailable as exc:
        holder = apply_lock_holders(database_url)
        raise ApplyLockTimeoutError(
            f"{target}: another schemactl apply held the apply lock for longer than "
            f"--lock-wait ({lock_wait}){'; ' + holder if holder else ''}; nothing was changed",
            hint="run apply again once it is done (it will find the files applied), or "
            "raise --lock-wait (lock_wait, SCHEMACTL_LOCK_WAIT)",
            sqlstate=exc.diag.sqlstate,
        ) from None
    conn.execute("SELECT set_config('lock_timeout', %s, true)", (run_lock_timeout,))
    return int(run_lock_timeout_ms)


def connection_lost(target: str, exc: psycopg.Error, committing: bool) -> DatabaseError:
    """The error of a run whose connection died (pg_terminate_backend, a restart, a crash)."""
    reason = one_line(exc.diag.message_primary or str(exc).strip() or type(exc).__name__)
    if committing:  # COMMIT was sent: the server may have committed before it went
        return DatabaseError(
            f"{target}: the connection to the server was lost during COMMIT ({reason}); "
            "the run may or may not have been committed",
            hint="run apply again: it finds the files applied (up to date) or applies them",
        )
    return DatabaseError(
        f"{target}: the connection to the server was lost ({reason}); nothing was changed",
        hint="the server rolled the transaction back; look in its log for why (a restart, "
        "pg_terminate_backend, a crash), then run apply again",
    )


def retryable(error: DatabaseError) -> bool:
    """A statement's lock wait timed out (not the wait for another apply's lock)."""
    return error.sqlstate == "55P03" and not isinstance(error, ApplyLockTimeoutError)


def with_lock_retries(
    run: Callable[[], T], retries: int, warn: Warn | None
) -> T:
    """``run()``; on a retryable error (a statement's lock timeout) up to ``retries`` more times.

    Each retry waits a jittered backoff (about RETRY_BACKOFF s, doubling) and is reported
    through ``warn`` first. Any other error, or the last one, is raised.
    """
    attempt = 0
    while True:
        try:
            return run()
        except DatabaseError as error:
            if attempt >= retries or not retryable(error):
                raise
            attempt += 1
            delay = RETRY_BACKOFF * 2 ** (attempt - 1)
            delay = random.uniform(delay / 2, delay)
            if warn is not None:
                warn(f"{error.message}; rolled back, retry {attempt} of {retries} in {delay:.1f}s")
            time.sleep(delay)


def apply_plan(
    plan: Plan,
    database_url: str,
    *,
    dry_run: bool = False,
    lock_timeout: str | None = DEFAULT_LOCK_TIMEOUT,
    lock_wait: str = "60s",
    lock_retries: int = 0,
    statement_timeout: str | None = None,
    auth_shim: str = "auto",
    owner: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> ApplyResult:
    """Run every statement of ``plan`` against ``database_url`` in ONE transaction.

    Takes ``pg_advisory_xact_lock`` first so concurrent applies serialise: a second
    apply waits up to ``lock_wait`` for it, then finds the files applied (up to date)
    or fails with :class:`~schemactl.errors.ApplyLockTimeoutError`. ``lock_timeout``
    bounds every other lock wait; a statement whose wait times out fails naming the
    session that held the lock, and with ``lock_retries`` the whole transaction is
    rolled back and run again up to that many times, after a backoff (each retry is
    reported through ``warn``).
    Raises :class:`FilesChangedError` (exit 3, nothing changed) when the ledger shows
    files changed since the last apply (:func:`schemactl.api.apply` then migrates the
    database with a diff); does nothing when every file is already applied unchanged. On any error
    the transaction is rolled back and the failing statement's file:line:col
    is reported: the database is left as it was. With ``owner`` the statements
    run as that role (the shim and the ledger as the connecting role).

    A statement that fails because an object it needs does not exist yet is deferred
    and retried after the others (the order missed an edge); each deferral is a line
    of ``ApplyResult.deferred``, and with ``strict`` an error. Statements that would
    break the one transaction or leak session state are refused before anything runs.
    """
    check_plan(plan)
    if lock_retries < 0:
        raise ConfigError(f"lock_retries must be 0 or more, not {lock_retries}")
    return with_lock_retries(
        lambda: _apply_once(
            plan,
            database_url,
            dry_run=dry_run,
            lock_timeout=lock_timeout,
            lock_wait=lock_wait,
            statement_timeout=statement_timeout,
            auth_shim=auth_shim,
            owner=owner,
            strict=strict,
            progress=progress,
        ),
        lock_retries,
        warn,
    )


def _apply_once(
    plan: Plan,
    database_url: str,
    *,
    dry_run: bool,
    lock_timeout: str | None,
    lock_wait: str,
    statement_timeout: str | None,
    auth_shim: str,
    owner: str | None,
    strict: bool,
    progress: Progress | None,
) -> ApplyResult:
    """One attempt of :func:`apply_plan`: one connection, one transaction."""
    started = time.perf_counter()
    target = mask_dsn(database_url)
    digests = file_digests(plan.files)
    conn = connect(database_url, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
    watch: LockWatch | None = None
    committing = False
    try:
        with conn.transaction(force_rollback=dry_run):
            lock_timeout_ms = take_apply_lock(conn, database_url, target, lock_wait)
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
                raise FilesChangedError(
                    f"{target}: files differ from the last apply ({diff.describe()}); "
                    "nothing was changed",
                    hint="`schemactl apply` migrates it (a diff against the files); "
                    "apply_plan alone only creates a schema from nothing",
                    diff=diff,
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
                    if conn.broken:
                        raise
                    raise database_error(exc) from None
            if owner:
                _become_owner(conn, owner, shim)
            if lock_timeout_ms > 0:
                watch = LockWatch(database_url, conn.info.backend_pid, lock_timeout_ms)
            deferred = _run_statements(conn, plan.statements, progress, strict=strict, watch=watch)
            _record_run(conn, plan, digests, shim)
            committing = True
    except psycopg.Error as exc:
        # the connection died mid-run, or COMMIT failed (a deferred constraint): the
        # server rolls the transaction back
        if conn.broken:
            raise connection_lost(target, exc, committing) from None
        raise database_error(exc) from None
    finally:
        conn.close()
        if watch is not None:
            watch.close()
    return ApplyResult(
        status="applied",
        target=target,
        statements=len(plan.statements),
        files=tuple(f.relpath for f in plan.files),
        created=created_objects(plan),
        auth_shim_installed=shim,
        seconds=time.perf_counter() - started,
        deferred=deferred,
    )
