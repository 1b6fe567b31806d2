"""`schemactl refresh run / status / worker` on a real server: the log table is the witness."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from schemactl import refresh
from schemactl.cli import main
from schemactl.errors import ConfigError
from schemactl.refresh import REFRESH_LOCK_KEY

pytestmark = pytest.mark.db

# a view whose refresh takes `seconds` of the table `delay`, and fails while `broken` has a row
SLOW_VIEW = """
CREATE TABLE delay (seconds float8 NOT NULL);
INSERT INTO delay VALUES (0);
CREATE TABLE broken (why text);
CREATE FUNCTION slow_rows() RETURNS SETOF int LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_sleep(seconds) FROM public.delay;
  IF EXISTS (SELECT FROM public.broken) THEN RAISE EXCEPTION 'broken on purpose'; END IF;
  RETURN QUERY SELECT generate_series(1, 3);
END $$;
CREATE MATERIALIZED VIEW slow AS SELECT i FROM slow_rows() AS i;
CREATE UNIQUE INDEX slow_i_key ON slow (i);
"""


def execute(url: str, text: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(text.encode(), params or None)
        return cur.fetchall() if cur.description else []


def log_rows(url: str, view: str) -> list[tuple[Any, ...]]:
    """(outcome, method, started_at, duration, rows, reason) of ``view``, oldest first."""
    return execute(
        url,
        "SELECT outcome, method, started_at, duration, rows, reason FROM schemactl.refresh_log"
        " WHERE view_name = %s ORDER BY started_at, id",
        (view,),
    )


def assert_no_overlap(rows: list[tuple[Any, ...]]) -> None:
    refreshed = sorted((r[2], r[2] + r[3]) for r in rows if r[0] == "refreshed")
    for (_, end), (start, _) in itertools.pairwise(refreshed):
        assert start >= end, f"two refreshes overlap: one ends {end}, the next starts {start}"


def logging_sessions(url: str) -> int:
    """How many sessions have written to the refresh log (0 before it exists)."""
    if execute(url, "SELECT to_regclass('schemactl.refresh_log') IS NULL") == [(True,)]:
        return 0
    return int(execute(url, "SELECT count(DISTINCT backend_pid) FROM schemactl.refresh_log")[0][0])


def project(tmp_path: Path, toml: str = "") -> Path:
    (tmp_path / "schemactl.toml").write_text(toml)
    return tmp_path


def test_concurrently_when_a_unique_index_allows_it_plain_otherwise(
    schemactl_empty_db: str, tmp_path: Path
) -> None:
    url = schemactl_empty_db
    execute(
        url,
        """
        CREATE TABLE t (id int PRIMARY KEY, v int);
        INSERT INTO t SELECT g, g % 3 FROM generate_series(1, 10) g;
        CREATE MATERIALIZED VIEW keyed AS SELECT id, v FROM t;
        CREATE UNIQUE INDEX ON keyed (id);
        CREATE MATERIALIZED VIEW empty_keyed AS SELECT id FROM t WITH NO DATA;
        CREATE UNIQUE INDEX ON empty_keyed (id);
        CREATE MATERIALIZED VIEW partial AS SELECT id FROM t;
        CREATE UNIQUE INDEX ON partial (id) WHERE id > 0;
        CREATE MATERIALIZED VIEW expr AS SELECT id FROM t;
        CREATE UNIQUE INDEX ON expr ((id + 0));
        CREATE MATERIALIZED VIEW bare AS SELECT v, count(*) AS n FROM t GROUP BY v;
        """,
    )
    results = refresh.run(database_url=url, project_dir=project(tmp_path))
    got = {r.view: (r.outcome, r.method, r.rows) for r in results}
    assert got == {
        "public.bare": ("refreshed", "plain", 3),
        "public.empty_keyed": ("refreshed", "plain", 10),
        "public.expr": ("refreshed", "plain", 10),
        "public.keyed": ("refreshed", "concurrently", 10),
        "public.partial": ("refreshed", "plain", 10),
    }
    populated = execute(url, "SELECT relispopulated FROM pg_class WHERE relname = 'empty_keyed'")
    assert populated == [(True,)]
    # populated now: the second refresh of empty_keyed may run CONCURRENTLY
    [again] = refresh.run(["empty_keyed"], database_url=url, project_dir=tmp_path)
    assert (again.method, again.rows) == ("concurrently", 10)
    # the view holds the table's data as of the refresh
    execute(url, "INSERT INTO t VALUES (11, 1)")
    refresh.run(["public.keyed"], database_url=url, project_dir=tmp_path)
    assert execute(url, "SELECT count(*) FROM keyed") == [(11,)]
    rows = log_rows(url, "public.keyed")
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("refreshed", "concurrently", 10),
        ("refreshed", "concurrently", 11),
    ]
    assert all(r[3] > timedelta(0) for r in rows)


def test_default_views_are_the_configured_ones(schemactl_empty_db: str, tmp_path: Path) -> None:
    url = schemactl_empty_db
    execute(
        url,
        "CREATE SCHEMA s; CREATE MATERIALIZED VIEW s.a AS SELECT 1 AS x;"
        " CREATE MATERIALIZED VIEW b AS SELECT 2 AS x;",
    )
    configured = project(tmp_path, '[refresh."s.a"]\nevery = "5m"\n')
    results = refresh.run(database_url=url, project_dir=configured)
    assert [r.view for r in results] == ["s.a"]
    assert log_rows(url, "public.b") == []


def test_a_refresh_held_by_another_session_is_skipped_exit_0(
    schemactl_empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = schemactl_empty_db
    execute(url, "CREATE MATERIALIZED VIEW m AS SELECT 1 AS x")
    monkeypatch.chdir(project(tmp_path))
    with psycopg.connect(url) as holder:
        holder.execute(
            "SELECT pg_advisory_xact_lock(%s, 'm'::regclass::oid::int4)", (REFRESH_LOCK_KEY,)
        )
        result = CliRunner().invoke(main, ["refresh", "run", "m", "--database-url", url])
        assert result.exit_code == 0, result.output
        assert "public.m: skipped: another refresh of the view holds its lock" in result.output
        holder.rollback()
    assert [r[0] for r in log_rows(url, "public.m")] == ["skipped"]


def test_four_concurrent_runs_one_refreshes_the_others_skip(
    schemactl_empty_db: str, tmp_path: Path
) -> None:
    url = schemactl_empty_db
    execute(url, SLOW_VIEW)
    execute(url, "UPDATE delay SET seconds = 1")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            barrier.wait()
            [result] = refresh.run(["slow"], database_url=url, project_dir=project(tmp_path))
            outcomes.append(result.outcome)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(outcomes) == ["refreshed", "skipped", "skipped", "skipped"]
    rows = log_rows(url, "public.slow")
    assert sorted(r[0] for r in rows) == ["refreshed", "skipped", "skipped", "skipped"]
    [done] = [r for r in rows if r[0] == "refreshed"]
    assert done[3] >= timedelta(seconds=1)
    # every skip happened while the refresh held the view
    for skipped in (r for r in rows if r[0] == "skipped"):
        assert done[2] <= skipped[2] <= done[2] + done[3]


def test_a_failed_refresh_is_logged_and_exits_2(
    schemactl_empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = schemactl_empty_db
    execute(url, SLOW_VIEW + "INSERT INTO broken VALUES ('x');")
    execute(url, "CREATE MATERIALIZED VIEW fine AS SELECT 1 AS x")
    monkeypatch.chdir(project(tmp_path))
    result = CliRunner().invoke(main, ["refresh", "run", "slow", "fine", "--database-url", url])
    assert result.exit_code == 2
    assert "refresh of public.slow failed: broken on purpose" in result.output
    assert "Traceback" not in result.output
    assert [r[0] for r in log_rows(url, "public.slow")] == ["failed"]
    # the other view still ran
    assert [r[0] for r in log_rows(url, "public.fine")] == ["refreshed"]
    with pytest.raises(ConfigError, match="no materialized view 'nope'"):
        refresh.run(["nope"], database_url=url, project_dir=tmp_path)


def test_status_reports_last_refresh_and_staleness(
    schemactl_empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    url = schemactl_empty_db
    execute(url, "CREATE MATERIALIZED VIEW m AS SELECT generate_series(1, 4) AS x")
    execute(url, "CREATE MATERIALIZED VIEW never AS SELECT 1 AS x")
    monkeypatch.chdir(project(tmp_path, '[refresh.m]\nevery = "10s"\n'))
    # before any refresh (no log table yet): every view is "never"
    before = refresh.status(database_url=url)
    assert [(s.view, s.last_refresh, s.every) for s in before] == [
        ("public.m", None, "10s"),
        ("public.never", None, None),
    ]
    refresh.run(database_url=url)
    time.sleep(0.2)
    result = CliRunner().invoke(
        main, ["refresh", "status", "--database-url", url, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    found = {row["view"]: row for row in json.loads(result.output)}
    assert found["public.m"]["rows"] == 4
    assert found["public.m"]["every"] == "10s"
    assert found["public.m"]["method"] == "plain"
    assert 0.2 <= found["public.m"]["staleness_s"] < 30
    assert found["public.never"]["last_refresh"] is None
    [logged] = log_rows(url, "public.m")
    assert datetime.fromisoformat(found["public.m"]["last_refresh"]) == logged[2]
    text = CliRunner().invoke(main, ["refresh", "status", "--database-url", url])
    assert text.exit_code == 0
    assert text.output.splitlines()[0].split()[:2] == ["VIEW", "LAST"]
    # monitoring: exit 1 when a view is staler than --max-staleness, or never refreshed
    fresh = CliRunner().invoke(
        main, ["refresh", "status", "m", "--database-url", url, "--max-staleness", "1h"]
    )
    assert fresh.exit_code == 0, fresh.output
    late = CliRunner().invoke(
        main, ["refresh", "status", "--database-url", url, "--max-staleness", "1h"]
    )
    assert late.exit_code == 1
    assert late.output.splitlines()[-1] == (
        "schemactl: refresh status: 1 view staler than 1h: public.never (never refreshed)"
    )
    time.sleep(1.1)
    old = CliRunner().invoke(
        main, ["refresh", "status", "m", "--database-url", url, "--max-staleness", "1s"]
    )
    assert old.exit_code == 1
    assert "public.m (" in old.output
    bad = CliRunner().invoke(
        main, ["refresh", "status", "--database-url", url, "--max-staleness", "*/5 * * * *"]
    )
    assert bad.exit_code == 2
    assert "is a cron line, not an interval" in bad.output


def test_worker_retries_a_failing_view_with_backoff_then_recovers(
    schemactl_empty_db: str, tmp_path: Path
) -> None:
    url = schemactl_empty_db
    execute(url, SLOW_VIEW + "INSERT INTO broken VALUES ('x');")
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=refresh.worker,
        kwargs={
            "database_url": url,
            "project_dir": project(tmp_path, '[refresh.slow]\nevery = "1s"\n'),
            "echo": lines.append,
            "stop": stop,
        },
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while sum("failed" in line for line in lines) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        execute(url, "DELETE FROM broken")
        while not any("refreshed" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(20)
    assert not thread.is_alive()
    rows = log_rows(url, "public.slow")
    failed = [r[2] for r in rows if r[0] == "failed"]
    assert len(failed) >= 3
    assert any(r[0] == "refreshed" for r in rows)
    # backoff: the waits between failures grow (0.25-0.5 s, then 0.5-1 s)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(failed)]
    assert gaps[1] > 0.45 and gaps[0] < gaps[1] + 0.3
    assert all("broken on purpose" in (r[5] or "") for r in rows if r[0] == "failed")
    assert lines[0].startswith("schemactl refresh worker: public.slow every 1s")


def test_two_worker_processes_never_overlap_and_stop_on_sigterm(
    schemactl_db_url: str, tmp_path: Path
) -> None:
    url = schemactl_db_url
    work = project(tmp_path, '[refresh.project_realtime_stats]\nevery = "1s"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCHEMACTL_", "DATABASE_URL"))}
    command = [sys.executable, "-m", "schemactl.cli", "refresh", "worker", "--database-url", url]
    workers = [
        subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and logging_sessions(url) < 2:
            time.sleep(0.1)  # until both workers have made an attempt
        time.sleep(3)
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        outputs = [proc.communicate(timeout=30) for proc in workers]
    assert [proc.returncode for proc in workers] == [0, 0], outputs
    rows = log_rows(url, "public.project_realtime_stats")
    refreshed = [r for r in rows if r[0] == "refreshed"]
    assert len(refreshed) >= 3
    assert_no_overlap(rows)
    # one line per attempt, and about one refresh per tick (not one per worker and tick)
    attempt_lines = [
        line
        for out, _ in outputs
        for line in out.splitlines()
        if " public.project_realtime_stats " in line and not line.startswith("schemactl")
    ]
    assert len(attempt_lines) == len(rows)
    seconds = {r[2].replace(microsecond=0) for r in refreshed}
    assert len(refreshed) <= len(seconds) + 1
    assert all(err == "" for _, err in outputs), outputs


def test_worker_without_schedules_is_a_usage_error(
    schemactl_empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project(tmp_path))
    result = CliRunner().invoke(
        main, ["refresh", "worker", "--database-url", schemactl_empty_db]
    )
    assert result.exit_code == 2
    assert "no refresh schedules in the config" in result.output


def test_a_configured_view_that_does_not_exist_names_the_config_line(
    schemactl_empty_db: str, tmp_path: Path
) -> None:
    configured = project(tmp_path, '\n[refresh.nope]\nevery = "1m"\n')
    with pytest.raises(ConfigError, match=r"schemactl\.toml:2: refresh: no materialized view"):
        refresh.status(database_url=schemactl_empty_db, project_dir=configured)


def test_run_json_and_nothing_to_refresh(
    schemactl_empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    url = schemactl_empty_db
    monkeypatch.chdir(project(tmp_path))
    result = CliRunner().invoke(main, ["refresh", "run", "--database-url", url])
    assert (result.exit_code, result.output) == (0, "no materialized views to refresh\n")
    # nothing to refresh creates nothing either
    assert execute(url, "SELECT to_regnamespace('schemactl') IS NULL") == [(True,)]
    execute(url, "CREATE MATERIALIZED VIEW m AS SELECT generate_series(1, 2) AS x")
    result = CliRunner().invoke(main, ["refresh", "run", "--database-url", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["view"], row["outcome"], row["method"], row["rows"]) == (
        "public.m",
        "refreshed",
        "plain",
        2,
    )
    [logged] = log_rows(url, "public.m")
    assert datetime.fromisoformat(row["started_at"]) == logged[2]


def test_a_session_killed_during_a_refresh_is_one_line_exit_2(
    schemactl_empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = schemactl_empty_db
    execute(
        url,
        "CREATE TABLE armed (on_ boolean);"
        " CREATE FUNCTION kill_me() RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
        " IF EXISTS (SELECT FROM public.armed) THEN PERFORM pg_terminate_backend(pg_backend_pid());"
        " END IF; RETURN 1; END $$;"
        " CREATE MATERIALIZED VIEW a_dies AS SELECT public.kill_me() AS x;"
        " CREATE MATERIALIZED VIEW b_after AS SELECT 1 AS x;"
        " INSERT INTO armed VALUES (true);",
    )
    monkeypatch.chdir(project(tmp_path))
    result = CliRunner().invoke(main, ["refresh", "run", "--database-url", url])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("schemactl: ")
    assert "a_dies" in result.output.splitlines()[0]
    # nothing was refreshed by the dead session; the view keeps its old contents
    assert execute(url, "SELECT x FROM a_dies") == [(1,)]
