"""Shell completion (Click's, documented in docs/ci.md): the scripts generate and complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCHEMACTL = str(Path(sys.executable).parent / "schemactl")


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCHEMACTL], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("bash", "complete -o nosort -F _schemactl_completion schemactl"),
        ("zsh", "#compdef schemactl"),
        ("fish", "complete --no-files --command schemactl"),
    ],
)
def test_completion_script_generates(shell: str, expected: str) -> None:
    done = run({"_SCHEMACTL_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_bash_completes_commands_and_choices() -> None:
    commands = run({"_SCHEMACTL_COMPLETE": "bash_complete", "COMP_WORDS": "schemactl pu",
                    "COMP_CWORD": "1"})  # fmt: skip
    assert "plain,pull" in commands.stdout.splitlines()
    formats = run({"_SCHEMACTL_COMPLETE": "bash_complete",
                   "COMP_WORDS": "schemactl lint --format s", "COMP_CWORD": "3"})  # fmt: skip
    assert "plain,sarif" in formats.stdout.splitlines()
