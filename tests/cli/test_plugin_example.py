"""The pytest plugin works from a user's own project (examples/notes), and can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "notes"


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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "notes"
    shutil.copytree(EXAMPLE, target)
    return target


def test_user_project_passes(project: Path, schemactl_server) -> None:  # type: ignore[no-untyped-def]
    result = run_pytest(project, schemactl_server.admin_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_user_project_fails_when_the_policy_is_weakened(project: Path, schemactl_server) -> None:  # type: ignore[no-untyped-def]
    policy = project / "sql" / "policies" / "notes.sql"
    text = policy.read_text()
    weakened = text.replace("USING (owner_id = (SELECT auth.uid()))", "USING (true)")
    assert weakened != text
    policy.write_text(weakened)
    result = run_pytest(project, schemactl_server.admin_url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_owner_sees_own_note" in result.stdout
