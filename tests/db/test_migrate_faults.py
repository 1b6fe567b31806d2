"""The migrating apply (a database with a ledger: apply runs a diff) fails as clearly as the
first apply does (issues 6 and 8), through the CLI, with the catalog unchanged:

* a statement's lock wait times out: the error names the blocking session and its query,
  and ``--lock-retries`` runs the whole migration again;
* another apply holds the apply lock: bounded by ``--lock-wait``, reported as such, not
  retried as a lock timeout;
* the connection is lost mid-migration (``pg_terminate_backend``): one line, nothing
  changed; lost during ``COMMIT``: the outcome is unknown, and the message says so;
* enum labels are committed first, in a transaction of their own: a kill after that keeps
  them (the message says so), and apply of the files again completes the migration (a
  plan made before is refused as stale);
* a ``--concurrently`` step fails (a duplicate for a unique index): the ledger is not
  written, so apply again (after the fix) completes instead of saying up to date.

A small schema (an enum and a table) keeps each test at a few seconds; lock_timeout 1s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from click.testing import CliRunner

from faults import (
    LOST,
    Databases,
    assert_same_catalog,
    check_one_line,
    dbname_of,
    scalar,
    snapshot,
    terminate_when_stopped,
    wait_until_gone,
)
from schemactl.cli import main
from schemactl.db.apply import APPLY_LOCK_KEY
from schemactl.testing.server import TestServer

ITEMS_V1 = """CREATE TYPE public.status AS ENUM ('new', 'done');
CREATE TABLE public.items (
  id integer PRIMARY KEY,
  status public.status NOT NULL DEFAULT 'new'
);
"""
# v2: a column on items (the statement that waits for the table lock)
ITEMS_NOTE = ITEMS_V1.replace("DEFAULT 'new'\n", "DEFAULT 'new',\n  note text\n")
# v3: a new enum label (committed first) and a column on items
ITEMS_LABEL = ITEMS_NOTE.replace("'new', 'done'", "'new', 'done', 'void'")



def write_files(root: Path, text: str) -> Path:
    sql_dir = root / "sql"
    (sql_dir / "tables").mkdir(parents=True, exist_ok=True)
    (sql_dir / "tables" / "items.sql").write_text(text)
    return sql_dir


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def applied_v1(tmp_path: Path, databases: Databases) -> str:
    """A database with the v1 files applied (a ledger: the next apply migrates)."""
    url = databases.create()
    code, _, err = invoke("apply", str(write_files(tmp_path, ITEMS_V1)), "--database-url", url)
    assert code == 0, err
    return url


def has_note(url: str) -> bool:
    return bool(
        scalar(
            url,
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.items'::regclass"
            " AND attname = 'note' AND NOT attisdropped",
        )
    )


WAITING = (
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'schemactl'"
    " AND wait_event_type = 'Lock' AND datname = %s"
)
APPLY_WAITS = (
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemactl'"
    " AND wait_event_type = 'Lock' AND datname = current_database()"
)


def release_after_a_wait(url: str, holder: psycopg.Connection[Any]) -> None:
    """End ``holder``'s transaction 1.5 s after apply began to wait for its lock (1s)."""
    deadline = time.monotonic() + 60
    while scalar(url, APPLY_WAITS) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(1.5)
    holder.rollback()


@contextmanager
def killed_while_waiting(url: str, admin_url: str) -> Iterator[list[int]]:
    """A reader holds ``items`` while this block runs; the migration's ALTER TABLE waits
    behind it and is ``pg_terminate_backend``-ed from another session while it waits.

    (The event trigger of tests/faults.py would be drift the diff refuses to migrate.)
    """
    killed: list[int] = []

    def kill() -> None:
        deadline = time.monotonic() + 60
        with psycopg.connect(admin_url, autocommit=True) as admin:
            while time.monotonic() < deadline:
                row = admin.execute(WAITING, (dbname_of(url),)).fetchone()
                if row is not None:
                    admin.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                    killed.append(int(row[0]))
                    assert wait_until_gone(admin_url, int(row[0]))
                    return
                time.sleep(0.02)

    with psycopg.connect(url, application_name="nightly-report") as holder:
        holder.execute("SELECT count(*) FROM public.items")  # ACCESS SHARE until it ends
        killer = threading.Thread(target=kill, daemon=True)
        killer.start()
        yield killed
        killer.join(timeout=90)
        holder.rollback()


