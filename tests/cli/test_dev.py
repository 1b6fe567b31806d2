"""`schemactl dev status|url|psql|stop` on a project directory of its own."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.config import Settings
from schemactl.db import embedded


@pytest.fixture
def project(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project dir of its own, so the repo's own .schemactl is never touched.

    Not under pytest's tmp_path: pytest re-chmods /tmp/pytest-of-<user> to 0700 whenever a
    session starts, which locks the server's OS user (when run as root) out of its data dir.
    """
    root = Path(tempfile.mkdtemp(prefix="schemactl-dev-test-"))
    monkeypatch.setenv("SCHEMACTL_PROJECT_DIR", str(root))
    for name in ("SCHEMACTL_EMBEDDED_DIR", "DATABASE_URL", "SCHEMACTL_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    try:
        yield root
    finally:
        embedded.stop(Settings(project_dir=root))
        shutil.rmtree(root, ignore_errors=True)


def test_dev_lifecycle(project: Path) -> None:
    runner = CliRunner()
    data_dir = (project / ".schemactl" / "pgdata").resolve()

    result = runner.invoke(main, ["dev", "status"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("not running")
    assert not (data_dir / "PG_VERSION").exists()

    result = runner.invoke(main, ["dev", "url"])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert str(data_dir) in url
    # the first start says what takes the time (issue 9); the URL has no ":" without password
    assert result.stderr.startswith("schemactl: creating the embedded PostgreSQL in ")
    assert "later runs find it running and take under a second" in result.stderr
    assert url.startswith("postgresql://postgres@/postgres?")
    again = runner.invoke(main, ["dev", "url"])
    assert (again.stdout.strip(), again.stderr) == (url, "")  # running: at once, silently
    with psycopg.connect(url) as conn:
        assert conn.info.server_version >= 180000

    result = runner.invoke(main, ["dev", "status"])
    assert result.exit_code == 0
    assert result.output.startswith("running: PostgreSQL 18.") and url in result.output

    result = runner.invoke(main, ["dev", "psql", "-q", "-c", "CREATE TABLE from_cli (id int)"])
    assert result.exit_code == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('from_cli') IS NOT NULL").fetchone() == (True,)
    result = runner.invoke(main, ["dev", "psql", "-v", "ON_ERROR_STOP=1", "-c", "SELECT 1/0"])
    assert result.exit_code == 1  # psql's own exit code for a failed script

    result = runner.invoke(main, ["dev", "stop"])
    assert result.exit_code == 0
    assert result.output.startswith("stopped")
    assert embedded.running_url(data_dir) is None
    assert (data_dir / "PG_VERSION").exists()  # data kept

    restarted = runner.invoke(main, ["dev", "url"])
    assert restarted.stderr.startswith("schemactl: starting the embedded PostgreSQL (")
    assert runner.invoke(main, ["dev", "stop"]).exit_code == 0

    result = runner.invoke(main, ["dev", "stop"])
    assert result.exit_code == 0 and "not running" in result.output


def test_dev_url_failure_is_one_line_exit_2(project: Path) -> None:
    # a file where the data directory's parent must be: the server cannot be created
    (project / ".schemactl").write_text("not a directory")
    result = CliRunner().invoke(main, ["dev", "url"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "cannot start the embedded PostgreSQL" in result.output
