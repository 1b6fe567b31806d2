"""pytest plugin of schemactl (registered through the ``pytest11`` entry point).

Fixtures, from the server up:

* ``schemactl_server`` (session): the :class:`~schemactl.testing.server.TestServer` —
  ``$SCHEMACTL_TEST_DSN``, else testcontainers when ``SCHEMACTL_TEST_BACKEND=docker``,
  else a private embedded PostgreSQL 18 in a temporary directory, deleted at the end.
* ``schemactl_empty_db``: URL of a fresh, empty database, dropped after the test.
* ``schemactl_sql_dir`` (session): ``$SCHEMACTL_SQL_DIR``, else the configured SQL dir.
* ``schemactl_template`` (session): name of a template database with the SQL dir applied
  once by :func:`schemactl.api.apply`; as role ``$SCHEMACTL_TEST_OWNER`` (created NOLOGIN
  if missing) when that is set, so objects are owned by a non-superuser.
* ``schemactl_db_url`` / ``schemactl_db``: a fresh clone of the template (URL / superuser
  connection, autocommit off), dropped after the test.
* ``as_user(uid)``, ``as_anon()``, ``as_service()``: context-manager factories on
  ``schemactl_db`` that impersonate an API caller and always roll back.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from schemactl.db.connect import connect
from schemactl.errors import SchemactlError
from schemactl.testing import impersonate
from schemactl.testing.server import (
    DatabaseReaper,
    TestServer,
    clone_database,
    create_database,
    drop_database,
    open_test_server,
    unique_name,
)

ENV_SQL_DIR = "SCHEMACTL_SQL_DIR"

CursorFactory = Callable[..., AbstractContextManager[psycopg.Cursor[Any]]]

# per-session timings of database creation, reported in the terminal summary
_timings_key = pytest.StashKey[dict[str, list[float]]]()


def pytest_configure(config: pytest.Config) -> None:
    """Prepare the timing record of this session."""
    config.stash[_timings_key] = {}


def _record(config: pytest.Config, what: str, seconds: float) -> None:
    config.stash.setdefault(_timings_key, {}).setdefault(what, []).append(seconds * 1000)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """One line per kind of database the session created: count and median time."""
    timings = config.stash.get(_timings_key, {})
    server_line = config.stash.get(_server_key, "")
    if not timings:
        return
    terminalreporter.write_sep("-", "schemactl test databases")
    if server_line:
        terminalreporter.write_line(server_line)
    for what, values in sorted(timings.items()):
        terminalreporter.write_line(
            f"{what}: {len(values)} created, median {statistics.median(values):.1f} ms, "
            f"max {max(values):.1f} ms"
        )


_server_key = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def schemactl_server(pytestconfig: pytest.Config) -> Iterator[TestServer]:
    """The PostgreSQL server of this test session (see the module docstring)."""
    try:
        with open_test_server() as server:
            pytestconfig.stash[_server_key] = (
                f"server: {server.kind}, server_version_num {server.version_num}, "
                f"clone strategy {server.clone_strategy or 'server default'}"
            )
            yield server
    except SchemactlError as exc:
        pytest.fail(f"schemactl test server: {exc.format()}", pytrace=False)


@pytest.fixture(scope="session")
def schemactl_admin(schemactl_server: TestServer) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit superuser connection to the server's admin database (creates/drops dbs)."""
    with connect(
        schemactl_server.admin_url,
        autocommit=True,
        lock_timeout=None,
        application_name="schemactl-test-admin",
    ) as conn:
        yield conn


@pytest.fixture(scope="session")
def schemactl_reaper(schemactl_server: TestServer) -> Iterator[DatabaseReaper]:
    """Drops the per-test databases in the background; waits for all of them at session end."""
    reaper = DatabaseReaper(schemactl_server.admin_url)
    try:
        yield reaper
    finally:
        failures = reaper.close()
        if failures:
            warnings.warn(
                f"schemactl could not drop {len(failures)} test database(s): "
                + "; ".join(failures[:3]),
                stacklevel=1,
            )


@pytest.fixture
def schemactl_empty_db(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
    pytestconfig: pytest.Config,
) -> Iterator[str]:
    """URL of a fresh empty database (from template0), dropped after the test."""
    name = unique_name("sct_empty")
    started = time.perf_counter()
    # template0, not template1: template1 on a shared server may carry local additions
    create_database(
        schemactl_admin, name, template="template0", strategy=schemactl_server.clone_strategy
    )
    _record(pytestconfig, "empty database", time.perf_counter() - started)
    try:
        yield schemactl_server.url_for(name)
    finally:
        schemactl_reaper.drop(name)