def test_lock_timeout_names_the_blocker_and_lock_retries_runs_it_again(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    url = applied_v1(tmp_path, databases)
    sql_dir = write_files(tmp_path, ITEMS_NOTE)
    before = snapshot(url)
    args = ("apply", str(sql_dir), "--database-url", url,
            "--shadow-url", schemactl_server.admin_url, "--lock-timeout", "1s")  # fmt: skip
    holder = psycopg.connect(url, application_name="nightly-report")
    try:
        holder.execute("SELECT count(*) FROM public.items")  # ACCESS SHARE until it ends
        holder_pid = holder.info.backend_pid
        code, out, err = invoke(*args)
        assert code == 2, out + err
        first, *rest = err.splitlines()
        assert "canceling statement due to lock timeout (in: ALTER TABLE" in first, err
        assert f'held by pid {holder_pid} (application "nightly-report"' in first, err
        assert 'query "SELECT count(*) FROM public.items"' in first, err
        print(f"migrate lock timeout: {first}")
        assert all(line.startswith("  ") for line in rest), err
        assert snapshot(url) == before
        assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1

        # the holder ends once the first attempt gave up: --lock-retries runs it again
        releaser = threading.Thread(target=release_after_a_wait, args=(url, holder))
        releaser.start()
        code, out, err = invoke(*args, "--lock-retries", "4")
        releaser.join(timeout=60)
    finally:
        holder.close()
    assert code == 0, out + err
    assert "rolled back, retry 1 of 4" in err and "held by pid" in err, err
    assert out.startswith("migrated "), out
    assert has_note(url)
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 2


def test_another_apply_holding_the_lock_is_bounded_by_lock_wait_not_retried(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    url = applied_v1(tmp_path, databases)
    sql_dir = write_files(tmp_path, ITEMS_NOTE)
    plan_file = tmp_path / "note.plan.json"
    code, out, err = invoke("plan", str(sql_dir), "--database-url", url,
                            "--shadow-url", schemactl_server.admin_url, "-o", str(plan_file))  # fmt: skip
    assert code in (0, 1), out + err
    before = snapshot(url)
    with psycopg.connect(url, application_name="other-apply") as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
        other_pid = other.info.backend_pid
        started = time.perf_counter()
        code, out, err = invoke("apply", "--plan", str(plan_file), "--database-url", url,
                                "--lock-wait", "1s", "--lock-timeout", "10s",
                                "--lock-retries", "3")  # fmt: skip
        waited = time.perf_counter() - started
        other.rollback()
    assert code == 2, out + err
    first = err.splitlines()[0]
    assert "another schemactl apply held the apply lock for longer than --lock-wait (1s)" in first
    assert f'held by pid {other_pid} (application "other-apply"' in first, err
    assert first.endswith("; nothing was changed"), err
    assert "retry" not in err, err  # not a statement's lock timeout: never retried
    print(f"migrate lock wait: {waited:.2f} s: {first}")
    assert waited < 8, waited  # 1 s of lock_wait, not 10 s of lock_timeout or retries
    assert snapshot(url) == before
    assert not has_note(url)


def test_connection_lost_mid_migration_is_one_line_and_changes_nothing(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    url = applied_v1(tmp_path, databases)
    sql_dir = write_files(tmp_path, ITEMS_NOTE)
    before = snapshot(url)
    with killed_while_waiting(url, schemactl_server.admin_url) as killed:
        code, out, err = invoke("apply", str(sql_dir), "--database-url", url,
                                "--shadow-url", schemactl_server.admin_url,
                                "--lock-timeout", "60s")  # fmt: skip
    assert len(killed) == 1, (code, out, err)
    check_one_line(err, code)
    assert "terminating connection due to administrator command" in err.splitlines()[0], err
    print(f"migrate killed: {err.splitlines()[0]}")
    assert_same_catalog(before, snapshot(url), "after the kill")
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1


# in a schema of its own: the diff compares the files' schemas and public only
SLEEP_AT_COMMIT = """
CREATE SCHEMA sleepy;
CREATE FUNCTION sleepy.sleep_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(120); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER sleep_at_commit AFTER INSERT ON schemactl.runs
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sleepy.sleep_at_commit();
"""


def test_connection_lost_during_commit_says_the_outcome_is_unknown(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    url = applied_v1(tmp_path, databases)
    sql_dir = write_files(tmp_path, ITEMS_NOTE)
    with psycopg.connect(url, autocommit=True) as conn:
        # a deferred trigger on the ledger sleeps in COMMIT: the fault hits COMMIT in flight
        conn.execute(SLEEP_AT_COMMIT)
    before = snapshot(url)
    with terminate_when_stopped(schemactl_server.admin_url, dbname_of(url)) as killer:
        code, out, err = invoke("apply", str(sql_dir), "--database-url", url,
                                "--shadow-url", schemactl_server.admin_url)  # fmt: skip
    assert killer.killed and killer.gone == [True], killer
    first, *rest = err.splitlines()
    assert code == 2, out + err
    assert f"{LOST} during COMMIT" in first, err
    assert first.endswith("the run may or may not have been committed"), err
    assert all(line.startswith("  ") for line in rest), err
    print(f"migrate killed in COMMIT: {first}")
    # the backend died in the deferred trigger, before the commit record: rolled back
    assert snapshot(url) == before
    assert not has_note(url)


def test_kill_after_the_enum_label_commit_keeps_the_label_and_a_rerun_completes(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    shadow = ("--shadow-url", schemactl_server.admin_url)
    # the clean migration, for the catalog a rerun must reach
    clean = applied_v1(tmp_path / "clean", databases)
    code, out, err = invoke("apply", str(write_files(tmp_path / "clean", ITEMS_LABEL)),
                            "--database-url", clean, *shadow)  # fmt: skip
    assert code == 0, out + err
    expected = snapshot(clean)

    url = applied_v1(tmp_path, databases)
    sql_dir = write_files(tmp_path, ITEMS_LABEL)
    plan_file = tmp_path / "label.plan.json"
    code, out, err = invoke("plan", str(sql_dir), "--database-url", url, *shadow,
                            "-o", str(plan_file))  # fmt: skip
    assert code in (0, 1), out + err
    # ALTER TYPE ... ADD VALUE commits first; ALTER TABLE items then waits and is killed
    with killed_while_waiting(url, schemactl_server.admin_url) as killed:
        code, out, err = invoke("apply", str(sql_dir), "--database-url", url, *shadow,
                                "--lock-timeout", "60s")  # fmt: skip
    assert len(killed) == 1, (code, out, err)
    first, *rest = err.splitlines()
    assert code == 2, out + err
    assert first.endswith(
        "nothing else was changed: the 1 enum label(s) added before, in a transaction of "
        "their own, stay (apply the files again to complete the migration; a plan made "
        "before is stale)"
    ), err
    assert LOST in first and all(line.startswith("  ") for line in rest), err
    print(f"migrate killed after the labels: {first}")
    labels = "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"
    assert scalar(url, labels) == "new,done,void"  # the label stayed
    assert not has_note(url)  # the transaction did not
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1

    # the plan was made on the schema without the label: it is stale now, nothing runs
    code, out, err = invoke("apply", "--plan", str(plan_file), "--database-url", url)
    assert code == 2 and "the schema changed since the plan was made" in err, out + err
    assert not has_note(url)
    code, out, err = invoke("apply", str(sql_dir), "--database-url", url, *shadow)
    assert code == 0, out + err
    assert out.startswith("migrated "), out
    assert_same_catalog(expected, snapshot(url), "after the rerun")
    code, out, err = invoke("diff", str(sql_dir), "--database-url", url, *shadow)
    assert code == 0, out + err  # the catalog equals the files'


def test_a_failed_concurrent_step_leaves_the_ledger_so_apply_again_completes(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    shadow = ("--shadow-url", schemactl_server.admin_url)
    url = databases.create()
    code, _, err = invoke("apply", str(write_files(tmp_path, ITEMS_NOTE)), "--database-url", url)
    assert code == 0, err
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO public.items (id, note) VALUES (1, 'a'), (2, 'a')")
    sql_dir = write_files(
        tmp_path, ITEMS_NOTE + "CREATE UNIQUE INDEX items_note_key ON public.items (note);\n"
    )
    args = ("apply", str(sql_dir), "--database-url", url, *shadow, "--concurrently")
    code, out, err = invoke(*args)
    assert code == 2, out + err
    first = err.splitlines()[0]
    assert "could not create unique index" in first, err
    assert "the transactional part and 0 step(s) after it were committed" in first, err
    print(f"migrate concurrent step failed: {first}")
    valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.items_note_key'::regclass"
    assert scalar(url, valid) is False  # the failed build left it INVALID
    # the ledger did not record the files: the next apply diffs again instead of 'up to date'
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE public.items SET note = 'b' WHERE id = 2")
    code, out, err = invoke(*args)
    assert code == 0, out + err
    assert out.startswith("migrated "), out
    assert scalar(url, valid) is True
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 2
    code, out, err = invoke("apply", str(sql_dir), "--database-url", url)
    assert code == 0 and "up to date" in out, out + err
    code, out, err = invoke("diff", str(sql_dir), "--database-url", url, *shadow)
    assert code == 0, out + err
