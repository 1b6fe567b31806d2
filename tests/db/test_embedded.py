"""The embedded default server of a project: start on demand, status, psql, stop, failures."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from schemactl import errors
from schemactl.config import Settings
from schemactl.db import embedded


@pytest.fixture(scope="module")
def project() -> Iterator[Settings]:
    """A throwaway project whose embedded server is stopped and deleted when the module is done.

    Not under pytest's tmp_path: pytest re-chmods /tmp/pytest-of-<user> to 0700 whenever a
    session starts, which locks the server's OS user (when run as root) out of its data dir.
    """
    root = Path(tempfile.mkdtemp(prefix="schemactl-embedded-test-"))
    settings = Settings(project_dir=root)
    try:
        yield settings
    finally:
        embedded.stop(settings)
        shutil.rmtree(root, ignore_errors=True)


def _data_dir(settings: Settings) -> Path:
    return settings.resolve(settings.embedded_dir).resolve()


def test_start_is_on_demand_and_idempotent(project: Settings) -> None:
    assert "not running" in embedded.status_line(project)
    url = embedded.start(project)
    assert (_data_dir(project) / "PG_VERSION").read_text().strip() == "18"
    with psycopg.connect(url) as conn:
        assert conn.info.dbname == "postgres"
        assert conn.info.server_version >= 180000
        pid = conn.execute("SELECT pg_postmaster_start_time()").fetchone()
    # a second start reuses the running server
    assert embedded.start(project) == url
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT pg_postmaster_start_time()").fetchone() == pid
    line = embedded.status_line(project)
    assert line.startswith("running: PostgreSQL 18.")
    assert str(_data_dir(project)) in line and url in line


def test_psql_runs_the_wheel_binary_and_returns_its_exit_code(project: Settings) -> None:
    url = embedded.start(project)
    assert (
        embedded.psql(["-q", "-c", "CREATE TABLE IF NOT EXISTS psql_made (id int)"], project) == 0
    )
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('psql_made') IS NOT NULL").fetchone() == (True,)
    assert embedded.psql(["-v", "ON_ERROR_STOP=1", "-c", "SELECT 1/0"], project) != 0


def test_resolve_database_url_prefers_the_setting(tmp_path: Path) -> None:
    # tmp_path is fine here: no server is (or may be) started
    settings = Settings(project_dir=tmp_path, database_url="postgresql://app@elsewhere/x")
    assert embedded.resolve_database_url(settings) == "postgresql://app@elsewhere/x"
    # nothing was started or initialised for it
    assert not (tmp_path / ".schemactl").exists()


def test_resolve_database_url_falls_back_to_embedded(project: Settings) -> None:
    assert embedded.resolve_database_url(project) == embedded.start(project)


def test_stop_then_start_again(project: Settings) -> None:
    url = embedded.start(project)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS survives (id int)")
    assert embedded.stop(project).startswith("stopped")
    assert embedded.running_url(_data_dir(project)) is None
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    assert "not running" in embedded.stop(project)
    assert "(initialised)" in embedded.status_line(project)
    # data is kept across a restart
    url = embedded.start(project)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('survives') IS NOT NULL").fetchone() == (True,)


def test_a_server_that_cannot_start_reports_its_log(project: Settings) -> None:
    embedded.start(project)
    embedded.stop(project)
    conf = _data_dir(project) / "postgresql.auto.conf"
    original = conf.read_text()
    conf.write_text(original + "\nshared_buffers = 'lots'\n")
    try:
        with pytest.raises(errors.ConnectError) as info:
            embedded.start(project)
        assert info.value.message.startswith("cannot start the embedded PostgreSQL in ")
        assert "shared_buffers" in info.value.message  # the server log's own words
        assert "\n" not in info.value.message
        assert embedded.running_url(_data_dir(project)) is None
    finally:
        conf.write_text(original)
    assert embedded.start(project)
