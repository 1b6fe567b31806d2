"""`schemactl apply` through the CLI: exit codes, one-line errors, database state."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from schemactl.cli import main


def make_sql(root: Path, files: dict[str, str]) -> Path:
    sql_dir = root / "sql"
    for rel, text in files.items():
        (sql_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (sql_dir / rel).write_text(text)
    return sql_dir


def table_names(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def test_apply_then_noop(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int PRIMARY KEY);\n"})
    runner = CliRunner()
    first = runner.invoke(main, ["apply", str(sql_dir), "--database-url", schemactl_empty_db])
    assert first.exit_code == 0, first.output
    assert "applied 1 statement" in first.output
    assert table_names(schemactl_empty_db) == {"t"}
    second = runner.invoke(main, ["apply", str(sql_dir), "--database-url", schemactl_empty_db])
    assert second.exit_code == 0, second.output
    assert "up to date" in second.output


def test_database_url_from_environment(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE from_env (id int);\n"})
    result = CliRunner().invoke(
        main, ["apply", str(sql_dir)], env={"DATABASE_URL": schemactl_empty_db}
    )
    assert result.exit_code == 0, result.output
    assert table_names(schemactl_empty_db) == {"from_env"}


def test_error_is_one_line_with_location_and_exit_2(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    sql_dir = make_sql(
        tmp_path,
        {
            "a.sql": "CREATE TABLE a (id int);\n",
            "b.sql": "CREATE TABLE b (id int);\nINSERT INTO nope VALUES (1);\n",
        },
    )
    result = CliRunner().invoke(main, ["apply", str(sql_dir), "--database-url", schemactl_empty_db])
    assert result.exit_code == 2
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith(
        f'schemactl: {sql_dir}/b.sql:2:13: relation "nope" does not exist'
    ), result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert table_names(schemactl_empty_db) == set()


def test_parse_error_exits_2_with_location(tmp_path: Path) -> None:
    sql_dir = make_sql(tmp_path, {"a.sql": "CREATE TABLE a (id int);\nCREATE TABLE (;\n"})
    result = CliRunner().invoke(main, ["order", str(sql_dir)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"schemactl: {sql_dir}/a.sql:2:"), result.stderr


def test_dry_run_prints_sql_and_changes_nothing(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int PRIMARY KEY);\n"})
    result = CliRunner().invoke(
        main, ["apply", str(sql_dir), "--dry-run", "--database-url", schemactl_empty_db]
    )
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE t (id int PRIMARY KEY);" in result.output
    assert table_names(schemactl_empty_db) == set()


def test_bad_url_is_masked(tmp_path: Path) -> None:
    sql_dir = make_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    url = "postgresql://app:s3cret-pw@127.0.0.1:1/nodb"
    result = CliRunner().invoke(main, ["apply", str(sql_dir), "--database-url", url])
    assert result.exit_code == 2
    assert "s3cret-pw" not in result.output + result.stderr
    assert "app:***@" in result.stderr
