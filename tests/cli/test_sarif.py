"""`lint --format sarif | github` and `diff --format github`: what CI and code scanning read.

The SARIF log is validated against the SARIF 2.1.0 JSON schema (OASIS, vendored in
tests/cases/sarif), with jsonschema (a test dependency for exactly this).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import psycopg
import pytest
from click.testing import CliRunner

from schemactl import api
from schemactl.cli import main
from schemactl.core.annotations import github_annotation, split_location
from schemactl.core.diff import Change, DiffResult
from schemactl.core.diff_report import render_diff
from schemactl.lint import all_rules

pytestmark = pytest.mark.db

SCHEMA = Path(__file__).resolve().parents[1] / "cases" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture
def linted(tmp_path: Path, schemactl_empty_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with sql/ applied: one table without RLS (an error), one with RLS only."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "open.sql").write_text(
        "-- a table anyone may read\nCREATE TABLE public.open (id int PRIMARY KEY);\n"
    )
    (tmp_path / "sql" / "closed.sql").write_text(
        "CREATE TABLE public.closed (id int PRIMARY KEY);\n"
        "ALTER TABLE public.closed ENABLE ROW LEVEL SECURITY;\n"
    )
    api.apply("sql", database_url=schemactl_empty_db, auth_shim="never")
    return schemactl_empty_db


def lint(*args: str) -> Any:
    return CliRunner().invoke(main, ["lint", *args])


def test_sarif_validates_and_points_at_the_file(linted: str) -> None:
    result = lint("sql", "--database-url", linted, "--format", "sarif")
    assert result.exit_code == 1, result.output  # an error finding: the exit code stays
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.code for r in all_rules()]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    error = by_rule["RLS001"]
    assert error["level"] == "error"
    location = error["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "sql/open.sql"
    assert location["region"] == {"startLine": 2, "startColumn": 1}
    assert run["tool"]["driver"]["rules"][error["ruleIndex"]]["id"] == "RLS001"
    assert by_rule["RLS002"]["level"] == "warning"


def test_sarif_of_a_clean_database_validates(schemactl_empty_db: str) -> None:
    result = lint("--database-url", schemactl_empty_db, "--format", "sarif")
    assert result.exit_code == 0, result.output
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["runs"][0]["results"] == []


def test_sarif_schema_catches_a_broken_log() -> None:
    """The validation can fail: a result without its message is refused."""
    schema = json.loads(SCHEMA.read_text())
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                            "results": [{"ruleId": "X"}]}]}  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(schema)(schema).validate(broken)


def test_github_annotations(linted: str) -> None:
    result = lint("sql", "--database-url", linted, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(
            "::error file=sql/open.sql,line=2,col=1,title=schemactl lint RLS001::public.open: "
        )
        for line in lines
    ), lines
    assert any(line.startswith("::warning file=sql/closed.sql,line=1,col=1,") for line in lines)
    assert lines[-1].startswith("1 error, ")


def test_annotation_escapes_what_would_break_the_command() -> None:
    line = github_annotation(
        "error", "50% done\nnext", title="a:b,c", location="sql/we,ird:name.sql:3:7"
    )
    assert (
        line
        == "::error file=sql/we%2Cird%3Aname.sql,line=3,col=7,title=a%3Ab%2Cc::50%25 done%0Anext"
    )
    assert split_location("sql/x.sql:12:3") == ("sql/x.sql", 12, 3)
    assert split_location(None) is None and split_location("public.t") is None
    assert github_annotation("notice", "m", title="t") == "::notice title=t::m"


def test_diff_github_format() -> None:
    drop = Change("drop", "table", "public.old", ("DROP TABLE public.old",), ("data loss",), True)
    add = Change("create", "index", "public.i", ("CREATE INDEX i ON t (a)",))
    result = DiffResult(changes=(drop, add), statements=(), unsupported=("rule r on public.t",),
                        destructive=(drop,))  # fmt: skip
    lines = render_diff(result, "github").splitlines()
    assert (
        lines[0]
        == "::error title=schemactl diff::drift: - table public.old (DESTRUCTIVE; data loss)"
    )
    assert lines[1] == "::warning title=schemactl diff::drift: + index public.i"
    assert lines[2] == "::error title=schemactl diff::not handled by diff: rule r on public.t"
    allowed = render_diff(result, "github", allow_destructive=True).splitlines()
    assert allowed[0].startswith("::warning ")
    assert render_diff(DiffResult(), "github") == (
        "::notice title=schemactl diff::no drift: the schemas are equal\n"
    )


def test_diff_cli_github_format(schemactl_empty_db: str, schemactl_server: Any) -> None:
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int)")
    same = CliRunner().invoke(
        main,
        ["diff", "--from", schemactl_empty_db, "--to", schemactl_empty_db, "--format", "github"],
    )
    assert same.exit_code == 0, same.output
    assert same.stdout.startswith("::notice title=schemactl diff::no drift")
