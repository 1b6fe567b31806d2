"""`schemactl partitions` through the CLI: output, quiet runs, exit codes (issue 7)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql
from psycopg.conninfo import make_conninfo

from partitions_world import month_name, partitions_of, seed_telemetry, write_project
from schemactl.cli import main
from schemactl.testing.server import TestServer

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["partitions", *args], env={"SCHEMACTL_PROJECT_DIR": str(project)}
    )


def test_ensure_prints_what_it_made_then_nothing(tmp_path: Path, schemactl_db_url: str) -> None:
    project = write_project(tmp_path)
    with psycopg.connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [0])
    first = run(project, "ensure", "--database-url", schemactl_db_url)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert [line.split()[1] for line in lines[:4]] == [month_name(i) for i in range(4)]
    assert lines[0].endswith("), 10 row(s) moved from the default")
    assert lines[4:] == [
        "guarded public.agent_telemetry_default: CHECK schemactl_partitions_horizon validated"
    ]
    # cron-friendly: nothing to do, nothing printed, exit 0
    second = run(project, "ensure", "--database-url", schemactl_db_url)
    assert (second.exit_code, second.output) == (0, "")
    more = run(project, "ensure", "--ahead", "5", "--database-url", schemactl_db_url)
    assert more.exit_code == 0 and [line.split()[1] for line in more.output.splitlines()] == [
        month_name(4),
        month_name(5),
    ]
    with psycopg.connect(schemactl_db_url) as conn:
        assert month_name(5) in partitions_of(conn)


def test_status_json_and_exit_1_below_premake(tmp_path: Path, schemactl_db_url: str) -> None:
    project = write_project(tmp_path)
    below = run(project, "status", "--format", "json", "--database-url", schemactl_db_url)
    assert below.exit_code == 1
    data = json.loads(below.output[: below.output.rindex("]") + 1])
    assert data[0]["table"] == "public.agent_telemetry"
    assert (data[0]["covered_ahead"], data[0]["ok"]) == (-1, False)
    assert "covered fewer periods ahead than premake" in below.output
    assert run(project, "ensure", "--database-url", schemactl_db_url).exit_code == 0
    fine = run(project, "status", "--database-url", schemactl_db_url)
    assert fine.exit_code == 0, fine.output
    assert "covered 3 period(s) ahead (ok)" in fine.output
    assert f"{month_name(3)}" in fine.output and "managed" in fine.output


def test_prune_without_detach_or_drop_changes_nothing(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = write_project(tmp_path)
    listed = run(project, "prune", "--older-than", "13months", "--database-url", schemactl_db_url)
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("would prune public.agent_telemetry_2025_01 [2025-01-01, ")
    with psycopg.connect(schemactl_db_url) as conn:
        assert "agent_telemetry_2025_01" in partitions_of(conn)
    both = run(project, "prune", "--detach", "--drop", "--database-url", schemactl_db_url)
    assert both.exit_code == 2 and "exclude each other" in both.output


def test_cron_prints_a_crontab_line_and_systemd_units(tmp_path: Path) -> None:
    result = run(write_project(tmp_path), "cron", "--at", "5 4 * * *")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    crontab = next(line for line in lines if line.startswith("5 4 * * * "))
    assert crontab.endswith(" partitions ensure") and f"cd {tmp_path.resolve()}" in crontab
    assert "OnCalendar=*-*-* 04:05:00 UTC" in lines
    assert any(line.startswith("ExecStart=") for line in lines)
    assert "postgresql://" not in result.output.replace("# DATABASE_URL=postgresql://...", "")


def test_configuration_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pyproject.toml").write_text(
        '[tool.schemactl.partitions.agent_telemetry]\ninterval = "quarter"\n'
    )
    result = run(bad, "ensure")
    assert result.exit_code == 2
    assert result.output.startswith(f"schemactl: {bad / 'pyproject.toml'}:2: interval must be")
    assert "Traceback" not in result.output
    none = tmp_path / "none"
    none.mkdir()
    result = run(none, "status")
    assert result.exit_code == 2 and "no partitioned table is configured" in result.output
    result = run(write_project(tmp_path / "ok"), "ensure", "--table", "nope")
    assert result.exit_code == 2 and "--table nope: not a configured partitioned table" in (
        result.output
    )


def test_a_table_that_is_not_range_partitioned_is_refused(
    tmp_path: Path, schemactl_db_url: str
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.schemactl.partitions."public.companies"]\ninterval = "day"\n'
    )
    result = run(project, "ensure", "--database-url", schemactl_db_url)
    assert result.exit_code == 2
    assert "public.companies is not partitioned BY RANGE on one date or timestamp" in (
        result.output
    )


def test_schemactl_diff_sql_finds_no_drift_after_ensure(
    tmp_path: Path, schemactl_db_url: str, schemactl_server: TestServer
) -> None:
    project = write_project(tmp_path)
    with psycopg.connect(schemactl_db_url) as conn:
        seed_telemetry(conn, [0, 2])
    assert run(project, "ensure", "--database-url", schemactl_db_url).exit_code == 0
    with psycopg.connect(schemactl_db_url, autocommit=True) as conn:
        # the test template's own grant to its owner role (tests/conftest.py), not in sql/
        conn.execute("REVOKE CREATE ON SCHEMA public FROM schemactl_owner")
    result = CliRunner().invoke(
        main,
        ["diff", str(SQL_DIR), "--database-url", schemactl_db_url,
         "--shadow-url", schemactl_server.admin_url],
    )  # fmt: skip
    assert (result.exit_code, result.output) == (0, "no drift: the schemas are equal\n")


def test_a_role_that_cannot_install_the_functions_gets_one_line_and_a_hint(
    tmp_path: Path, schemactl_db_url: str, schemactl_admin: psycopg.Connection[Any]
) -> None:
    role = f"pw_ensure_{uuid.uuid4().hex[:8]}"
    schemactl_admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        url = make_conninfo(schemactl_db_url, user=role)
        result = run(write_project(tmp_path), "ensure", "--database-url", url)
        assert result.exit_code == 2, result.output
        first, hint = result.output.splitlines()[:2]
        assert first == (
            "schemactl: installing the partitions functions in schema schemactl: "
            "permission denied for schema schemactl"
        )
        assert hint.startswith("  hint: run `schemactl partitions ensure` once as the role")
        with psycopg.connect(schemactl_db_url) as conn:
            assert month_name(0) not in partitions_of(conn)
    finally:
        with psycopg.connect(schemactl_db_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        schemactl_admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["prune", "--older-than", "13 fortnights"], "--older-than: '13 fortnights' is not a"),
        (["ensure", "--ahead", "-1"], "Invalid value for '--ahead'"),
        (["ensure", "--database-url", ""], "empty database URL from option --database-url"),
        (["status", "--format", "yaml"], "Invalid value for '--format'"),
        (["ensure", "--lock-timeout", "soon", "--database-url", "postgresql://x@127.0.0.1:1/x"],
         "cannot connect to postgresql://x@127.0.0.1:1/x"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_no_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(write_project(tmp_path), *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("schemactl: ") and message in result.output.splitlines()[0]
    assert "Traceback" not in result.output and len(result.output.splitlines()) <= 3
