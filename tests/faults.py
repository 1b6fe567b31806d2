"""Fault injection for ``apply``: stop a run at its k-th DDL statement, then kill it.

The hook is in the server, not in schemactl: an event trigger on ``ddl_command_end``
(installed in the target database by :func:`install_fault_trigger`) counts every DDL
statement any session runs there in a sequence (``nextval`` is not rolled back, so the
count survives the kill) and, at statement ``kill_at``, sleeps in ``pg_sleep``. The
statement has run; its transaction is open; the next statement has not started: that is
the boundary. Then the fault comes from outside, while the backend sleeps:

* :func:`terminate_when_stopped`: another session runs ``pg_terminate_backend(pid)``;
* SIGKILL of the ``schemactl`` process (tests/db/test_faults_process.py);
* a restart of a private server (same file).

Why this hook and not apply's ``progress`` callback: apply sends statements in libpq
pipeline batches of 200 or more, so the client sees one boundary per batch (the platform
schema is a single batch); the server sees every statement, whichever code path
(apply_plan, apply_diff, the ledger, the auth shim) sends it, with no change to schemactl.
A statement that is not DDL (INSERT, SELECT, SET) is not a boundary of its own: its
effects are covered by the next DDL boundary after it.

Boundaries of a CI run are a seeded sample (``SCHEMACTL_FAULT_SAMPLE``, default 5, always
with the first and the last; ``all`` runs every one, as ``make reliability`` does;
``SCHEMACTL_FAULT_SEED``, default 8). SIGKILL and restart boundaries are sampled by
``SCHEMACTL_FAULT_PROCESS_SAMPLE`` (default 2, ``make reliability`` 16).
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from schemactl.db.snapshot import CatalogSnapshot, catalog_snapshot, snapshot_diff
from schemactl.testing.server import (
    DatabaseReaper,
    TestServer,
    clone_database,
    create_database,
    unique_name,
)

REPO_SQL = Path(__file__).resolve().parents[1] / "sql"
FAULT_SCHEMA = "schemactl_fault"
# the first line of every error of a run whose connection died
LOST = "the connection to the server was lost"
ENV_SAMPLE = "SCHEMACTL_FAULT_SAMPLE"
# SIGKILL and restart cost a process or a server restart each: sampled on their own
ENV_PROCESS_SAMPLE = "SCHEMACTL_FAULT_PROCESS_SAMPLE"
ENV_SEED = "SCHEMACTL_FAULT_SEED"
DEFAULT_SAMPLE = 5
DEFAULT_SEED = 8
# advisory lock key a run armed with ``hold`` waits for at its boundary
HOLD_KEY = 0x5C4E_FA17

_INSTALL = """
CREATE SCHEMA {schema};
CREATE TABLE {schema}.config (
  kill_at bigint NOT NULL, sleep_s float8 NOT NULL, hold bool NOT NULL DEFAULT false
);
INSERT INTO {schema}.config VALUES ({kill_at}, {sleep_s});
CREATE SEQUENCE {schema}.commands;
CREATE FUNCTION {schema}.on_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog SET lock_timeout = 0 AS $$
DECLARE
  n bigint := nextval('schemactl_fault.commands');
  cfg record;
BEGIN
  SELECT * INTO cfg FROM schemactl_fault.config;
  IF n = cfg.kill_at AND cfg.hold THEN
    PERFORM pg_advisory_lock_shared({hold_key});
    PERFORM pg_advisory_unlock_shared({hold_key});
  ELSIF n = cfg.kill_at THEN
    PERFORM pg_sleep(cfg.sleep_s);
  END IF;
END $$;
CREATE EVENT TRIGGER schemactl_fault_on_ddl ON ddl_command_end
  EXECUTE FUNCTION {schema}.on_ddl();
"""

_REMOVE = f"DROP EVENT TRIGGER schemactl_fault_on_ddl; DROP SCHEMA {FAULT_SCHEMA} CASCADE;"


def install_fault_trigger(url: str, *, kill_at: int = 0, sleep_s: float = 120.0) -> None:
    """Count DDL statements in ``url``'s database; sleep ``sleep_s`` at statement ``kill_at``.

    ``kill_at`` 0 only counts. Runs as the (superuser) role of ``url``; the trigger
    function is SECURITY DEFINER, so it fires the same under apply's ``SET ROLE``.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL(_INSTALL).format(
                schema=sql.Identifier(FAULT_SCHEMA),
                kill_at=sql.Literal(int(kill_at)),
                hold_key=sql.Literal(HOLD_KEY),
                sleep_s=sql.Literal(float(sleep_s)),
            )
        )


