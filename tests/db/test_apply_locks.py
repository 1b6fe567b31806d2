"""apply under contention: concurrent applies (--lock-wait), table locks held by others
(lock_timeout, the blocker named, other sessions not stalled), --lock-retries."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from schemactl import api
from schemactl.cli import main
from schemactl.config import load_settings
from schemactl.db.apply import APPLY_LOCK_KEY
from schemactl.errors import ApplyLockTimeoutError, ConfigError, LockTimeoutError

SCHEMACTL = Path(sys.executable).with_name("schemactl")

# how much slower than the configured timeouts a loaded 2-core machine may be
MARGIN = 1.5


def write_sql(root: Path, files: dict[str, str]) -> Path:
    sql_dir = root / "sql"
    for rel, text in files.items():
        path = sql_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sql_dir


def scalar(url: str, query: str, params: tuple[object, ...] = ()) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def wait_until(url: str, query: str, params: tuple[object, ...], expected: object) -> None:
    """Poll ``query`` until it returns ``expected`` (at most 20 s)."""
    deadline = time.monotonic() + 20
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(query, params).fetchone()
            if row is not None and row[0] == expected:
                return
            time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {query!r} == {expected!r}")


WAITING_FOR_APPLY_LOCK = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    " AND objid::bigint = %s AND database = (SELECT oid FROM pg_database"
    " WHERE datname = current_database())"
)
HOLDING_APPLY_LOCK = WAITING_FOR_APPLY_LOCK.replace("NOT granted", "granted")
APPLY_WAITS_FOR_A_LOCK = (
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemactl'"
    " AND wait_event_type = 'Lock' AND datname = current_database()"
)

SCHEMA = {
    "tables/a.sql": "CREATE TABLE a (id int PRIMARY KEY);\n",
    "tables/b.sql": "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));\n",
    "data/a.sql": "INSERT INTO a VALUES (1);\n",
}


def test_eight_concurrent_applies_one_applies_the_others_wait_then_are_up_to_date(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    sql_dir = write_sql(tmp_path, SCHEMA)
    env = {**os.environ, "SCHEMACTL_PROJECT_DIR": str(tmp_path)}
    command = [str(SCHEMACTL), "apply", str(sql_dir), "--database-url", schemactl_empty_db,
               "--auth-shim", "never", "--lock-wait", "30s"]  # fmt: skip
    # the test holds the apply lock until all 8 wait for it: they really contend
    with psycopg.connect(schemactl_empty_db) as gate:
        gate.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
        runs = [
            subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(8)
        ]
        try:
            wait_until(schemactl_empty_db, WAITING_FOR_APPLY_LOCK, (APPLY_LOCK_KEY,), 8)
        finally:
            gate.rollback()
        outputs = [(run.wait(timeout=60), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outputs] == [0] * 8, outputs
    applied = [out for _, out, _ in outputs if out.startswith("applied 3 statements from 3 files")]
    up_to_date = [out for _, out, _ in outputs if "is up to date (3 files, nothing to do)" in out]
    assert (len(applied), len(up_to_date)) == (1, 7), outputs
    assert all(err == "" for _, _, err in outputs), outputs
    # the database: one run in the ledger, the schema and its row once
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 1
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.applied_files") == 3
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM a") == 1
    assert scalar(schemactl_empty_db, "SELECT to_regclass('public.b') IS NOT NULL") is True


def test_an_apply_held_longer_than_lock_wait_fails_within_lock_wait_naming_it(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    slow = write_sql(tmp_path / "slow", {**SCHEMA, "data/z.sql": "SELECT pg_sleep(6);\n"})
    fast = write_sql(tmp_path / "fast", SCHEMA)
    winner = subprocess.Popen(
        [
            str(SCHEMACTL),
            "apply",
            str(slow),
            "--database-url",
            schemactl_empty_db,
            "--auth-shim",
            "never",
        ],
        env={**os.environ, "SCHEMACTL_PROJECT_DIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(schemactl_empty_db, HOLDING_APPLY_LOCK, (APPLY_LOCK_KEY,), 1)
        winner_pid = scalar(
            schemactl_empty_db,
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'schemactl'"
            " AND datname = current_database()",
        )
        started = time.perf_counter()
        with pytest.raises(ApplyLockTimeoutError) as caught:
            api.apply(fast, database_url=schemactl_empty_db, lock_wait="1s", lock_timeout="5s",
                      auth_shim="never", project_dir=tmp_path)  # fmt: skip
        elapsed = time.perf_counter() - started
        cli = CliRunner().invoke(
            main,
            [
                "apply",
                str(fast),
                "--database-url",
                schemactl_empty_db,
                "--auth-shim",
                "never",
                "--lock-wait",
                "500ms",
            ],
        )
    finally:
        code = winner.wait(timeout=60)
    # bounded by lock_wait (1 s), not lock_timeout (5 s)
    assert 1.0 <= elapsed < 1.0 + MARGIN, elapsed
    message = caught.value.message
    assert "another schemactl apply held the apply lock for longer than --lock-wait (1s)" in message
    assert f'held by pid {winner_pid} (application "schemactl"' in message, message
    assert caught.value.exit_code == 2
    assert cli.exit_code == 2, cli.output
    assert "--lock-wait (500ms)" in cli.output.splitlines()[0], cli.output
    assert "Traceback" not in cli.output
    # the winner was not disturbed: it applied, once
    assert code == 0, winner.communicate()
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 1
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM a") == 1


BUSY = {
    "a.sql": "CREATE TABLE fresh (id int);\n",
    "b.sql": "ALTER TABLE busy ADD COLUMN note text;\n",
}


def busy_table(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE busy (id int)")
        conn.execute("INSERT INTO busy VALUES (1)")


def busy_columns(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'busy'::regclass AND attnum > 0"
            " ORDER BY attnum"
        ).fetchall()
    return [name for (name,) in rows]


def open_holder(url: str) -> tuple[psycopg.Connection[Any], int, str]:
    """A session in a long transaction that has read ``busy`` (ACCESS SHARE lock)."""
    holder = psycopg.connect(url, application_name="nightly-report")
    row = holder.execute("SELECT pg_backend_pid(), current_user").fetchone()
    assert row is not None
    holder.execute("SELECT count(*) FROM busy")
    return holder, row[0], row[1]


def test_a_lock_held_by_a_long_transaction_fails_once_naming_the_blocker(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    busy_table(schemactl_empty_db)
    write_sql(tmp_path, BUSY)
    holder, holder_pid, holder_user = open_holder(schemactl_empty_db)
    try:
        started = time.perf_counter()
        with pytest.raises(LockTimeoutError) as caught:
            api.apply("sql", database_url=schemactl_empty_db, lock_timeout="2s",
                      auth_shim="never", project_dir=tmp_path)  # fmt: skip
        elapsed = time.perf_counter() - started
    finally:
        holder.close()
    message = caught.value.message
    assert message.startswith("sql/b.sql:1:1: canceling statement due to lock timeout"), message
    assert "waited for AccessExclusiveLock on relation busy" in message, message
    assert f'held by pid {holder_pid} (application "nightly-report", user {holder_user}' in message
    assert 'idle in transaction; query "SELECT count(*) FROM busy"' in message, message
    assert caught.value.sqlstate == "55P03" and caught.value.exit_code == 2
    # one wait of lock_timeout: twice would be >= 4 s
    assert 2.0 <= elapsed < 2.0 + MARGIN, elapsed
    assert busy_columns(schemactl_empty_db) == ["id"]
    assert scalar(schemactl_empty_db, "SELECT to_regclass('public.fresh')") is None
    assert scalar(schemactl_empty_db, "SELECT to_regnamespace('schemactl')") is None


def test_other_sessions_wait_no_longer_than_lock_timeout_behind_a_waiting_apply(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    busy_table(schemactl_empty_db)
    write_sql(tmp_path, BUSY)
    holder, _, _ = open_holder(schemactl_empty_db)
    failures: list[BaseException] = []

    def run_apply() -> None:
        try:
            api.apply("sql", database_url=schemactl_empty_db, lock_timeout="2s",
                      auth_shim="never", project_dir=tmp_path)  # fmt: skip
        except BaseException as exc:  # asserted below
            failures.append(exc)

    applying = threading.Thread(target=run_apply)
    try:
        applying.start()
        wait_until(schemactl_empty_db, APPLY_WAITS_FOR_A_LOCK, (), 1)
        apply_waits_since = time.perf_counter()
        # a reader queues behind apply's waiting ACCESS EXCLUSIVE request...
        with psycopg.connect(schemactl_empty_db, autocommit=True) as reader:
            reader.execute("SET lock_timeout = 0")  # waits as long as it must
            started = time.perf_counter()
            row = reader.execute("SELECT count(*) FROM busy").fetchone()
            reader_waited = time.perf_counter() - started
        applying.join(timeout=30)
    finally:
        holder.close()
    # ...and gets its result once apply gives up: within lock_timeout (2 s)
    assert row == (1,)
    assert time.perf_counter() - apply_waits_since < 2.0 + MARGIN
    assert reader_waited < 2.0 + MARGIN, reader_waited
    assert reader_waited > 0.3, reader_waited  # it really was queued behind apply
    assert len(failures) == 1 and isinstance(failures[0], LockTimeoutError), failures
    assert busy_columns(schemactl_empty_db) == ["id"]


def test_lock_retries_a_lock_released_during_the_backoff_lets_the_retry_succeed(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    busy_table(schemactl_empty_db)
    write_sql(tmp_path, BUSY)
    holder, holder_pid, _ = open_holder(schemactl_empty_db)
    warnings: list[str] = []

    def warn(line: str) -> None:
        warnings.append(line)
        holder.rollback()  # the long transaction ends while apply backs off

    try:
        result = api.apply("sql", database_url=schemactl_empty_db, lock_timeout="500ms",
                           lock_retries=3, auth_shim="never", warn=warn,
                           project_dir=tmp_path)  # fmt: skip
    finally:
        holder.close()
    assert result.status == "applied"
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("sql/b.sql:1:1: canceling statement due to lock timeout")
    assert f"held by pid {holder_pid}" in warnings[0]
    assert "; rolled back, retry 1 of 3 in " in warnings[0]
    assert busy_columns(schemactl_empty_db) == ["id", "note"]
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 1
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM fresh") == 0


def test_lock_retries_n_retries_then_the_error(tmp_path: Path, schemactl_empty_db: str) -> None:
    busy_table(schemactl_empty_db)
    write_sql(tmp_path, BUSY)
    holder, holder_pid, _ = open_holder(schemactl_empty_db)
    warnings: list[str] = []
    try:
        started = time.perf_counter()
        with pytest.raises(LockTimeoutError) as caught:
            api.apply("sql", database_url=schemactl_empty_db, lock_timeout="300ms",
                      lock_retries=2, auth_shim="never", warn=warnings.append,
                      project_dir=tmp_path)  # fmt: skip
        elapsed = time.perf_counter() - started
    finally:
        holder.close()
    assert [w.split("; rolled back, ")[1][:10] for w in warnings] == ["retry 1 of", "retry 2 of"]
    assert f"held by pid {holder_pid}" in caught.value.message
    # 3 waits of 0.3 s, backoffs in [0.25, 0.5] and [0.5, 1.0]
    assert 3 * 0.3 + 0.25 + 0.5 <= elapsed < 3 * 0.3 + 0.5 + 1.0 + 2 * MARGIN, elapsed
    assert busy_columns(schemactl_empty_db) == ["id"]
    assert scalar(schemactl_empty_db, "SELECT to_regnamespace('schemactl')") is None


def test_cli_lock_retries_prints_each_retry_then_one_line(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    busy_table(schemactl_empty_db)
    write_sql(tmp_path, BUSY)
    holder, holder_pid, _ = open_holder(schemactl_empty_db)
    try:
        result = CliRunner().invoke(
            main,
            [
                "apply",
                "sql",
                "--database-url",
                schemactl_empty_db,
                "--auth-shim",
                "never",
                "--lock-timeout",
                "200ms",
                "--lock-retries",
                "1",
            ],
            env={"SCHEMACTL_PROJECT_DIR": str(tmp_path)},
        )
    finally:
        holder.close()
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("schemactl: warning: sql/b.sql:1:1: canceling statement"), lines
    assert "retry 1 of 1" in lines[0]
    assert lines[1].startswith("schemactl: sql/b.sql:1:1: ") or lines[1].startswith("sql/b.sql")
    assert f"pid {holder_pid}" in lines[1]
    assert all(line.startswith("  ") for line in lines[2:]), lines
    assert "Traceback" not in result.output
    assert busy_columns(schemactl_empty_db) == ["id"]


def test_lock_wait_and_lock_retries_settings(tmp_path: Path, schemactl_empty_db: str) -> None:
    (tmp_path / "schemactl.toml").write_text('lock_wait = "2min"\nlock_retries = 4\n')
    settings = load_settings(tmp_path, env={})
    assert (settings.lock_wait, settings.lock_retries) == ("2min", 4)
    env = {"SCHEMACTL_LOCK_RETRIES": "2", "SCHEMACTL_LOCK_WAIT": "5s"}
    assert load_settings(tmp_path, env=env).lock_retries == 2
    assert load_settings(tmp_path, env=env).lock_wait == "5s"
    assert load_settings(tmp_path, env={}).lock_wait == "2min"
    assert load_settings(Path(tmp_path / "nowhere"), env={}).lock_wait == "60s"
    (tmp_path / "schemactl.toml").write_text('lock_retries = "many"\n')
    with pytest.raises(ConfigError, match=r"schemactl.toml:1: lock_retries must be an integer"):
        load_settings(tmp_path, env={})
    with pytest.raises(ConfigError, match="SCHEMACTL_LOCK_RETRIES: lock_retries must be"):
        load_settings(tmp_path / "nowhere", env={"SCHEMACTL_LOCK_RETRIES": "-1"})
    # an invalid duration is refused by the server, before anything runs
    sql_dir = write_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    with pytest.raises(ConfigError, match="invalid lock_wait 'soon'"):
        api.apply(sql_dir, database_url=schemactl_empty_db, lock_wait="soon",
                  auth_shim="never", project_dir=tmp_path / "nowhere")  # fmt: skip
    assert scalar(schemactl_empty_db, "SELECT to_regclass('public.t')") is None
