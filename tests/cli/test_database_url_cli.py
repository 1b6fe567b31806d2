"""An empty database URL (an unset shell variable in CI) is refused by every command that connects.

Before, `--database-url ""` fell through to the embedded server: the schema went somewhere
nobody looked, and the command exited 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.db import embedded

NO_URL_ENV: dict[str, str | None] = {"DATABASE_URL": None, "SCHEMACTL_DATABASE_URL": None}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory (the cwd) with one table in sql/; the embedded server may not start."""
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "t.sql").write_text("CREATE TABLE t (id int);\n")
    monkeypatch.chdir(tmp_path)

    def no_embedded_server(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the embedded server was started")

    monkeypatch.setattr(embedded, "start", no_embedded_server)
    return tmp_path


def public_tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows.fetchall()}


def assert_refused(result: Any, source: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"schemactl: empty database URL from {source}"
    assert lines[1].startswith("  hint: ") and "postgresql://" in lines[1]
    assert len(lines) == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "env", "source"),
    [
        (["apply", "--database-url", ""], {}, "option --database-url"),
        (["apply", "--dry-run", "--database-url", ""], {}, "option --database-url"),
        (["apply"], {"SCHEMACTL_DATABASE_URL": ""}, "environment variable SCHEMACTL_DATABASE_URL"),
        (["apply"], {"DATABASE_URL": ""}, "environment variable DATABASE_URL"),
        (["lint", "--database-url", ""], {}, "option --database-url"),
    ],
)
def test_empty_url_is_refused_before_anything_runs(
    project: Path, args: list[str], env: dict[str, str], source: str
) -> None:
    result = CliRunner().invoke(main, args, env={**NO_URL_ENV, **env})
    assert_refused(result, source)
    assert not (project / ".schemactl").exists()  # nothing went to an embedded server


def test_empty_url_in_the_config_file_names_file_and_line(project: Path) -> None:
    (project / "schemactl.toml").write_text('sql_dir = "sql"\ndatabase_url = ""\n')
    result = CliRunner().invoke(main, ["apply"], env=NO_URL_ENV)
    assert_refused(result, "schemactl.toml:2")


def test_empty_winning_source_does_not_fall_back_to_database_url(
    project: Path, schemactl_empty_db: str
) -> None:
    # SCHEMACTL_DATABASE_URL beats DATABASE_URL; empty, it must not quietly hand over to it
    env = {"SCHEMACTL_DATABASE_URL": "", "DATABASE_URL": schemactl_empty_db}
    result = CliRunner().invoke(main, ["apply"], env=env)
    assert_refused(result, "environment variable SCHEMACTL_DATABASE_URL")
    assert public_tables(schemactl_empty_db) == set()


def test_a_given_url_beats_an_empty_variable(project: Path, schemactl_empty_db: str) -> None:
    result = CliRunner().invoke(
        main, ["apply", "--database-url", schemactl_empty_db], env={"DATABASE_URL": ""}
    )
    assert result.exit_code == 0, result.output
    assert public_tables(schemactl_empty_db) == {"t"}


def test_commands_that_do_not_connect_ignore_an_empty_variable(project: Path) -> None:
    result = CliRunner().invoke(main, ["order"], env={"DATABASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert "public.t" in result.stdout
