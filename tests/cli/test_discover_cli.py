"""Entries of the SQL dir that cannot be read: exit 2, one line naming them, nothing applied.

CI runs the suite as root, and root reads through chmod 000. The real-permission tests run
schemactl in a child process that has given up the capabilities that let root do so
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the kernel refuses as it would refuse any user.
"""

from __future__ import annotations

import ctypes
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from schemactl.cli import main

PR_CAPBSET_DROP = 24  # <linux/prctl.h>
CAP_DAC_OVERRIDE = 1  # <linux/capability.h>
CAP_DAC_READ_SEARCH = 2

NO_URL_ENV = {"DATABASE_URL": None, "SCHEMACTL_DATABASE_URL": None, "SCHEMACTL_SQL_DIR": None}


def make_sql(root: Path) -> Path:
    """A schema whose policies live in their own directory, as in sql/."""
    sql_dir = root / "sql"
    (sql_dir / "tables").mkdir(parents=True)
    (sql_dir / "policies").mkdir()
    (sql_dir / "tables" / "notes.sql").write_text("CREATE TABLE notes (id int PRIMARY KEY);\n")
    (sql_dir / "policies" / "notes.sql").write_text(
        "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n"
        "CREATE POLICY notes_none ON notes USING (false);\n"
    )
    return sql_dir


def user_tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT schemaname || '.' || tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
    return {r[0] for r in rows}


def _drop_dac_capabilities() -> None:
    # Runs in the child between fork and exec. For uid 0 the capabilities after exec are
    # the bounding set, so dropping these two makes file permissions bind root too.
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``schemactl ARGS`` in a child process to which file permissions apply, even as root."""
    env = {k: v for k, v in os.environ.items() if k not in NO_URL_ENV}
    try:
        return subprocess.run(
            [sys.executable, "-m", "schemactl.cli", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=_drop_dac_capabilities if os.geteuid() == 0 else None,
        )
    except subprocess.SubprocessError as exc:  # prctl refused: no CAP_SETPCAP here
        pytest.fail(f"cannot drop CAP_DAC_OVERRIDE for the child: {exc}")


def deny(path: Path, restore: list[tuple[Path, int]]) -> None:
    restore.append((path, path.stat().st_mode))
    path.chmod(0)


@pytest.fixture
def denied() -> Iterator[list[tuple[Path, int]]]:
    """chmod 000 list: each (path, mode) is restored at the end so tmp_path can be removed."""
    restore: list[tuple[Path, int]] = []
    yield restore
    for path, mode in reversed(restore):
        path.chmod(mode)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("policies", "sql/policies: cannot read directory: Permission denied"),
        ("policies/notes.sql", "sql/policies/notes.sql: cannot read file: Permission denied"),
    ],
)
def test_apply_refuses_an_unreadable_entry_with_real_permissions(
    tmp_path: Path,
    schemactl_empty_db: str,
    denied: list[tuple[Path, int]],
    entry: str,
    message: str,
) -> None:
    sql_dir = make_sql(tmp_path)
    deny(sql_dir / entry, denied)
    result = run_unprivileged(["apply", "sql", "--database-url", schemactl_empty_db], tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines()[0] == f"schemactl: {message}"
    assert result.stderr.splitlines()[1].startswith("  hint: make it readable")
    assert "Traceback" not in result.stderr
    # before the fix an unreadable policies/ went unnoticed: the table went in without RLS
    assert user_tables(schemactl_empty_db) == set()


def test_order_refuses_an_unreadable_entry_with_real_permissions(
    tmp_path: Path, denied: list[tuple[Path, int]]
) -> None:
    sql_dir = make_sql(tmp_path)
    deny(sql_dir / "tables", denied)
    result = run_unprivileged(["order", "sql"], tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("schemactl: sql/tables: cannot read directory: ")
    assert result.stdout == ""


def test_apply_refuses_an_injected_unreadable_directory(
    tmp_path: Path, schemactl_empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same refusal in process, with the kernel's answer injected at os.scandir
    sql_dir = make_sql(tmp_path)
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == sql_dir / "policies":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = CliRunner().invoke(
        main, ["apply", str(sql_dir), "--database-url", schemactl_empty_db], env=NO_URL_ENV
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == (
        f"schemactl: {sql_dir}/policies: cannot read directory: Permission denied"
    )
    assert "Traceback" not in result.output
    assert user_tables(schemactl_empty_db) == set()


@pytest.mark.parametrize(
    ("make_link", "message"),
    [
        (lambda d: (d / "policies" / "more.sql").symlink_to("gone.sql"), "dangling symlink"),
        (lambda d: (d / "tables" / "up").symlink_to(".."), "symlink loop"),
        (lambda d: (d / "views").symlink_to("policies"), "are the same file"),
    ],
)
def test_apply_refuses_bad_links_and_changes_nothing(
    tmp_path: Path, schemactl_empty_db: str, make_link: Any, message: str
) -> None:
    sql_dir = make_sql(tmp_path)
    make_link(sql_dir)
    result = CliRunner().invoke(
        main, ["apply", str(sql_dir), "--database-url", schemactl_empty_db], env=NO_URL_ENV
    )
    assert result.exit_code == 2, result.output
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith(f"schemactl: {sql_dir}/"), result.stderr
    assert message in first_line
    assert "Traceback" not in result.output
    assert user_tables(schemactl_empty_db) == set()


def test_apply_follows_a_symlinked_directory(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "tags.sql").write_text("CREATE TABLE tags (id int);\n")
    (sql_dir / "shared").symlink_to(shared)
    result = CliRunner().invoke(
        main, ["apply", str(sql_dir), "--database-url", schemactl_empty_db], env=NO_URL_ENV
    )
    assert result.exit_code == 0, result.output
    assert user_tables(schemactl_empty_db) >= {"public.notes", "public.tags"}
    with psycopg.connect(schemactl_empty_db) as conn:
        ledger = conn.execute("SELECT path FROM schemactl.applied_files ORDER BY 1").fetchall()
    assert [r[0] for r in ledger] == ["policies/notes.sql", "shared/tags.sql", "tables/notes.sql"]