def arm(url: str, kill_at: int, sleep_s: float = 120.0, *, hold: bool = False) -> None:
    """Reset the count and stop at statement ``kill_at`` (on a database that has the trigger).

    The run sleeps ``sleep_s`` there, or with ``hold`` waits until :func:`holding` ends.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"UPDATE {FAULT_SCHEMA}.config SET kill_at = %s, sleep_s = %s, hold = %s",
            (kill_at, sleep_s, hold),
        )
        conn.execute(f"SELECT setval('{FAULT_SCHEMA}.commands', 1, false)")


@contextmanager
def holding(url: str) -> Iterator[None]:
    """Runs armed with ``hold`` wait at their boundary while this block runs."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (HOLD_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (HOLD_KEY,))


HELD = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    " AND objid::bigint = %s AND database = (SELECT oid FROM pg_database WHERE datname = %s)"
)


def wait_until_held(admin_url: str, dbname: str, timeout: float = 60.0) -> int | None:
    """Pid of the backend waiting at its ``hold`` boundary in ``dbname``; None if none did."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(admin_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(HELD, (HOLD_KEY, dbname)).fetchone()
            if row is not None:
                return int(row[0])
            time.sleep(0.02)
    return None


def counted(url: str) -> int:
    """How many DDL statements ran since the trigger was installed or armed."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {FAULT_SCHEMA}.commands"
        ).fetchone()
    assert row is not None
    return int(row[0])


def remove_fault_trigger(url: str) -> None:
    """Drop the trigger, its function, sequence and schema."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(_REMOVE.encode())


def calibrate(url: str, run: Callable[[str], object]) -> tuple[int, CatalogSnapshot]:
    """Run ``run(url)`` once under the counting trigger: (its boundaries, its catalog).

    The catalog is taken after the trigger is dropped: the clean result to compare with.
    """
    install_fault_trigger(url)
    run(url)
    total = counted(url)
    remove_fault_trigger(url)
    return total, snapshot(url)


def snapshot(url: str) -> CatalogSnapshot:
    """The full catalog snapshot of ``url``: schemactl's ledger and auth included, only the
    fault trigger's schema left out (the event trigger itself is in it, before and after)."""
    with psycopg.connect(url) as conn:
        return catalog_snapshot(conn, exclude_schemas=(FAULT_SCHEMA,))


def assert_same_catalog(expected: CatalogSnapshot, actual: CatalogSnapshot, what: str) -> None:
    """``expected == actual``, else the differing rows (at most 20) in the message."""
    if expected != actual:
        lines = snapshot_diff(expected, actual, limit=20)
        raise AssertionError(f"{what}: catalog differs:\n" + "\n".join(lines))


def dbname_of(url: str) -> str:
    """The database name of a URL or key=value DSN."""
    return str(conninfo_to_dict(url)["dbname"])


STOPPED = (
    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event = 'PgSleep'"
    " AND pid <> pg_backend_pid()"
)


