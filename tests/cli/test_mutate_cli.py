"""`schemactl rls mutate` option parsing: SQL_DIR, `--` pytest arguments, --list (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.rls.mutate import generate_mutants, select_sample

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_project(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, whose pyproject.toml names sql/ as the SQL dir."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SCHEMACTL_PROJECT_DIR", raising=False)
    monkeypatch.delenv("SCHEMACTL_SQL_DIR", raising=False)
    return ROOT


def test_arguments_after_double_dash_are_not_the_sql_dir(in_project: Path) -> None:
    # without the split, Click would take tests/rls as SQL_DIR
    result = CliRunner().invoke(
        main, ["rls", "mutate", "--list", "--sample", "4", "--", "tests/rls", "-k", "x"]
    )
    assert result.exit_code == 0, result.output
    expected = select_sample(generate_mutants(in_project / "sql"), 4, 0)
    listed = [line.split()[:3] for line in result.stdout.splitlines()]
    assert listed == [[m.kind, m.target, m.location] for m in expected]


def test_sql_dir_argument_and_seed(in_project: Path, tmp_path: Path) -> None:
    (tmp_path / "p.sql").write_text(
        "CREATE TABLE t (id int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
        "CREATE POLICY p ON t USING (id > 0) WITH CHECK (id > 1);\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["rls", "mutate", str(tmp_path), "--list", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "rls-off",
        "using-true",
        "check-true",
        "drop-policy",
    ]


def test_usage_and_bad_options(in_project: Path) -> None:
    runner = CliRunner()
    help_text = runner.invoke(main, ["rls", "mutate", "--help"]).stdout
    assert "[SQL_DIR] [-- PYTEST ARGS]..." in help_text
    assert runner.invoke(main, ["rls", "mutate", "--jobs", "0"]).exit_code == 2
    broken = runner.invoke(main, ["rls", "mutate", "no/such/dir"])
    assert broken.exit_code == 2
    assert "no such SQL directory" in broken.stderr
