"""The pre-commit hooks of .pre-commit-hooks.yaml, run as pre-commit runs them.

pre-commit itself is not used: for ``language: python`` it builds a virtualenv and
pip-installs this repository and its compiled dependencies (pglast, psycopg) on every fresh
run, minutes and a network per test. The test does what pre-commit does with a hook
instead: select it by its ``files`` pattern against the changed files, then run its
``entry`` plus ``args`` (plus the file names when ``pass_filenames``) in the project, with
this venv's ``schemactl`` on PATH, and look at the exit code.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from schemactl.config import Settings
from schemactl.db import embedded
from schemactl.init import init

ROOT = Path(__file__).resolve().parents[2]
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def run_hook(hook: dict[str, Any], project: Path, changed: list[str]) -> int | None:
    """The hook's exit code, or None when pre-commit would not run it for ``changed``."""
    pattern = re.compile(hook.get("files", ""))
    exclude = re.compile(hook["exclude"]) if hook.get("exclude") else None
    selected = [f for f in changed if pattern.search(f) and not (exclude and exclude.search(f))]
    if not selected:
        return None
    command = shlex.split(hook["entry"]) + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        command += selected
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMACTL_")}
    env.pop("DATABASE_URL", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    run_hook.output = done.stdout + done.stderr  # type: ignore[attr-defined]
    return done.returncode


@pytest.fixture
def project() -> Iterator[Path]:
    """A project from `schemactl init` (example table, RLS and all); its embedded server stops.

    Not under pytest's tmp_path: every pytest session that starts on the machine re-chmods
    /tmp/pytest-of-<user> to 0700, which the embedded server's OS user must traverse.
    """
    root = Path(tempfile.mkdtemp(prefix="schemactl-hooks-"))
    init(root)
    try:
        yield root
    finally:
        embedded.stop(Settings(project_dir=root))
        shutil.rmtree(root, ignore_errors=True)


def test_hooks_are_declared_for_sql_files() -> None:
    assert set(HOOKS) == {"schemactl-order", "schemactl-lint"}
    for hook in HOOKS.values():
        assert hook["language"] == "python"  # pre-commit installs this repository
        assert hook["pass_filenames"] is False  # a file is ordered with the files it needs
        assert hook["entry"].split()[0] == "schemactl"


def test_order_hook_needs_no_server(project: Path) -> None:
    hook = HOOKS["schemactl-order"]
    assert run_hook(hook, project, ["README.md"]) is None  # no .sql file changed
    assert run_hook(hook, project, ["sql/tables/notes.sql"]) == 0, run_hook.output  # type: ignore[attr-defined]
    (project / "sql/views/recent.sql").write_text("CREATE VIEW recent AS SELECT * FROM gone;\n")
    assert run_hook(hook, project, ["sql/views/recent.sql"]) == 2
    assert "sql/views/recent.sql:1:1: relation public.gone is created by no file" in (
        run_hook.output  # type: ignore[attr-defined]
    )
    assert not (project / ".schemactl").exists()  # no embedded server was started


def test_lint_hook(project: Path) -> None:
    hook = HOOKS["schemactl-lint"]
    assert run_hook(hook, project, ["sql/policies/notes.sql"]) == 0, run_hook.output  # type: ignore[attr-defined]
    (project / "sql/tables/open.sql").write_text("CREATE TABLE public.open (id int PRIMARY KEY);\n")
    assert run_hook(hook, project, ["sql/tables/open.sql"]) == 1
    assert "sql/tables/open.sql:1:1: RLS001 error" in run_hook.output  # type: ignore[attr-defined]
