"""Plan files on the platform schema: made, refused on a target that changed, run, recorded.

The target is a fresh database with a copy of sql/ applied; the files are that copy with
one column added. A plan made before someone changes the target by hand
must not run (exit 2) and must change nothing, compared by a full catalog snapshot; a plan
run on the target it was made for leaves nothing for a second diff.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from schemactl import api, partitions
from schemactl.cli import main
from schemactl.db.snapshot import catalog_snapshot
from schemactl.diff import diff_files
from schemactl.diff.planfile import (
    MigrationPlan,
    StalePlanError,
    make_plan,
    plan_from_json,
    plan_to_json,
    read_plan,
    write_plan,
)
from schemactl.testing.server import TestServer

REPO_SQL = Path(__file__).resolve().parents[2] / "sql"


def edited_sql(tmp_path: Path, url: str) -> Path:
    """A copy of sql/, applied to ``url``, then with one column added to the files."""
    sql_dir = tmp_path / "sql"
    shutil.copytree(REPO_SQL, sql_dir)
    api.apply(sql_dir, database_url=url)
    table = sql_dir / "tables/projects.sql"
    text = table.read_text()
    assert "CREATE TABLE projects (\n" in text
    table.write_text(
        text.replace("CREATE TABLE projects (\n", "CREATE TABLE projects (\n  code TEXT,\n")
    )
    return sql_dir


def snapshot(url: str) -> object:
    with psycopg.connect(url) as conn:
        return catalog_snapshot(conn)


def one(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def new_plan(sql_dir: Path, url: str, server: TestServer) -> MigrationPlan:
    return make_plan(sql_dir, url, shadow_url=server.admin_url)


def test_plan_is_refused_on_a_target_changed_since(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    sql_dir = edited_sql(tmp_path, schemactl_empty_db)
    plan = new_plan(sql_dir, schemactl_empty_db, schemactl_server)
    assert [c.name for c in plan.result.changes] == ["public.projects.code"]
    plan_path = tmp_path / "plan.json"
    write_plan(plan, plan_path)

    # someone adds an index by hand: not in the plan's picture of the target
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("CREATE INDEX handmade_idx ON public.companies (name)")
    runs = one(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs")
    before = snapshot(schemactl_empty_db)
    result = CliRunner().invoke(
        main, ["apply", "--plan", str(plan_path), "--database-url", schemactl_empty_db]
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("  hint: make a new plan"), lines
    assert "the schema changed since the plan was made" in lines[0]
    assert "Traceback" not in result.output
    assert snapshot(schemactl_empty_db) == before
    assert one(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == runs

    # the library raises the same, and still changes nothing
    from schemactl.diff.planfile import execute_plan

    with pytest.raises(StalePlanError):
        execute_plan(read_plan(plan_path), schemactl_empty_db)
    assert snapshot(schemactl_empty_db) == before


def test_plan_runs_on_its_target_and_a_second_diff_is_empty(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    sql_dir = edited_sql(tmp_path, schemactl_empty_db)
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO public.companies (id, name, slug) VALUES"
            " ('00000000-0000-0000-0000-000000000001', 'Acme', 'acme');"
            "INSERT INTO public.projects (company_id, name, slug)"
            " SELECT id, 'p', 'p' FROM public.companies"
        )
    # partitions `schemactl partitions ensure` makes are no drift, for the plan's check either
    made = partitions.ensure(database_url=schemactl_empty_db, project_dir=REPO_SQL.parent)
    assert made.created, made
    plan = new_plan(sql_dir, schemactl_empty_db, schemactl_server)
    text = plan_to_json(plan)
    # deterministic: read back and written again, byte for byte
    assert plan_to_json(plan_from_json(text)) == text
    data = json.loads(text)
    assert data["format"] == "schemactl-plan" and data["version"] == 1
    assert data["statements"] == ['ALTER TABLE "public"."projects" ADD COLUMN "code" text']
    assert len(data["changes"]) == 1
    keys = ("action", "kind", "name", "sql", "hazards", "destructive")
    assert {key: data["changes"][0][key] for key in keys} == {
        "action": "create",
        "kind": "column",
        "name": "public.projects.code",
        "sql": data["statements"],
        "hazards": ["ACCESS EXCLUSIVE lock"],
        "destructive": False,
    }
    assert data["source_fingerprint"] != data["desired_fingerprint"]
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(text)

    result = CliRunner().invoke(
        main, ["apply", "--plan", str(plan_path), "--database-url", schemactl_empty_db]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"migrated {schemactl_empty_db}: 1 statements, 1 changes")
    assert one(schemactl_empty_db, "SELECT count(*) FROM public.projects WHERE code IS NULL") == 1
    assert (
        one(
            schemactl_empty_db,
            "SELECT kind || ' ' || plan_sha256 || ' ' || statements FROM schemactl.runs"
            " ORDER BY id DESC LIMIT 1",
        )
        == f"plan {data['plan_sha256']} 1"
    )
    second = diff_files(sql_dir, schemactl_empty_db, shadow_url=schemactl_server.admin_url)
    assert not second.has_drift, second.changes

    # the plan ran once: run again, the target is no longer the one it was made for
    again = CliRunner().invoke(
        main, ["apply", "--plan", str(plan_path), "--database-url", schemactl_empty_db]
    )
    assert again.exit_code == 2
    assert "the schema changed since the plan was made" in again.stderr


def test_two_applies_migrating_at_once_run_the_migration_once(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """Both see changed files; one migrates, the other finds it done (ledger or fingerprint)."""
    import threading

    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "t.sql").write_text("CREATE TABLE t (id int);\n")
    api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    (sql_dir / "t.sql").write_text("CREATE TABLE t (id int, note text);\n")
    statuses: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        try:
            result = api.apply(
                sql_dir,
                database_url=schemactl_empty_db,
                auth_shim="never",
                shadow_url=schemactl_server.admin_url,
            )
            statuses.append(result.status)
        except BaseException as exc:  # reported below, with the other thread's result
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and sorted(statuses) == ["migrated", "up_to_date"], (statuses, errors)
    assert one(
        schemactl_empty_db, "SELECT string_agg(kind, ',' ORDER BY id) FROM schemactl.runs"
    ) == ("files,diff")
    assert one(schemactl_empty_db, "SELECT count(*) FROM schemactl.run_statements") == 1
