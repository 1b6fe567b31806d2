"""A long transaction holds a lock on ``transfers``; apply of files that alter ``transfers``
migrates the platform schema (apply's diff path) and must give up within lock_timeout,
once, change nothing, and never stall other sessions longer than lock_timeout.

tests/db/test_apply_locks.py proves the same for the first apply (the ordered files, with
the blocker named); this is the path an existing database takes.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import psycopg

from faults import REPO_SQL, Databases, scalar, snapshot
from schemactl import api
from schemactl.core.plan import build_plan
from schemactl.db.apply import apply_plan
from schemactl.errors import LockTimeoutError
from schemactl.testing.server import TestServer

LOCK_TIMEOUT = 2.0
# how much slower than lock_timeout a loaded 2-core machine may be
MARGIN = 1.5

APPLY_WAITS = (
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemactl'"
    " AND wait_event_type = 'Lock' AND datname = current_database()"
)



def with_a_new_transfers_column(root: Path) -> Path:
    sql_dir = root / "sql"
    shutil.copytree(REPO_SQL, sql_dir)
    path = sql_dir / "tables" / "transfers.sql"
    path.write_text(path.read_text() + "\nALTER TABLE transfers ADD COLUMN note text;\n")
    return sql_dir


def test_apply_altering_a_locked_transfers_gives_up_once_and_stalls_no_one(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    url = databases.create()
    apply_plan(build_plan(REPO_SQL, display_root="sql"), url)
    sql_dir = with_a_new_transfers_column(tmp_path)
    before = snapshot(url)
    holder = psycopg.connect(url, application_name="nightly-report")
    holder.execute("SELECT count(*) FROM transfers")  # ACCESS SHARE until it ends
    failures: list[BaseException] = []
    ended: list[float] = []

    def run_apply() -> None:
        try:
            api.apply(sql_dir, database_url=url, shadow_url=schemactl_server.admin_url,
                      lock_timeout=f"{LOCK_TIMEOUT:g}s", project_dir=tmp_path)  # fmt: skip
        except BaseException as exc:  # asserted below
            failures.append(exc)
        ended.append(time.perf_counter())

    applying = threading.Thread(target=run_apply)
    try:
        applying.start()
        deadline = time.monotonic() + 120  # the shadow is built and diffed first
        while scalar(url, APPLY_WAITS) == 0:
            assert time.monotonic() < deadline, "apply never waited for the lock"
            assert applying.is_alive(), failures
            time.sleep(0.02)
        waits_since = time.perf_counter()
        # a reader queues behind apply's waiting ACCESS EXCLUSIVE request...
        with psycopg.connect(url, autocommit=True) as reader:
            reader.execute("SET lock_timeout = 0")  # waits as long as it must
            started = time.perf_counter()
            row = reader.execute("SELECT count(*) FROM transfers").fetchone()
            reader_waited = time.perf_counter() - started
        applying.join(timeout=60)
    finally:
        holder.close()
    # ...and gets its answer once apply gives up, within lock_timeout
    assert row == (0,)
    assert reader_waited < LOCK_TIMEOUT + MARGIN, reader_waited
    assert len(failures) == 1 and isinstance(failures[0], LockTimeoutError), failures
    error = failures[0]
    assert isinstance(error, LockTimeoutError)
    # one wait of lock_timeout, not two
    assert ended[0] - waits_since < 2 * LOCK_TIMEOUT, ended[0] - waits_since
    assert error.sqlstate == "55P03" and error.exit_code == 2
    assert "canceling statement due to lock timeout" in error.message, error.message
    assert "\n" not in error.message and "transfers" in error.message, error.message
    print(
        f"locks: apply (migrate path) gave up {ended[0] - waits_since:.2f} s after it began "
        f"to wait (lock_timeout {LOCK_TIMEOUT:g} s); a reader queued behind it waited "
        f"{reader_waited:.2f} s; error: {error.message}"
    )
    assert snapshot(url) == before
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1
