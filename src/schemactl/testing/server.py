"""Test servers and throwaway databases, usable with or without pytest.

A session picks one server (``SCHEMACTL_TEST_DSN``, docker, or a private embedded
PostgreSQL 18), creates databases on it with plain SQL over one admin connection, and
drops them with ``WITH (FORCE)``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from schemactl.db.connect import connect, server_version_num

__all__ = [
    "DatabaseReaper",
    "TestServer",
    "choose_strategy",
    "clone_database",
    "create_database",
    "drop_database",
    "embedded_test_server",
    "open_test_server",
    "unique_name",
    "url_for",
]

ENV_DSN = "SCHEMACTL_TEST_DSN"
ENV_BACKEND = "SCHEMACTL_TEST_BACKEND"

ENV_STRATEGY = "SCHEMACTL_TEST_CLONE_STRATEGY"
STRATEGIES = ("FILE_COPY", "WAL_LOG")


def url_for(url: str, dbname: str) -> str:
    """``url`` pointing at database ``dbname`` instead (URL or key=value DSN)."""
    if url.lower().startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path="/" + dbname))
    return make_conninfo(url, dbname=dbname)


@dataclass(frozen=True)
class TestServer:
    """The PostgreSQL server a test session runs on."""

    __test__ = False  # not a pytest test class, despite the name

    admin_url: str  # a database on the server the admin (superuser) connects to
    version_num: int  # server_version_num, e.g. 150018
    kind: str  # "dsn" | "docker" | "embedded"
    # CREATE DATABASE ... STRATEGY for clones; None on servers before PostgreSQL 15
    clone_strategy: str | None = None

    def url_for(self, dbname: str) -> str:
        """URL of database ``dbname`` on this server, as the admin user."""
        return url_for(self.admin_url, dbname)


def unique_name(prefix: str = "sct") -> str:
    """A database name no other test (or concurrent run) uses."""
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:12]}"


def choose_strategy(
    conn: psycopg.Connection[Any], env: Mapping[str, str] | None = None
) -> str | None:
    """The faster CREATE DATABASE strategy for this server (or $SCHEMACTL_TEST_CLONE_STRATEGY).

    Measured (create + drop of a clone, median of 15, see the db-infra report): with fsync on,
    FILE_COPY pays for two immediate checkpoints and WAL_LOG (the PG15+ default) wins; with
    fsync off (our throwaway embedded server) checkpoints are cheap and FILE_COPY wins.
    """
    environ = os.environ if env is None else env
    if server_version_num(conn) < 150000:
        return None
    wanted = environ.get(ENV_STRATEGY, "").strip().upper()
    if wanted:
        if wanted not in STRATEGIES:
            raise ValueError(
                f"{ENV_STRATEGY} must be one of {', '.join(STRATEGIES)}, not {wanted!r}"
            )
        return wanted
    row = conn.execute("SELECT current_setting('fsync')").fetchone()
    return "FILE_COPY" if row is not None and row[0] == "off" else "WAL_LOG"


def _strategy_clause(version_num: int, strategy: str | None) -> sql.Composable:
    # STRATEGY exists from PostgreSQL 15 on; older servers only know FILE_COPY
    if strategy is None or version_num < 150000:
        return sql.SQL("")
    return sql.SQL(" STRATEGY {}").format(sql.SQL(strategy.upper()))


def create_database(
    admin: psycopg.Connection[Any],
    name: str,
    *,
    template: str | None = None,
    strategy: str | None = None,
) -> None:
    """CREATE DATABASE ``name`` (from ``template``) over an autocommit admin connection."""
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    query += _strategy_clause(server_version_num(admin), strategy)
    admin.execute(query)


def clone_database(
    admin: psycopg.Connection[Any], template: str, name: str, *, strategy: str | None = None
) -> None:
    """Create ``name`` as a copy of ``template`` (STRATEGY ``strategy`` on PG15+)."""
    try:
        create_database(admin, name, template=template, strategy=strategy)
    except psycopg.errors.ObjectInUse:
        # a stray session on the template (e.g. a leaked connection) blocks the copy
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (template,),
        )
        create_database(admin, name, template=template, strategy=strategy)


def drop_database(admin: psycopg.Connection[Any], name: str) -> None:
    """DROP DATABASE IF EXISTS ``name`` WITH (FORCE), un-templating it first."""
    exists = admin.execute(
        "SELECT datistemplate FROM pg_database WHERE datname = %s", (name,)
    ).fetchone()
    if exists is None:
        return
    if exists[0]:
        admin.execute(sql.SQL("ALTER DATABASE {} IS_TEMPLATE false").format(sql.Identifier(name)))
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class DatabaseReaper:
    """Drops databases on background threads, so no test waits for DROP DATABASE.

    Measured on the shared PostgreSQL 15 under load: DROP DATABASE waits for a checkpoint
    (wait event CheckpointDone) and took ~2 s per test against ~0.4 s for the clone. Drops
    run off the test's path, several at once so that they share one checkpoint; at most
    ``backlog`` databases wait to be dropped (back-pressure bounds the disk they hold).
    """

    def __init__(self, admin_url: str, *, workers: int = 4, backlog: int = 64) -> None:
        self._admin_url = admin_url
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="schemactl-reaper")
        self._slots = threading.BoundedSemaphore(backlog)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._conns: list[psycopg.Connection[Any]] = []
        self.failures: list[str] = []
        self._closed = False

    def drop(self, name: str) -> None:
        """Schedule database ``name`` for DROP ... WITH (FORCE)."""
        if self._closed:
            with connect(self._admin_url, autocommit=True, lock_timeout=None) as conn:
                drop_database(conn, name)
            return
        self._slots.acquire()
        self._pool.submit(self._drop, name)

    def _drop(self, name: str) -> None:
        try:
            conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
            if conn is None or conn.closed:
                conn = connect(
                    self._admin_url,
                    autocommit=True,
                    lock_timeout=None,
                    application_name="schemactl-test-reaper",
                )
                self._local.conn = conn
                with self._lock:
                    self._conns.append(conn)
            drop_database(conn, name)
        except Exception as exc:  # reported by close(), never lost
            with self._lock:
                self.failures.append(f"{name}: {exc}")
        finally:
            self._slots.release()

    def close(self) -> list[str]:
        """Wait for every scheduled drop; the ones that failed (``name: reason``)."""
        self._closed = True
        self._pool.shutdown(wait=True)
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
            return list(self.failures)


def _tune_throwaway_server(url: str) -> None:
    """Durability off on a server whose data is deleted at the end anyway: faster CREATE DATABASE."""
    with connect(url, autocommit=True, lock_timeout=None) as conn:
        for name, value in (
            ("fsync", "off"),
            ("synchronous_commit", "off"),
            ("full_page_writes", "off"),
        ):
            conn.execute(
                sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value))
            )
        conn.execute("SELECT pg_reload_conf()")


@contextmanager
def embedded_test_server(*, tune: bool = True) -> Iterator[str]:
    """A private embedded PostgreSQL 18 in a temporary data dir, deleted on exit; admin URL."""
    from schemactl.db import embedded

    tmp = Path(tempfile.mkdtemp(prefix="schemactl-test-pg-"))
    data_dir = tmp / "pgdata"
    try:
        embedded.start_server(data_dir, cleanup_mode="delete")
        url = embedded.running_url(data_dir)
        if url is None:  # pragma: no cover - start_server raises first
            raise RuntimeError(f"embedded test server in {data_dir} did not start")
        if tune:
            _tune_throwaway_server(url)
        yield url
    finally:
        embedded.stop_server(data_dir)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _docker_test_server() -> Iterator[str]:
    # lazy: testcontainers is an optional extra ([docker]) and needs a docker daemon
    from testcontainers.postgres import PostgresContainer

    image = os.environ.get("SCHEMACTL_TEST_DOCKER_IMAGE", "postgres:18")
    with PostgresContainer(image, driver=None) as container:
        yield str(container.get_connection_url())


@contextmanager
def open_test_server(env: Mapping[str, str] | None = None) -> Iterator[TestServer]:
    """The session's server: $SCHEMACTL_TEST_DSN, else docker if asked, else embedded."""
    environ = os.environ if env is None else env
    dsn = environ.get(ENV_DSN)
    source: Callable[[], Any]
    if dsn:
        kind = "dsn"

        @contextmanager
        def source() -> Iterator[str]:
            yield dsn

    elif environ.get(ENV_BACKEND, "").lower() == "docker":
        kind, source = "docker", _docker_test_server
    else:
        kind, source = "embedded", embedded_test_server
    with source() as admin_url:
        with connect(admin_url, autocommit=True, lock_timeout=None) as conn:
            version = server_version_num(conn)
            strategy = choose_strategy(conn, environ)
        yield TestServer(
            admin_url=admin_url, version_num=version, kind=kind, clone_strategy=strategy
        )
