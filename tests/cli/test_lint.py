"""`schemactl lint`: text and JSON output, exit codes, --list-rules, the shadow default."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.config import Settings
from schemactl.db import embedded
from schemactl.lint import all_rules


@pytest.fixture
def runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout."""
    return CliRunner()


def _run(db_url: str, ddl: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(ddl)  # type: ignore[arg-type]  # test DDL


def test_list_rules(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", "--list-rules"])
    assert result.exit_code == 0, result.output
    codes = [line.split()[0] for line in result.output.splitlines()]
    assert codes == [r.code for r in all_rules()]


def test_errors_exit_1_with_text_lines_and_summary(
    runner: CliRunner, schemactl_empty_db: str
) -> None:
    _run(schemactl_empty_db, "CREATE TABLE t (id int PRIMARY KEY)")
    result = runner.invoke(main, ["lint", "--database-url", schemactl_empty_db])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("public.t: RLS001 error: table public.t in exposed schema public")
    assert lines[-1].startswith("1 error, 0 warnings (")
    assert "schemactl: lint: 1 error" in result.stderr


def test_warnings_only_exit_0_and_json(runner: CliRunner, schemactl_empty_db: str) -> None:
    _run(
        schemactl_empty_db,
        "CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t ENABLE ROW LEVEL SECURITY",
    )
    result = runner.invoke(main, ["lint", "--database-url", schemactl_empty_db, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == [
        {
            "code": "RLS002",
            "severity": "warning",
            "object": "public.t",
            "message": data[0]["message"],
            "location": None,
        }
    ]


def test_clean_database_says_no_findings(runner: CliRunner, schemactl_empty_db: str) -> None:
    result = runner.invoke(main, ["lint", "--database-url", schemactl_empty_db])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no findings (")


def test_unreachable_database_exits_2(runner: CliRunner) -> None:
    url = "postgresql://nobody:s3cret@127.0.0.1:1/none"
    result = runner.invoke(main, ["lint", "--database-url", url])
    assert result.exit_code == 2
    assert "s3cret" not in result.output and "cannot connect" in result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project of its own (its own embedded server), stopped afterwards."""
    monkeypatch.setenv("SCHEMACTL_PROJECT_DIR", str(tmp_path))
    for name in ("SCHEMACTL_EMBEDDED_DIR", "DATABASE_URL", "SCHEMACTL_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        embedded.stop(Settings(project_dir=tmp_path))


def test_default_lints_sql_dir_on_the_embedded_server(runner: CliRunner, project: Path) -> None:
    tables = project / "sql" / "tables"
    tables.mkdir(parents=True)
    (tables / "t.sql").write_text(
        "CREATE TABLE t (id int PRIMARY KEY);\n\n"
        "CREATE TABLE u (id int PRIMARY KEY); -- noqa: RLS001\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["lint", "sql", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [(f["code"], f["object"], f["location"]) for f in data] == [
        ("RLS001", "public.t", "sql/tables/t.sql:1:1")
    ]
    # the shadow database was dropped: only the server's own databases remain
    url = embedded.start(Settings(project_dir=project))
    with psycopg.connect(url) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert not any(name.startswith("schemactl_lint_") for name in names)