def wait_until_stopped(admin_url: str, dbname: str, timeout: float = 60.0) -> int | None:
    """Pid of the backend sleeping at the boundary in ``dbname``; None if none did in time."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(admin_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(STOPPED, (dbname,)).fetchone()
            if row is not None:
                return int(row[0])
            time.sleep(0.02)
    return None


def wait_until_gone(admin_url: str, pid: int, timeout: float = 60.0) -> bool:
    """True once backend ``pid`` has exited (its transaction is rolled back by then)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(admin_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
            if row is None:
                return True
            time.sleep(0.02)
    return False


@dataclass
class Killer:
    """A thread that waits for the boundary in ``dbname``, then pg_terminate_backend()s it."""

    admin_url: str
    dbname: str
    killed: list[int] = field(default_factory=list)
    gone: list[bool] = field(default_factory=list)
    thread: threading.Thread | None = None

    def _run(self) -> None:
        pid = wait_until_stopped(self.admin_url, self.dbname)
        if pid is None:
            return
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            row = conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        if row is not None and row[0]:
            self.killed.append(pid)
            self.gone.append(wait_until_gone(self.admin_url, pid))

    def __enter__(self) -> Killer:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.thread is not None
        self.thread.join(timeout=90)


def terminate_when_stopped(admin_url: str, dbname: str) -> Killer:
    """Context manager: the run inside it is terminated at its armed boundary."""
    return Killer(admin_url, dbname)


def sample_boundaries(
    total: int, *, default: int = DEFAULT_SAMPLE, ends: bool = True, env: str = ENV_SAMPLE
) -> list[int]:
    """Boundaries 1..total to inject at: all, or a seeded sample (with the first and the
    last unless ``ends`` is false: then only boundaries inside the run)."""
    wanted = os.environ.get(env, "").strip().lower() or str(default)
    if wanted == "all":
        return list(range(1, total + 1))
    n = int(wanted)
    if n >= total:
        return list(range(1, total + 1))
    seed = int(os.environ.get(ENV_SEED, DEFAULT_SEED))
    if not ends:
        return sorted(random.Random(seed).sample(range(2, total), n))
    inner = random.Random(seed).sample(range(2, total), max(n - 2, 0))
    return sorted({1, total, *inner})


@dataclass
class FaultCount:
    """Faults injected and survived in one scenario, reported by the test (``-rP``)."""

    scenario: str
    server: int
    boundaries: int = 0  # every boundary of the run
    injected: int = 0
    survived: int = 0
    failures: list[str] = field(default_factory=list)

    def report(self) -> str:
        """One line for the report: scenario, server, counts, seed."""
        seed = os.environ.get(ENV_SEED, DEFAULT_SEED)
        return (
            f"faults: {self.scenario} on server {self.server}: {self.boundaries} boundaries, "
            f"injected {self.injected}, survived {self.survived} (seed {seed})"
        )

    def check(self) -> None:
        """Print the count; fail naming every boundary that was not survived."""
        print(self.report())
        assert not self.failures, "\n".join(self.failures[:10])
        assert self.injected > 0 and self.survived == self.injected, self.report()


def one_boundary(count: FaultCount, k: int, body: Callable[[], None]) -> None:
    """Run one injection; an AssertionError is recorded as boundary ``k`` not survived."""
    count.injected += 1
    try:
        body()
    except AssertionError as exc:
        count.failures.append(f"boundary {k}: {exc}")
        return
    count.survived += 1


@contextmanager
def private_server() -> Iterator[tuple[str, Path]]:
    """A private embedded PostgreSQL 18 in a temp dir (admin URL, data dir), deleted on exit.

    The test may restart it; it never touches the shared servers.
    """
    from schemactl.db import embedded

    tmp = Path(tempfile.mkdtemp(prefix="schemactl-fault-pg-"))
    data_dir = tmp / "pgdata"
    try:
        embedded.start_server(data_dir, cleanup_mode="delete")
        url = embedded.running_url(data_dir)
        assert url is not None, f"private server in {data_dir} did not start"
        yield url, data_dir
    finally:
        embedded.stop_server(data_dir)
        shutil.rmtree(tmp, ignore_errors=True)


def restart_server(data_dir: Path, mode: str) -> None:
    """``pg_ctl restart -m mode`` of a private embedded server (fast or immediate)."""
    from schemactl.db import embedded

    module: Any = embedded._module()
    module.pg_ctl(
        ["-w", "-m", mode, "-l", str(data_dir / "log"), "restart"],
        pgdata=data_dir,
        user=embedded._system_user(),
        timeout=60,
    )


class Databases:
    """Throwaway databases of one test on the session's server, reaped after it."""

    def __init__(self, server: TestServer, admin: psycopg.Connection[Any], reaper: DatabaseReaper):
        self.server = server
        self.admin = admin
        self.reaper = reaper
        self.names: list[str] = []

    def create(self, template: str | None = None) -> str:
        """URL of a new database: empty (from template0) or a copy of ``template``."""
        name = unique_name("sct_db")
        self.names.append(name)
        if template is None:
            create_database(
                self.admin, name, template="template0", strategy=self.server.clone_strategy
            )
        else:
            clone_database(self.admin, template, name, strategy=self.server.clone_strategy)
        return self.server.url_for(name)

    def drop(self, url: str) -> None:
        """Hand ``url``'s database to the reaper now (loops create many)."""
        name = dbname_of(url)
        self.names.remove(name)
        self.reaper.drop(name)

    def close(self) -> None:
        """Reap every database still held."""
        for name in self.names:
            self.reaper.drop(name)
        self.names.clear()


def scalar(url: str, query: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def check_one_line(output: str, exit_code: int) -> None:
    """The CLI's answer to a lost connection: exit 2, one line naming it, a hint, no traceback."""
    lines = output.splitlines()
    assert exit_code == 2, output
    assert "Traceback" not in output, output
    assert lines and LOST in lines[0] and lines[0].endswith("; nothing was changed"), output
    assert all(line.startswith("  ") for line in lines[1:]), output
