"""docs/ci.md: the CI recipe's commands, run as written, in a project of `schemactl init`.

Every line of the fenced block after the ``<!-- tested: ... -->`` marker runs with bash in
the project, in order, and must exit 0; install lines are skipped (this venv has schemactl
and pytest). ``SCHEMACTL_TEST_DSN`` is the session's server, ``DATABASE_URL`` an empty
database on it, as the doc asks. The workflow `init` writes runs the same commands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemactl.init import init
from schemactl.testing.server import DatabaseReaper, TestServer, create_database, unique_name

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ci.md"
WORKFLOW = ROOT / "src" / "schemactl" / "init" / "templates" / "schemactl.yml.tmpl"


def recipe() -> list[str]:
    """The commands of the tested block of docs/ci.md."""
    text = DOC.read_text(encoding="utf-8")
    marker = text.index("<!-- tested: tests/cli/test_ci_doc.py")
    block = re.search(r"```sh\n(.*?)```", text[marker:], re.S)
    assert block is not None, "docs/ci.md: no ```sh block after the tested marker"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_workflow_init_writes_runs_the_recipe() -> None:
    workflow = WORKFLOW.read_text(encoding="utf-8")
    for command in recipe():
        assert f"- run: {command}\n" in workflow, command


@pytest.fixture
def project() -> Iterator[Path]:
    # not under pytest's tmp_path (re-chmodded by every pytest session that starts)
    root = Path(tempfile.mkdtemp(prefix="schemactl-ci-doc-"))
    init(root)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_recipe_runs(
    project: Path,
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> None:
    name = unique_name("sct_cidoc")
    create_database(schemactl_admin, name, template="template0")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMACTL_")}
    env.update(
        SCHEMACTL_TEST_DSN=schemactl_server.admin_url,
        DATABASE_URL=schemactl_server.url_for(name),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    ran = []
    try:
        for command in recipe():
            if re.match(r"(python -m )?pip install ", command):
                continue
            done = subprocess.run(["bash", "-c", command], cwd=project, env=env,
                                  capture_output=True, text=True, timeout=300)  # fmt: skip
            assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
            ran.append((command, done.stdout))
        outputs = dict(ran)
        assert len(ran) == 5
        with psycopg.connect(env["DATABASE_URL"]) as conn:  # apply built the schema
            assert conn.execute("SELECT to_regclass('public.notes') IS NOT NULL").fetchone() == (
                True,
            )
        tests = next(out for cmd, out in outputs.items() if cmd.startswith("python -m pytest"))
        assert "4 passed" in tests  # the project's policy tests (tests/cli/test_init.py)
        diff = next(out for cmd, out in outputs.items() if cmd.startswith("schemactl diff"))
        assert diff.startswith("::notice title=schemactl diff::no drift")
    finally:
        schemactl_reaper.drop(name)
