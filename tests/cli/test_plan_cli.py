"""`schemactl plan` and `schemactl apply --plan` through the CLI: output, consent, bad files.

A bad plan file (cut short, not JSON, another version, a statement edited, missing) is exit
2 with one line naming the file and one hint, no traceback, and the database untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.testing.server import TestServer

TABLE = "CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'n');\n"


def columns(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'public.t'::regclass"
            " AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        ).fetchall()
    return [r[0] for r in rows]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def planned(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> tuple[Path, str]:
    """A plan file adding t.note and dropping t.gone (destructive) on a fresh database."""
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, gone text); INSERT INTO t VALUES (1)")
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "t.sql").write_text(TABLE)
    plan_path = tmp_path / "plan.json"
    code, out, err = invoke(
        "plan", str(sql_dir), "--database-url", schemactl_empty_db,
        "--shadow-url", schemactl_server.admin_url, "-o", str(plan_path),
    )  # fmt: skip
    assert code == 0, err
    assert out == ""
    assert err == (
        "plan: 2 change(s), 2 statement(s), 1 destructive (apply needs --allow-destructive); "
        f"written to {plan_path}\n"
    )
    return plan_path, schemactl_empty_db


def test_plan_to_stdout_is_the_plan_file(
    tmp_path: Path, planned: tuple[Path, str], schemactl_server: TestServer
) -> None:
    plan_path, url = planned
    sql_dir = tmp_path / "sql"
    code, out, _ = invoke(
        "plan", str(sql_dir), "--database-url", url, "--shadow-url", schemactl_server.admin_url
    )
    assert code == 0
    printed, written = json.loads(out), json.loads(plan_path.read_text())
    for data in (printed, written):
        del data["created_at"], data["plan_sha256"]
    assert printed == written
    assert written["destructive"] == ["drop column public.t.gone"]
    assert written["target"] == url
    assert list(written) == sorted(written)  # keys sorted


def test_destructive_plan_needs_consent_when_it_runs(planned: tuple[Path, str]) -> None:
    plan_path, url = planned
    code, _, err = invoke("apply", "--plan", str(plan_path), "--database-url", url)
    assert code == 3, err
    assert "destructive change(s): drop column public.t.gone; nothing was changed" in err
    assert columns(url) == ["id", "gone"]
    code, out, _ = invoke("apply", "--plan", str(plan_path), "--database-url", url, "--dry-run")
    assert code == 0
    assert 'ALTER TABLE "public"."t" DROP COLUMN "gone";' in out
    assert columns(url) == ["id", "gone"]
    code, out, err = invoke(
        "apply", "--plan", str(plan_path), "--database-url", url, "--allow-destructive"
    )
    assert code == 0, err
    assert columns(url) == ["id", "note"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT id, note FROM t").fetchall() == [(1, "n")]
        ran = conn.execute(
            "SELECT s.statement FROM schemactl.run_statements s JOIN schemactl.runs r"
            " ON r.id = s.run_id WHERE r.kind = 'plan' ORDER BY s.position"
        ).fetchall()
    assert [r[0] for r in ran] == json.loads(plan_path.read_text())["statements"]


def _truncated(text: str) -> str:
    return text[: len(text) // 2]


def _other_version(text: str) -> str:
    data = json.loads(text)
    data["version"] = 2
    return json.dumps(data)


def _edited_statement(text: str) -> str:
    data = json.loads(text)
    edited = data["statements"][0].replace(" text", " integer")
    assert edited != data["statements"][0]
    data["statements"][0] = edited
    return json.dumps(data, sort_keys=True, indent=2)


CORRUPTIONS = {
    "truncated": (_truncated, "not a schemactl plan file: not valid JSON"),
    "empty": (lambda text: "", "not a schemactl plan file: empty"),
    "other_version": (_other_version, "plan file version 2 is not supported"),
    "edited_statement": (_edited_statement, "the plan file was changed after it was made"),
    "not_a_plan": (lambda text: '{"format": "x"}', 'not a schemactl plan file (no "format"'),
}


def test_bad_plan_file_is_one_line_and_changes_nothing(planned: tuple[Path, str]) -> None:
    plan_path, url = planned
    good = plan_path.read_text()
    for case, (corrupt, message) in sorted(CORRUPTIONS.items()):
        bad = plan_path.with_name(f"{case}.json")
        bad.write_text(corrupt(good))
        code, out, err = invoke(
            "apply", "--plan", str(bad), "--database-url", url, "--allow-destructive"
        )
        assert code == 2, (case, err)
        lines = err.splitlines()
        assert len(lines) == 2 and lines[1].startswith("  hint: "), (case, lines)
        assert lines[0].startswith(f"schemactl: {bad}: {message}"), (case, lines[0])
        assert out == ""
    assert columns(url) == ["id", "gone"]


def test_missing_plan_file(tmp_path: Path, schemactl_empty_db: str) -> None:
    missing = tmp_path / "nope.json"
    code, _, err = invoke("apply", "--plan", str(missing), "--database-url", schemactl_empty_db)
    assert code == 2
    assert err.splitlines()[0] == (
        f"schemactl: {missing}: cannot read the plan file: No such file or directory"
    )


def test_plan_and_sql_dir_together_is_a_usage_error(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    code, _, err = invoke(
        "apply", str(tmp_path), "--plan", str(tmp_path / "p.json"),
        "--database-url", schemactl_empty_db,
    )  # fmt: skip
    assert code == 2
    assert err.startswith("schemactl: give either SQL_DIR or --plan, not both")


def test_schemas_the_files_never_use_are_outside_the_plan(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """The plan compares what the diff compared: a change by hand elsewhere is not staleness."""
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute(
            "CREATE SCHEMA other; CREATE TABLE other.keep (id int); INSERT INTO other.keep"
            " VALUES (1); CREATE TABLE t (id int PRIMARY KEY, gone text)"
        )
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "t.sql").write_text(TABLE)
    plan_path = tmp_path / "plan.json"
    code, _, err = invoke(
        "plan", str(sql_dir), "--database-url", schemactl_empty_db,
        "--shadow-url", schemactl_server.admin_url, "-o", str(plan_path),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(plan_path.read_text())
    assert (data["scope"], data["schemas"]) == (["public"], ["public"])
    assert "other" not in " ".join(data["statements"])
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE other.later (id int)")
    code, _, err = invoke(
        "apply", "--plan", str(plan_path), "--database-url", schemactl_empty_db,
        "--allow-destructive",
    )  # fmt: skip
    assert code == 0, err
    assert columns(schemactl_empty_db) == ["id", "note"]
    with psycopg.connect(schemactl_empty_db) as conn:
        assert conn.execute("SELECT count(*) FROM other.keep").fetchone() == (1,)
        assert conn.execute("SELECT to_regclass('other.later') IS NOT NULL").fetchone() == (True,)


def test_concurrently_builds_indexes_after_the_transaction(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """plan --concurrently keeps the concurrent steps; apply --concurrently migrates with them."""
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "t.sql").write_text("CREATE TABLE t (id int PRIMARY KEY, note text);\n")
    url, shadow = (
        ("--database-url", schemactl_empty_db),
        ("--shadow-url", schemactl_server.admin_url),
    )
    assert invoke("apply", str(sql_dir), *url)[0] == 0
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 100) g")
    (sql_dir / "t.sql").write_text(
        "CREATE TABLE t (id int PRIMARY KEY, note text);\nCREATE INDEX t_note ON t (note);\n"
    )
    plan_path = tmp_path / "plan.json"
    code, _, err = invoke(
        "plan", str(sql_dir), *url, *shadow, "--concurrently", "-o", str(plan_path)
    )
    assert code == 0, err
    outside = json.loads(plan_path.read_text())["outside"]
    assert outside == ["CREATE INDEX CONCURRENTLY t_note ON public.t USING btree (note)"], outside

    code, out, err = invoke("apply", str(sql_dir), *url, *shadow, "--concurrently")
    assert code == 0, err
    assert "+ index public.t_note" in out
    with psycopg.connect(schemactl_empty_db) as conn:
        valid = conn.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.t_note'::regclass"
        ).fetchone()
        ran = conn.execute(
            "SELECT string_agg(statement, ' | ' ORDER BY position) FROM schemactl.run_statements"
        ).fetchone()
    assert valid == (True,)
    assert ran is not None and "CREATE INDEX CONCURRENTLY" in ran[0], ran
    # the plan was made before: the index is there now, the plan is stale
    code, _, err = invoke("apply", "--plan", str(plan_path), *url)
    assert code == 2 and "the schema changed since the plan was made" in err, err


@pytest.mark.parametrize(
    "option", [("--schema", "public"), ("--shadow-url", "postgresql://x@y/z"), ("--concurrently",)]
)
def test_options_of_the_diff_do_not_go_with_plan(
    tmp_path: Path, schemactl_empty_db: str, option: tuple[str, ...]
) -> None:
    code, _, err = invoke(
        "apply", "--plan", str(tmp_path / "p.json"), "--database-url", schemactl_empty_db, *option
    )
    assert code == 2
    assert err.startswith(f"schemactl: {option[0]} is for migrating from SQL_DIR, not for --plan")