@pytest.fixture(scope="session")
def schemactl_sql_dir(pytestconfig: pytest.Config) -> Path:
    """The SQL dir under test: ``$SCHEMACTL_SQL_DIR``, else the project's configured one."""
    from schemactl.config import load_settings

    env = os.environ.get(ENV_SQL_DIR)
    if env:
        return Path(env).expanduser().resolve()
    # the project is where pytest found its config, unless SCHEMACTL_PROJECT_DIR says otherwise
    project = os.environ.get("SCHEMACTL_PROJECT_DIR") or pytestconfig.rootpath
    settings = load_settings(project)
    return settings.resolve(settings.sql_dir).resolve()


ENV_OWNER = "SCHEMACTL_TEST_OWNER"


def _prepare_owner(admin: psycopg.Connection[Any], owner: str, url: str, dbname: str) -> None:
    """A plain NOLOGIN role that may create objects in database ``dbname``.

    Objects owned by a superuser ignore FORCE ROW LEVEL SECURITY; owned by this role,
    the schema behaves as on Supabase, where the owner is not a superuser.
    """
    role = sql.Identifier(owner)
    # DuplicateObject: created concurrently by another session (roles are cluster-wide)
    with contextlib.suppress(psycopg.errors.DuplicateObject):
        admin.execute(
            sql.SQL(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN"
                " CREATE ROLE {role} NOLOGIN; END IF; END $$"
            ).format(name=sql.Literal(owner), role=role)
        )
    admin.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(sql.Identifier(dbname), role))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(role))


def _apply_sql_dir(sql_dir: Path, url: str, owner: str | None = None) -> None:
    from schemactl import api

    api.apply(sql_dir, database_url=url, owner=owner)


@pytest.fixture(scope="session")
def schemactl_template(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_sql_dir: Path,
    pytestconfig: pytest.Config,
) -> Iterator[str]:
    """Name of a template database with the SQL dir applied once per session."""
    name = unique_name("sct_tpl")
    create_database(schemactl_admin, name, template="template0")
    try:
        started = time.perf_counter()
        try:
            owner = os.environ.get(ENV_OWNER) or None
            if owner:
                _prepare_owner(schemactl_admin, owner, schemactl_server.url_for(name), name)
            _apply_sql_dir(schemactl_sql_dir, schemactl_server.url_for(name), owner)
        except SchemactlError as exc:
            pytest.fail(
                f"schemactl apply {schemactl_sql_dir} (test template) failed:\n{exc.format()}",
                pytrace=False,
            )
        _record(pytestconfig, "template (apply of the SQL dir)", time.perf_counter() - started)
        # a template nobody may connect to: a leaked session would block every clone
        schemactl_admin.execute(
            sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").format(
                sql.Identifier(name)
            )
        )
        yield name
    finally:
        drop_database(schemactl_admin, name)


@pytest.fixture
def schemactl_db_url(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_template: str,
    schemactl_reaper: DatabaseReaper,
    pytestconfig: pytest.Config,
) -> Iterator[str]:
    """URL of a fresh clone of the template database, dropped after the test."""
    name = unique_name("sct_db")
    started = time.perf_counter()
    clone_database(
        schemactl_admin, schemactl_template, name, strategy=schemactl_server.clone_strategy
    )
    _record(pytestconfig, "clone of the template", time.perf_counter() - started)
    try:
        yield schemactl_server.url_for(name)
    finally:
        schemactl_reaper.drop(name)


@pytest.fixture
def schemactl_db(schemactl_db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A superuser connection (autocommit off) to a fresh clone of the template."""
    conn = connect(schemactl_db_url, lock_timeout=None, application_name="schemactl-test")
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def as_user(schemactl_db: psycopg.Connection[Any]) -> CursorFactory:
    """``with as_user(uid) as cur:`` runs as role authenticated with ``sub = uid``; rolled back."""

    def factory(
        uid: Any, *, claims: Mapping[str, Any] | None = None
    ) -> AbstractContextManager[psycopg.Cursor[Any]]:
        return impersonate.as_user(schemactl_db, uid, claims=claims)

    return factory


@pytest.fixture
def as_anon(schemactl_db: psycopg.Connection[Any]) -> CursorFactory:
    """``with as_anon() as cur:`` runs as role anon without a user id; rolled back."""

    def factory(
        *, claims: Mapping[str, Any] | None = None
    ) -> AbstractContextManager[psycopg.Cursor[Any]]:
        return impersonate.as_anon(schemactl_db, claims=claims)

    return factory


@pytest.fixture
def as_service(schemactl_db: psycopg.Connection[Any]) -> CursorFactory:
    """``with as_service() as cur:`` runs as role service_role (BYPASSRLS); rolled back."""

    def factory(
        *, claims: Mapping[str, Any] | None = None
    ) -> AbstractContextManager[psycopg.Cursor[Any]]:
        return impersonate.as_service(schemactl_db, claims=claims)

    return factory
