"""`schemactl order`: formats, exit codes and one-line errors, on fixture folders and sql/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from schemactl.cli import main

CASES = Path(__file__).parent.parent / "cases" / "order"
REPO = Path(__file__).parent.parent.parent


@pytest.fixture
def in_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory holding a copy of every order case, as the working directory."""
    for name in ("SCHEMACTL_SQL_DIR", "SCHEMACTL_STRICT", "SCHEMACTL_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(CASES, tmp_path / "cases")
    monkeypatch.chdir(tmp_path / "cases")
    return tmp_path / "cases"


def order(*args: str) -> Result:
    return CliRunner().invoke(main, ["order", *args])


def test_text_output_exit_0(in_case: Path) -> None:
    result = order("basic/sql")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("basic/sql/")
    tables = [
        i for i, line in enumerate(lines) if "CREATE TABLE" in line and "public.accounts" in line
    ]
    policies = [i for i, line in enumerate(lines) if "CREATE POLICY" in line]
    assert tables and policies and tables[0] < policies[0]
    assert result.stderr == ""


def test_json_is_parseable_and_complete(in_case: Path) -> None:
    result = order("basic/sql", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["statements"]) == 14
    assert data["statements"][0]["path"].startswith("basic/sql/")
    assert "type public.account_status" in data["objects"]


def test_dot_and_mermaid_shapes(in_case: Path) -> None:
    dot = order("basic/sql", "--format", "dot")
    assert dot.exit_code == 0
    assert dot.stdout.startswith("digraph schemactl {\n") and dot.stdout.endswith("}\n")
    assert " -> " in dot.stdout
    mermaid = order("basic/sql", "--format", "mermaid")
    assert mermaid.exit_code == 0
    assert mermaid.stdout.startswith("flowchart TD\n") and " --> " in mermaid.stdout


def test_parse_error_exits_2_with_file_line_col(in_case: Path) -> None:
    result = order("broken/sql")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        'schemactl: broken/sql/bad.sql:5:22: syntax error at or near "oops"\n'
    )
    assert "Traceback" not in result.stderr
    unterminated = order("unterminated/sql")
    assert unterminated.exit_code == 2
    assert unterminated.stderr.startswith(
        "schemactl: unterminated/sql/u.sql:2:32: unterminated quoted string at or near \"'abc);...\"\n"
    )


def test_cycle_exits_2_naming_every_object_and_file(in_case: Path) -> None:
    result = order("cycle/sql")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("schemactl: dependency cycle: ")
    assert "table public.a (cycle/sql/a.sql:1)" in first
    assert "table public.b (cycle/sql/b.sql:2)" in first


def test_strict_turns_unresolved_references_into_exit_2(
    in_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHEMACTL_AUTH_SHIM", "never")  # auth.users is nobody's then
    relaxed = order("unresolved/sql")
    assert relaxed.exit_code == 0
    assert "relation auth.users" in relaxed.stdout
    strict = order("unresolved/sql", "--strict")
    assert strict.exit_code == 2
    assert strict.stderr.startswith("schemactl: unresolved/sql/profiles.sql:1:1: ")


@pytest.mark.parametrize("mode", ["auto", "always"])
def test_the_auth_compat_layer_resolves_auth_references(
    in_case: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """apply installs auth.users, auth.uid()... (or the database has them): not unresolved."""
    monkeypatch.setenv("SCHEMACTL_AUTH_SHIM", mode)
    relaxed = order("unresolved/sql", "--format", "json")
    assert relaxed.exit_code == 0, relaxed.output
    assert json.loads(relaxed.stdout)["unresolved"] == []
    assert "unresolved references" not in order("unresolved/sql").stdout
    strict = order("unresolved/sql", "--strict")
    assert strict.exit_code == 0, strict.output


def test_missing_directory_exits_2(in_case: Path) -> None:
    result = order("no/such/dir")
    assert result.exit_code == 2
    assert "no/such/dir does not exist" in result.stderr


def test_platform_schema_is_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real sql/: every statement parses, tables precede what hangs off them."""
    for name in ("SCHEMACTL_SQL_DIR", "SCHEMACTL_STRICT", "SCHEMACTL_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(REPO)
    result = order("sql", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    tables = {
        "companies", "projects", "user_profiles", "company_members", "project_members",
        "agents", "agent_heartbeats", "transfers", "transfer_chunks", "agent_telemetry",
        "active_transfers", "transfer_schedules", "automation_rules", "api_keys",
        "api_key_usage", "external_shares", "bandwidth_policies", "cloud_connections",
        "audit_log", "permission_delegations",
    }  # fmt: skip
    objects = set(data["objects"])
    assert {f"relation public.{t}" for t in tables} <= objects
    assert "relation public.project_realtime_stats" in objects
    assert "function public.refresh_realtime_stats" in objects
    created_at = {}
    for i, st in enumerate(data["statements"]):
        for obj in st["creates"]:
            created_at.setdefault(obj, i)
    for i, st in enumerate(data["statements"]):
        assert all(d < i for d in st["depends_on"])
        for ref in st["references"]:
            if ref in created_at:
                assert created_at[ref] < i or ref in st["creates"], (st["path"], st["line"], ref)
    # the auth compat layer provides Supabase's auth schema: nothing is missing
    assert data["unresolved"] == []


def test_truncated_identifier_is_warned_on_stderr_and_ordered_as_one_name(
    in_case: Path,
) -> None:
    long = "events_" + "x" * 60  # 67 bytes: the server keeps the first 63
    sql = in_case / "long" / "sql"
    sql.mkdir(parents=True)
    (sql / "a.sql").write_text(f"CREATE INDEX i ON {long[:63]} (id);\n")
    (sql / "b.sql").write_text(f"CREATE TABLE {long} (id int);\n")
    result = order("long/sql", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"schemactl: warning: long/sql/b.sql:1:14: identifier {long[:20]}... is 67 bytes; "
        f'PostgreSQL truncates it to 63: "{long[:63]}"\n'
    )
    statements = json.loads(result.stdout)["statements"]
    files = [s["path"] for s in statements]
    assert statements[0]["warnings"] and not statements[1]["warnings"]
    assert files == ["long/sql/b.sql", "long/sql/a.sql"]
