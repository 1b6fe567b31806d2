"""``schemactl init``: the scaffolded project passes its own tests right away.

The generated project's pytest runs as a subprocess with this venv's python (where
schemactl and its plugin are installed), on the session's server as the rest of the
suite uses it (``SCHEMACTL_TEST_DSN``: PostgreSQL 15 in CI, else the embedded server).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.diff import diff
from schemactl.testing.server import DatabaseReaper, TestServer, create_database, unique_name

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(project: Path, server_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMACTL_")}
    env["SCHEMACTL_TEST_DSN"] = server_url
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def init(*args: str) -> Any:
    return CliRunner().invoke(main, ["init", *args])


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SCHEMACTL_") and name != "SCHEMACTL_TEST_DSN":
            monkeypatch.delenv(name)


def test_init_writes_a_project_that_passes_its_own_tests(
    tmp_path: Path, schemactl_server: TestServer, clean_env: None
) -> None:
    project = tmp_path / "app"
    result = init(str(project))
    assert result.exit_code == 0, result.output
    for folder in ("tables", "policies", "views", "functions", "types", "partitions"):
        assert (project / "sql" / folder).is_dir()
    assert tomllib.loads((project / "schemactl.toml").read_text()) == {"sql_dir": "sql"}
    workflow = yaml.safe_load((project / ".github/workflows/schemactl.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["schema"]["steps"]]
    for command in ("schemactl order sql --strict", "schemactl lint sql --database-url",
                    "python -m pytest", "schemactl diff sql"):  # fmt: skip
        assert any(run.startswith(command) for run in steps), command
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [h["entry"] for h in hooks] == ["schemactl order --strict sql", "schemactl lint sql"]
    # the generated order --strict passes: auth.users / auth.uid() come from the auth layer
    order = CliRunner().invoke(main, ["order", str(project / "sql"), "--strict"])
    assert order.exit_code == 0, order.output

    # its tests pass as written (tests/cli/test_ci_doc.py runs them on a fresh init) and
    # can fail: one run with a table added that has no row level security
    (project / "sql/tables/open.sql").write_text("CREATE TABLE public.open (id integer);\n")
    tests = run_pytest(project, schemactl_server.admin_url)
    assert tests.returncode == 1, tests.stdout + tests.stderr
    assert "1 failed, 3 passed" in tests.stdout
    assert "tables without row level security: public.open" in tests.stdout


def test_init_appends_to_pyproject_and_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    assert init(str(tmp_path)).exit_code == 0
    config = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    assert config["project"] == {"name": "app"}
    assert config["tool"]["schemactl"] == {"sql_dir": "sql"}
    assert not (tmp_path / "schemactl.toml").exists()

    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = init(str(tmp_path))
    assert again.exit_code == 3
    assert "already exist" in again.stderr and "nothing was written" in again.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


CASE = ROOT / "tests" / "cases" / "diff" / "combo_app_evolution" / "b.sql"


def test_init_from_a_database(
    tmp_path: Path,
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
    clean_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = unique_name("sct_init")
    create_database(schemactl_admin, name, template="template0")
    try:
        url = schemactl_server.url_for(name)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(CASE.read_text().encode())
        project = tmp_path / "app"
        result = init(str(project), "--from", url)
        assert result.exit_code == 0, result.output
        assert (project / "sql/tables").is_dir()
        assert not (project / "sql/tables/notes.sql").exists()  # no example: the pulled schema
        assert any((project / "sql/tables").iterdir())
        # the table pulled without RLS is listed for review, those with RLS are not
        tests_file = (project / "tests/test_rls.py").read_text()
        assert 'RLS_EXEMPT: set[str] = {"app.org"}' in tests_file
        assert "assert_visible" not in tests_file.split("# A test of your own")[0]

        tests = run_pytest(project, schemactl_server.admin_url)
        assert tests.returncode == 0, tests.stdout + tests.stderr
        # the project's files build exactly the database's schema
        monkeypatch.chdir(project)
        drift = diff(database_url=url, shadow_url=schemactl_server.admin_url)
        assert not drift.has_drift, drift.statements
    finally:
        schemactl_reaper.drop(name)
