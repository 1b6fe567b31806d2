"""`schemactl partitions` on real PostgreSQL: ensure, the default partition, concurrency, faults,
status, prune, the pg_cron function and the diff (issue 7; faults and concurrency of issue 8)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from partitions_world import (
    PARENT,
    fingerprint,
    month_name,
    partitions_of,
    placement,
    seed_telemetry,
    this_month,
    write_project,
)
from schemactl import partitions
from schemactl.errors import DatabaseError, LockTimeoutError
from schemactl.partitions.periods import add_months, partition_name, wanted_periods
from schemactl.testing.server import TestServer

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def _connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url)


def test_ensure_creates_the_spec_names_moves_default_rows_and_then_does_nothing(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [-14, -2, 0, 1, 3])
        before = fingerprint(conn)
        assert placement(conn) == {"agent_telemetry_default": 50}

        result = partitions.ensure(database_url=schemactl_db_url, project_dir=project)

        names = [month_name(i) for i in range(4)]
        assert [c.partition for c in result.created] == names
        assert [c.rows_moved for c in result.created] == [10, 10, 0, 10]
        assert result.guarded == ("public.agent_telemetry_default",)
        assert result.warnings == ()
        assert fingerprint(conn) == before  # no row lost or duplicated
        assert placement(conn) == {
            "agent_telemetry_default": 20,  # the past months stay where they were
            names[0]: 10,
            names[1]: 10,
            names[3]: 10,
        }
        assert set(names) <= set(partitions_of(conn))
        # bounds: UTC midnight of the month's first day
        bound = conn.execute(
            "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = %s",
            (names[1],),
        ).fetchone()
        conn.commit()
        start, end = add_months(this_month(), 1), add_months(this_month(), 2)
        assert (
            bound is not None
            and f"'{start} 00:00:00" in bound[0]
            and f"'{end} 00:00:00" in bound[0]
        )

        # idempotent: nothing to do, nothing changed
        snapshot = partitions_of(conn)
        again = partitions.ensure(database_url=schemactl_db_url, project_dir=project)
        assert again == partitions.EnsureResult()
        assert partitions_of(conn) == snapshot

        # inserts for this month and the next three land in their own partitions
        with conn.cursor() as cur:
            for i in range(4):
                cur.execute(
                    "INSERT INTO agent_telemetry (agent_id, project_id, timestamp, metrics)"
                    " SELECT agent_id, project_id, %s, '{}' FROM agent_telemetry LIMIT 1"
                    " RETURNING tableoid::regclass::text",
                    (dt.datetime.combine(add_months(this_month(), i), dt.time(12), dt.UTC),),
                )
                row = cur.fetchone()
                assert row is not None and row[0] == names[i]
        conn.rollback()


def test_lock_timeout_bounds_every_ddl_wait_and_so_the_readers_queued_behind_it(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path, premake=0)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [0])
        before = fingerprint(conn)
    errors: list[BaseException] = []
    with psycopg.connect(schemactl_db_url) as reader:
        # a long reader of the parent holds ACCESS SHARE on the default partition, which
        # ATTACH must lock exclusively: ensure waits, and readers arriving now queue behind it
        reader.execute("SELECT count(*) FROM agent_telemetry").fetchone()

        def run() -> None:
            try:
                partitions.ensure(
                    database_url=schemactl_db_url, project_dir=project, lock_timeout="300ms"
                )
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        started = time.monotonic()
        thread.start()
        _wait_for_lock_wait(schemactl_db_url)
        with psycopg.connect(schemactl_db_url, autocommit=True) as late:
            queued = time.monotonic()
            late.execute("SELECT count(*) FROM agent_telemetry").fetchone()
            waited = time.monotonic() - queued
        thread.join(30)
        failed_after = time.monotonic() - started
        reader.rollback()
    (error,) = errors
    assert isinstance(error, LockTimeoutError), error
    assert waited < 1.5 and failed_after < 5, (waited, failed_after)
    with _connect(schemactl_db_url) as conn:
        assert fingerprint(conn) == before and month_name(0) not in partitions_of(conn)
    # once the reader is gone the same run goes through
    result = partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    assert [c.partition for c in result.created] == [month_name(0)]


def test_a_guarded_default_is_not_scanned_by_attach(tmp_path: Path, schemactl_db_url: str) -> None:
    project = write_project(tmp_path)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [-3, 0])
        partitions.ensure(database_url=schemactl_db_url, project_dir=project)
        guard = conn.execute(
            "SELECT convalidated, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'agent_telemetry_default'::regclass"
            " AND conname = 'schemactl_partitions_horizon'"
        ).fetchone()
        assert guard is not None and guard[0] is True
        assert str(this_month()) in guard[1]
        # PostgreSQL says at DEBUG1 when a new partition's ATTACH skips the default's scan
        messages: list[str] = []
        conn.add_notice_handler(lambda diag: messages.append(diag.message_primary or ""))
        conn.execute("SET client_min_messages = debug1")
        start = add_months(this_month(), 4)
        moved = conn.execute(
            "SELECT schemactl.ensure_partition(%s::regclass, %s, %s, %s, '5s', '60s')",
            (PARENT, month_name(4), start, add_months(start, 1)),
        ).fetchone()
        conn.commit()
        assert moved == (0,)
        assert any(
            "default partition" in m and "implied by existing constraints" in m for m in messages
        ), messages


def test_rows_beyond_the_covered_months_keep_the_default_unguarded_with_a_warning(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path, premake=1)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [0, 5])
        before = fingerprint(conn)
        result = partitions.ensure(database_url=schemactl_db_url, project_dir=project)
        assert [c.partition for c in result.created] == [month_name(0), month_name(1)]
        assert result.guarded == ()
        (warning,) = result.warnings
        assert "agent_telemetry_default holds rows at or after" in warning
        assert fingerprint(conn) == before
        assert placement(conn)["agent_telemetry_default"] == 10


def test_eight_concurrent_ensures_create_each_partition_once(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [0, 1, 2])
        before = fingerprint(conn)
    results: list[partitions.EnsureResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def run() -> None:
        try:
            barrier.wait()
            results.append(partitions.ensure(database_url=schemactl_db_url, project_dir=project))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    created = [c.partition for r in results for c in r.created]
    assert sorted(created) == [month_name(i) for i in range(4)]  # each one exactly once
    assert sum(len(r.guarded) for r in results) <= 1
    with _connect(schemactl_db_url) as conn:
        assert fingerprint(conn) == before
        managed = conn.execute("SELECT count(*) FROM schemactl.managed_partitions").fetchone()
        assert managed == (4,)


def _kill(url: str, application_name: str = "schemactl partitions") -> int:
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s AND pid <> pg_backend_pid()",
            (application_name,),
        ).fetchall()
    return len(rows)


STEPS = ["install", "create 0", "create 1", "create 2", "create 3", "guard", "validate"]


@pytest.mark.parametrize("kill_at", range(len(STEPS)), ids=STEPS)
def test_killed_at_each_step_loses_nothing_and_a_rerun_completes(
    tmp_path: Path, schemactl_db_url: str, kill_at: int
) -> None:
    project = write_project(tmp_path)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [-1, 0, 1, 3])
        before = fingerprint(conn)
    seen: list[str] = []

    def step(name: str) -> None:
        seen.append(name)
        if len(seen) - 1 == kill_at:
            assert _kill(schemactl_db_url) == 1

    with pytest.raises(DatabaseError):
        partitions.ensure(database_url=schemactl_db_url, project_dir=project, step=step)
    assert len(seen) == kill_at + 1
    with _connect(schemactl_db_url) as conn:
        assert fingerprint(conn) == before
    rerun = partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    assert len(rerun.created) == 4 - max(0, min(kill_at - 1, 4))
    with _connect(schemactl_db_url) as conn:
        assert fingerprint(conn) == before
        assert set(placement(conn)) == {"agent_telemetry_default"} | {
            month_name(i) for i in (0, 1, 3)
        }
    assert partitions.ensure(database_url=schemactl_db_url, project_dir=project) == (
        partitions.EnsureResult()
    )


def _wait_for_lock_wait(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as probe:
        while time.monotonic() < deadline:
            row = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'schemactl partitions' AND wait_event_type = 'Lock'"
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.05)
    raise AssertionError("ensure never waited for the lock")


@pytest.mark.parametrize(
    ("holder", "where"),
    [
        ("LOCK TABLE agent_telemetry_default IN ROW EXCLUSIVE MODE", "before the move"),
        ("LOCK TABLE agent_telemetry IN SHARE UPDATE EXCLUSIVE MODE", "at ATTACH, rows moved"),
    ],
    ids=["move", "attach"],
)
def test_killed_inside_the_move_transaction_loses_nothing(
    tmp_path: Path, schemactl_db_url: str, holder: str, where: str
) -> None:
    project = write_project(tmp_path, premake=0)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [-1, 0], per_month=50)
        before = fingerprint(conn)
    errors: list[BaseException] = []
    with psycopg.connect(schemactl_db_url) as blocker:
        blocker.execute(holder)  # held until the end of this block (autocommit off)

        def run() -> None:
            try:
                partitions.ensure(
                    database_url=schemactl_db_url, project_dir=project, lock_timeout="60s"
                )
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        _wait_for_lock_wait(schemactl_db_url)
        assert _kill(schemactl_db_url) == 1, where
        thread.join(30)
        blocker.rollback()
    assert len(errors) == 1 and isinstance(errors[0], DatabaseError)
    with _connect(schemactl_db_url) as conn:
        assert fingerprint(conn) == before
        assert month_name(0) not in partitions_of(conn)
    result = partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    assert [(c.partition, c.rows_moved) for c in result.created] == [(month_name(0), 100)]
    with _connect(schemactl_db_url) as conn:
        assert fingerprint(conn) == before


def test_new_partitions_are_as_safe_as_the_parent(tmp_path: Path, schemactl_db_url: str) -> None:
    project = write_project(tmp_path, premake=0)
    with _connect(schemactl_db_url) as conn:
        # as on Supabase: default privileges would give client roles every new table
        conn.execute(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated"
        )
        conn.execute("ALTER TABLE agent_telemetry FORCE ROW LEVEL SECURITY")
        conn.commit()
        partitions.ensure(database_url=schemactl_db_url, project_dir=project)
        row = conn.execute(
            "SELECT c.relowner::regrole::text, p.relowner::regrole::text, c.relrowsecurity,"
            " c.relforcerowsecurity,"
            " has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),"
            " has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE'),"
            " has_table_privilege('service_role', c.oid, 'SELECT, INSERT, UPDATE, DELETE')"
            " FROM pg_class c, pg_class p"
            " WHERE c.oid = %s::regclass AND p.oid = 'agent_telemetry'::regclass",
            (f"public.{month_name(0)}",),
        ).fetchone()
        conn.commit()
    assert row is not None
    owner, parent_owner, rls, forced, anon, authenticated, service = row
    assert owner == parent_owner == "schemactl_owner"
    assert (rls, forced) == (True, True)
    assert (anon, authenticated, service) == (False, False, True)


def test_status_reports_partitions_default_rows_and_coverage(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [-2, 0], per_month=3)
    (before,) = partitions.status(database_url=schemactl_db_url, project_dir=project)
    assert (before.covered_ahead, before.ok, before.default_rows) == (-1, False, 12)
    assert before.default_partition == "agent_telemetry_default" and not before.default_guarded
    partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    (after,) = partitions.status(database_url=schemactl_db_url, project_dir=project)
    assert (after.covered_ahead, after.ok, after.default_rows, after.default_guarded) == (
        3,
        True,
        6,
        True,
    )
    names = [p.name for p in after.partitions]
    assert names == ["agent_telemetry_2025_01", *[month_name(i) for i in range(4)],
                     "agent_telemetry_default"]  # fmt: skip
    assert [p.managed for p in after.partitions] == [False, True, True, True, True, False]
    # the hole between the spec's 2025-01 and this month
    assert after.gaps == (("2025-02-01", str(this_month())),)
    assert after.overlaps == ()


def test_prune_lists_then_drops_or_detaches_old_partitions(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path)  # retention 13 months
    today = this_month()
    listed = partitions.prune(database_url=schemactl_db_url, project_dir=project, today=today)
    assert [(p.partition, p.action) for p in listed] == [
        ("public.agent_telemetry_2025_01", "would prune")
    ]
    # ensure installs the functions; then one 15 months old, made by the same function
    partitions.ensure(database_url=schemactl_db_url, project_dir=project, today=today)
    old = month_name(-15)
    with _connect(schemactl_db_url) as conn:
        assert "agent_telemetry_2025_01" in partitions_of(conn)  # the dry run changed nothing
        start = add_months(today, -15)
        conn.execute(
            "SELECT schemactl.ensure_partition(%s::regclass, %s, %s, %s, '5s', '60s')",
            (PARENT, old, start, add_months(start, 1)),
        )
        conn.commit()
    dropped = partitions.prune(
        database_url=schemactl_db_url, project_dir=project, today=today, drop=True,
        older_than=f"{(today.year - 2025) * 12 + today.month - 2}months",
    )  # fmt: skip
    assert [(p.partition, p.action) for p in dropped] == [
        ("public.agent_telemetry_2025_01", "dropped")
    ]
    detached = partitions.prune(
        database_url=schemactl_db_url, project_dir=project, today=today, detach=True
    )
    assert [(p.partition, p.action) for p in detached] == [(f"public.{old}", "detached")]
    with _connect(schemactl_db_url) as conn:
        names = partitions_of(conn)
        exists = conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL, to_regclass('public.agent_telemetry_2025_01')"
            " IS NOT NULL",
            (f"public.{old}",),
        ).fetchone()
    assert old not in names and "agent_telemetry_2025_01" not in names
    assert month_name(0) in names
    assert exists == (True, False)  # detached: kept as a table; dropped: gone


def test_the_cron_function_names_periods_as_the_cli_does(
    schemactl_db_url: str, tmp_path: Path
) -> None:
    project = write_project(tmp_path, premake=0)
    partitions.ensure(database_url=schemactl_db_url, project_dir=project)  # installs
    with _connect(schemactl_db_url) as conn:
        conn.execute(
            "CREATE TABLE public.pw_events (at date NOT NULL, v int) PARTITION BY RANGE (at);"
            "CREATE TABLE public.pw_hits (at timestamp NOT NULL) PARTITION BY RANGE (at)"
        )
        created = conn.execute(
            "SELECT schemactl.ensure_partitions('public.pw_events', 'week', 2, '5s', '60s'),"
            " schemactl.ensure_partitions('public.pw_hits', 'day', 3, '5s', '60s')"
        ).fetchone()
        today = conn.execute("SELECT (now() AT TIME ZONE 'UTC')::date").fetchone()
        names = conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent IN ('public.pw_events'::regclass, 'public.pw_hits'::regclass)"
        ).fetchall()
        conn.rollback()
    assert created == (3, 4) and today is not None
    expected = {
        partition_name("pw_events", p.start, "week") for p in wanted_periods(today[0], "week", 2)
    } | {partition_name("pw_hits", p.start, "day") for p in wanted_periods(today[0], "day", 3)}
    expected |= {"pw_events_default", "pw_hits_default"}  # default_partition defaults to true
    assert {n for (n,) in names} == expected


def _has_pg_cron(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_setting('cron.database_name', true)").fetchone()
    return bool(row and row[0])


def test_schedule_registers_a_pg_cron_job_or_refuses_without_pg_cron(
    tmp_path: Path, schemactl_db_url: str, schemactl_server: TestServer
) -> None:
    project = write_project(tmp_path, premake=2)
    if not _has_pg_cron(schemactl_db_url):  # the embedded PostgreSQL 18: the refusal path
        with pytest.raises(Exception, match="pg_cron is not loaded") as caught:
            partitions.schedule(database_url=schemactl_db_url, project_dir=project)
        assert getattr(caught.value, "exit_code", None) == 2
        return
    (job,) = partitions.schedule(database_url=schemactl_db_url, project_dir=project)
    try:
        with psycopg.connect(schemactl_server.url_for("postgres")) as cron:
            row = cron.execute(
                "SELECT schedule, command, database FROM cron.job WHERE jobid = %s",
                (job.job_id,),
            ).fetchone()
        assert row is not None
        schedule, command, database = row
        assert schedule == "17 3 * * *"
        assert database == psycopg.conninfo.conninfo_to_dict(schemactl_db_url)["dbname"]
        assert command.startswith("SELECT schemactl.ensure_partitions('public.agent_telemetry'")
        # what the job runs works in the target database
        with psycopg.connect(schemactl_db_url) as conn:
            conn.execute(command)
            conn.commit()
            assert {month_name(i) for i in range(3)} <= set(partitions_of(conn))
        # scheduling again updates the same job
        (again,) = partitions.schedule(database_url=schemactl_db_url, project_dir=project)
        assert again.job_id == job.job_id
    finally:
        (removed,) = partitions.schedule(
            database_url=schemactl_db_url, project_dir=project, remove=True
        )
    assert removed.removed
    with psycopg.connect(schemactl_server.url_for("postgres")) as cron:
        assert cron.execute(
            "SELECT count(*) FROM cron.job WHERE jobid = %s", (job.job_id,)
        ).fetchone() == (0,)


def _forget_test_owner_grant(url: str) -> None:
    # the test template lets its owner role create in public (tests/conftest.py); the files
    # do not say so, and that grant is not what these tests are about
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("REVOKE CREATE ON SCHEMA public FROM schemactl_owner")


def test_diff_of_the_files_is_clean_after_ensure(
    tmp_path: Path, schemactl_db_url: str, schemactl_server: TestServer
) -> None:
    from schemactl.diff import diff_files

    project = write_project(tmp_path)
    with _connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [0, 1])
    partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    _forget_test_owner_grant(schemactl_db_url)
    result = diff_files(SQL_DIR, schemactl_db_url, shadow_url=schemactl_server.admin_url)
    assert not result.changes, result.statements


def test_diff_is_clean_when_the_files_define_a_partition_ensure_made(
    tmp_path: Path, schemactl_db_url: str, schemactl_server: TestServer
) -> None:
    import shutil

    from schemactl.diff import diff_files

    project = write_project(tmp_path / "project", premake=1)
    partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    name = month_name(0)
    start, end = this_month(), add_months(this_month(), 1)
    (sql_dir / "partitions" / "agent_telemetry_current.sql").write_text(
        f"CREATE TABLE {name} PARTITION OF agent_telemetry\n"
        f"  FOR VALUES FROM ('{start} 00:00:00+00') TO ('{end} 00:00:00+00');\n"
    )
    with open(sql_dir / "policies" / "agent_telemetry.sql", "a") as policies:
        policies.write(
            f"\nALTER TABLE public.{name} ENABLE ROW LEVEL SECURITY;\n"
            f"REVOKE ALL ON public.{name} FROM anon, authenticated, PUBLIC;\n"
            f"GRANT ALL ON public.{name} TO service_role;\n"
        )
    _forget_test_owner_grant(schemactl_db_url)
    result = diff_files(sql_dir, schemactl_db_url, shadow_url=schemactl_server.admin_url)
    assert not result.changes, result.statements


def test_default_partition_setting_makes_a_guarded_default_or_none(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    with _connect(schemactl_db_url) as conn:
        conn.execute(
            "CREATE TABLE public.pw_events (at date NOT NULL, v int) PARTITION BY RANGE (at);"
            "CREATE TABLE public.pw_hits (at timestamp NOT NULL) PARTITION BY RANGE (at);"
            "GRANT SELECT ON public.pw_events TO service_role"
        )
        conn.commit()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.schemactl.partitions."public.pw_events"]\ninterval = "day"\npremake = 2\n\n'
        '[tool.schemactl.partitions.pw_hits]\ninterval = "week"\npremake = 1\n'
        "default_partition = false\n"
    )
    result = partitions.ensure(database_url=schemactl_db_url, project_dir=tmp_path)
    today = dt.datetime.now(dt.UTC).date()
    assert [c.partition for c in result.created] == [
        "pw_events_default",
        *(partition_name("pw_events", p.start, "day") for p in wanted_periods(today, "day", 2)),
        *(partition_name("pw_hits", p.start, "week") for p in wanted_periods(today, "week", 1)),
    ]
    assert result.guarded == ("public.pw_events_default",)
    with _connect(schemactl_db_url) as conn:
        row = conn.execute(
            "SELECT c.relrowsecurity, has_table_privilege('service_role', c.oid, 'SELECT'),"
            " has_table_privilege('service_role', c.oid, 'INSERT'),"
            " pg_get_expr(c.relpartbound, c.oid),"
            " (SELECT convalidated FROM pg_constraint WHERE conrelid = c.oid"
            "  AND conname = 'schemactl_partitions_horizon'),"
            " to_regclass('public.pw_hits_default')"
            " FROM pg_class c WHERE c.oid = 'public.pw_events_default'::regclass"
        ).fetchone()
        conn.rollback()
    assert row == (True, True, False, "DEFAULT", True, None)
    assert partitions.ensure(database_url=schemactl_db_url, project_dir=tmp_path) == (
        partitions.EnsureResult()
    )


def test_periods_are_utc_whatever_the_servers_time_zone(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path)
    dbname = psycopg.conninfo.conninfo_to_dict(schemactl_db_url)["dbname"]
    with psycopg.connect(schemactl_db_url, autocommit=True) as conn:
        conn.execute(
            psycopg.sql.SQL("ALTER DATABASE {} SET TimeZone = 'Pacific/Auckland'").format(
                psycopg.sql.Identifier(str(dbname))
            )
        )
    result = partitions.ensure(database_url=schemactl_db_url, project_dir=project)
    assert [c.partition for c in result.created] == [month_name(i) for i in range(4)]
    (status,) = partitions.status(database_url=schemactl_db_url, project_dir=project)
    assert status.covered_ahead == 3 and status.gaps[-1][1] == str(this_month())
    assert partitions.ensure(database_url=schemactl_db_url, project_dir=project) == (
        partitions.EnsureResult()
    )
    with _connect(schemactl_db_url) as conn:  # a session in Auckland time, as pg_cron's
        row = conn.execute(
            "SELECT current_setting('TimeZone'),"
            " schemactl.ensure_partitions('public.agent_telemetry', 'month', 3, '5s', '60s')"
        ).fetchone()
        conn.commit()
    assert row == ("Pacific/Auckland", 0)
