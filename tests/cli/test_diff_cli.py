"""`schemactl diff` through the CLI: exit codes, formats, and the edit -> diff -> apply loop."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.diff import apply_diff, diff_files
from schemactl.testing.server import TestServer


def make_sql(root: Path, files: dict[str, str]) -> Path:
    sql_dir = root / "sql"
    for rel, text in files.items():
        (sql_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (sql_dir / rel).write_text(text)
    return sql_dir


def load(url: str, text: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


def columns(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped ORDER BY attnum",
            (table,),
        ).fetchall()
    return [r[0] for r in rows]


def run_diff(sql_dir: Path, url: str, server: TestServer, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["diff", str(sql_dir), "--database-url", url, "--shadow-url", server.admin_url, *extra],
    )
    return result.exit_code, result.output


def test_no_drift_exits_0(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    table = "CREATE TABLE t (id int PRIMARY KEY, name text);\n"
    sql_dir = make_sql(tmp_path, {"t.sql": table})
    load(schemactl_empty_db, table)
    code, output = run_diff(sql_dir, schemactl_empty_db, schemactl_server)
    assert (code, output) == (0, "no drift: the schemas are equal\n")


def test_edit_diff_apply_loop(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    load(schemactl_empty_db, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
    sql_dir = make_sql(
        tmp_path,
        {"t.sql": "CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'n');\n"
         "CREATE INDEX t_note ON t (note);\n"},
    )  # fmt: skip
    code, output = run_diff(sql_dir, schemactl_empty_db, schemactl_server)
    assert code == 1, output
    assert "+ public.t.note" in output
    assert "+ public.t_note  (index build; SHARE lock (blocks writes))" in output
    code, output = run_diff(sql_dir, schemactl_empty_db, schemactl_server, "--format", "sql")
    assert code == 1
    assert output.splitlines()[1] == "BEGIN;" and output.rstrip().endswith("COMMIT;")
    assert 'ALTER TABLE "public"."t" ADD COLUMN "note" text DEFAULT \'n\'::text;' in output
    # the SQL output runs as is
    load(schemactl_empty_db, output)
    assert columns(schemactl_empty_db, "t") == ["id", "note"]
    with psycopg.connect(schemactl_empty_db) as conn:
        assert conn.execute("SELECT count(*) FROM t WHERE note = 'n'").fetchone() == (2,)
    assert run_diff(sql_dir, schemactl_empty_db, schemactl_server)[0] == 0


def test_destructive_exits_3_and_still_prints(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    load(schemactl_empty_db, "CREATE TABLE t (id int, gone text); CREATE TABLE old (id int);")
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    code, output = run_diff(sql_dir, schemactl_empty_db, schemactl_server)
    assert code == 3, output
    assert "- public.t.gone  (DESTRUCTIVE; ACCESS EXCLUSIVE lock; data loss)" in output
    assert "- public.old  (DESTRUCTIVE" in output
    assert "destructive changes need --allow-destructive" in output
    code, output = run_diff(
        sql_dir, schemactl_empty_db, schemactl_server, "--allow-destructive", "--format", "json"
    )
    assert code == 1
    data = json.loads(output)
    assert data["has_drift"] is True
    assert sorted(data["destructive"]) == ["drop column public.t.gone", "drop table public.old"]
    assert {c["kind"] for c in data["changes"]} == {"column", "table"}
    # the database is unchanged by diff
    assert columns(schemactl_empty_db, "t") == ["id", "gone"]


def test_apply_diff_refuses_destructive_then_applies(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    from schemactl.errors import RefusedError

    load(schemactl_empty_db, "CREATE TABLE t (id int, gone text);")
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    result = diff_files(sql_dir, schemactl_empty_db, shadow_url=schemactl_server.admin_url)
    try:
        apply_diff(result, schemactl_empty_db)
    except RefusedError as exc:
        assert exc.exit_code == 3
        assert "drop column public.t.gone" in exc.message
    else:
        raise AssertionError("apply_diff ran a destructive change without consent")
    assert columns(schemactl_empty_db, "t") == ["id", "gone"]
    apply_diff(result, schemactl_empty_db, allow_destructive=True)
    assert columns(schemactl_empty_db, "t") == ["id"]
    again = diff_files(sql_dir, schemactl_empty_db, shadow_url=schemactl_server.admin_url)
    assert not again.has_drift


def test_from_to_two_databases(schemactl_empty_db: str, schemactl_server: TestServer) -> None:
    from schemactl.testing.server import create_database, drop_database, unique_name

    other = unique_name("sct_diff_to")
    with psycopg.connect(schemactl_server.admin_url, autocommit=True) as admin:
        create_database(admin, other, template="template0")
        try:
            target = schemactl_server.url_for(other)
            load(target, "CREATE SCHEMA app; CREATE TABLE app.t (id int);")
            runner = CliRunner()
            args = ["diff", "--from", schemactl_empty_db, "--to", target, "--format", "sql"]
            result = runner.invoke(main, args)
            assert result.exit_code == 1, result.output
            assert 'CREATE SCHEMA "app";' in result.output
            only_public = runner.invoke(main, [*args, "--schema", "public"])
            assert only_public.exit_code == 0, only_public.output
            back = runner.invoke(main, ["diff", "--from", target, "--to", schemactl_empty_db])
            assert back.exit_code == 3, back.output  # drop schema app, drop table app.t
        finally:
            drop_database(admin, other)


def test_usage_errors_are_one_line_exit_2(tmp_path: Path, schemactl_empty_db: str) -> None:
    runner = CliRunner()
    half = runner.invoke(main, ["diff", "--from", schemactl_empty_db])
    assert half.exit_code == 2
    assert half.output.startswith("schemactl: --from and --to go together")
    both = runner.invoke(
        main, ["diff", str(tmp_path), "--from", schemactl_empty_db, "--to", schemactl_empty_db]
    )
    assert both.exit_code == 2
    assert "not both" in both.output
    bad = runner.invoke(
        main, ["diff", "--from", "postgresql://nobody@127.0.0.1:1/x", "--to", schemactl_empty_db]
    )
    assert bad.exit_code == 2
    assert bad.output.startswith("schemactl: cannot connect to")
    assert "Traceback" not in bad.output


def test_shadow_error_names_the_file(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE t (id no_such_type);\n"})
    code, output = run_diff(sql_dir, schemactl_empty_db, schemactl_server)
    assert code == 2
    assert output.startswith("schemactl: ")
    assert "t.sql:1:" in output and 'type "no_such_type" does not exist' in output
    assert "Traceback" not in output


def test_data_statements_are_named_not_diffed(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    table = "CREATE TABLE t (id int PRIMARY KEY);\n"
    sql_dir = make_sql(tmp_path, {"t.sql": table + "INSERT INTO t VALUES (1);\n"})
    load(schemactl_empty_db, table)
    result = CliRunner().invoke(
        main,
        ["diff", str(sql_dir), "--database-url", schemactl_empty_db,
         "--shadow-url", schemactl_server.admin_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output  # the rows are no drift of the schema
    assert f"schemactl: warning: {sql_dir}/t.sql:2:1: INSERT changes data" in result.stderr
    assert "no drift" in result.stdout


def test_concurrently_prints_the_outside_steps_after_commit(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    table = "CREATE TABLE t (id int PRIMARY KEY, email text);\n"
    load(schemactl_empty_db, table + "INSERT INTO t VALUES (1, 'a');")
    sql_dir = make_sql(tmp_path, {"t.sql": table + "CREATE INDEX t_email ON t (email);\n"})
    code, output = run_diff(
        sql_dir, schemactl_empty_db, schemactl_server, "--concurrently", "--format", "sql"
    )
    assert code == 1, output
    after = output[output.index("COMMIT;") :]
    assert "CREATE INDEX CONCURRENTLY t_email ON public.t USING btree (email);" in after
    code, output = run_diff(
        sql_dir, schemactl_empty_db, schemactl_server, "--concurrently", "--format", "json"
    )
    data = json.loads(output)
    assert data["outside_transaction"] == [
        "CREATE INDEX CONCURRENTLY t_email ON public.t USING btree (email)"
    ]
    # diff changes nothing: the index is not there until applied
    with psycopg.connect(schemactl_empty_db) as conn:
        assert conn.execute("SELECT to_regclass('public.t_email')").fetchone() == (None,)


def test_rename_hint_and_possible_rename_in_the_text(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    load(schemactl_empty_db, "CREATE TABLE t (id int, full_name text, note text);")
    sql_dir = make_sql(
        tmp_path,
        {"t.sql": "CREATE TABLE t (\n  id int,\n  display_name text, -- schemactl: renamed from "
                  "full_name\n  remark text\n);\n"},
    )  # fmt: skip
    code, output = run_diff(sql_dir, schemactl_empty_db, schemactl_server, "--allow-destructive")
    assert code == 1, output
    assert "~ public.t.full_name -> display_name  (ACCESS EXCLUSIVE lock)" in output
    assert (
        "! possible rename: column public.t.note -> remark; add "
        "`-- schemactl: renamed from note` on the line of column remark to keep the data"
    ) in output
    assert columns(schemactl_empty_db, "t") == ["id", "full_name", "note"]
