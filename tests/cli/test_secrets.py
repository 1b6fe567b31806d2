"""A password never shows: not in output, logs, exceptions or the ledger (issue 8, Secrets).

A distinctive marker is the password in every form a DSN can take (URL, ``?password=``,
key=value, with characters a URL should have encoded, under any scheme), given every way
schemactl takes one (``--database-url``, ``DATABASE_URL``, ``SCHEMACTL_DATABASE_URL``,
``schemactl.toml``, ``pyproject.toml``), to every command that connects, failing (a dead
port, a wrong database, a malformed DSN, a wrong password) and succeeding (on the trust
server, where the password is ignored, and on a private server that checks it). After each
run the marker is looked for in stdout, stderr, every log record, the exception and its
traceback, and in the ledger and the whole catalog of the databases applied to.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from hostile import PasswordServer, free_port, isolated_env, login_role
from schemactl import api
from schemactl.cli import main
from schemactl.db import embedded
from schemactl.db.connect import mask_dsn
from schemactl.db.snapshot import catalog_snapshot
from schemactl.errors import SchemactlError
from schemactl.testing.server import TestServer, unique_name

MARKER = "Zq9MARKERpw7"
# the password as written in a URL, where it must be percent-encoded
SQL = "CREATE TABLE secret_t (id int);\n"


def assert_no_marker(what: str, text: str) -> None:
    assert MARKER not in text, f"the password shows in {what}: {text!r}"
    # a URL-encoded or partial copy counts too
    assert MARKER[:7] not in text and MARKER[-7:] not in text, f"part of it in {what}: {text!r}"


def url_form(url: str, *, password: str, dbname: str | None = None, query: bool = False) -> str:
    """``url`` (a URL or key=value DSN) as a URL with ``password`` in it (or in ``?password=``)."""
    params = conninfo_to_dict(url)
    user = quote(str(params.get("user", "postgres")), safe="")
    host = str(params.get("host", ""))
    port = str(params.get("port", "5432"))
    db = quote(dbname or str(params.get("dbname", "postgres")), safe="")
    secret = quote(password, safe="")
    if host.startswith("/"):  # a unix socket directory goes in the query string
        base = f"postgresql://{user}{'' if query else ':' + secret}@/{db}?host={quote(host)}"
        base += f"&port={port}"
        return base + (f"&password={secret}" if query else "")
    base = f"postgresql://{user}{'' if query else ':' + secret}@{host}:{port}/{db}"
    return base + (f"?password={secret}" if query else "")


def kv_form(url: str, *, password: str, dbname: str | None = None) -> str:
    extra: dict[str, Any] = {"password": password}
    if dbname is not None:
        extra["dbname"] = dbname
    return make_conninfo(url, **extra)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project dir (the cwd) with one table in sql/; the embedded server may not start."""
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "t.sql").write_text(SQL)
    monkeypatch.chdir(tmp_path)

    def no_embedded_server(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the embedded server was started")

    monkeypatch.setattr(embedded, "start", no_embedded_server)
    return tmp_path


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger (psycopg's included), at DEBUG."""
    with caplog.at_level(logging.DEBUG):
        yield caplog
    for record in caplog.records:
        assert_no_marker(f"log record of {record.name}", record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            assert_no_marker(
                "a logged exception", "".join(traceback.format_exception(record.exc_info[1]))
            )


def invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, args, env=isolated_env(env))
    assert_no_marker("stdout", result.stdout)
    assert_no_marker("stderr", result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_exception_clean(exc: BaseException) -> None:
    assert_no_marker("the exception message", str(exc))
    assert_no_marker("the exception repr", repr(exc))
    if isinstance(exc, SchemactlError):
        assert_no_marker("the formatted error", exc.format())
    # what a crash reporter or logger.exception() would print
    assert_no_marker("the traceback", "".join(traceback.format_exception(exc)))
    # the whole chain, suppressed context included: it stays reachable from the exception
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        assert_no_marker(f"a chained {type(current).__name__}", str(current))
        current = current.__cause__ or current.__context__


def ledger_and_catalog_text(url: str) -> str:
    """Every row of every table of schema schemactl, and the whole catalog snapshot, as text."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'schemactl' AND c.relkind IN ('r', 'p')"
        ).fetchall()
        assert tables, "the ledger exists"
        rows = [
            str(row)
            for (table,) in tables
            for row in conn.execute(
                sql.SQL("SELECT t::text FROM {} t").format(sql.SQL(str(table)))
            ).fetchall()
        ]
        assert rows, "the ledger has rows"
        snapshot = catalog_snapshot(conn, exclude_schemas=())
    return "\n".join(rows) + "\n" + repr(snapshot)


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    "dsn",
    [
        f"postgresql://app:{MARKER}@db.example.com:5432/app",
        f"postgres://app:{MARKER}@db.example.com/app",
        f"postgresql://app@db.example.com/app?password={MARKER}",
        f"postgresql://app@db.example.com/app?sslmode=require&password={MARKER}&connect_timeout=3",
        f"postgresql://app:{MARKER}@h1:5432,h2:5433/app?target_session_attrs=read-write",
        f"postgresql://:{MARKER}@db.example.com/app",
        f"postgresql://app:ab@{MARKER}@db.example.com/app",
        f"postgresql://app:ab/{MARKER}@db.example.com/app",
        f"postgresql://app:ab?{MARKER}@db.example.com/app",
        f"postgresql+psycopg://app:{MARKER}@db.example.com/app",
        f"mysql://app:{MARKER}@db.example.com/app",
        f"  postgresql://app:{MARKER}@db.example.com/app\n",
        f"host=db.example.com password={MARKER} dbname=app",
        f"host=db.example.com password = {MARKER}",
        f"password='{MARKER} with spaces' host=db",
        f"host=db password='it\\'s {MARKER}'",
        f"host=db password='{MARKER}",
        f"host=db PASSWORD={MARKER}",
    ],
)
def test_mask_dsn_hides_every_form(dsn: str) -> None:
    masked = mask_dsn(dsn)
    assert_no_marker("mask_dsn", masked)
    assert "***" in masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            f"postgresql:/app:{MARKER}@db.example.com:5432/app: cannot read the plan file",
            "postgresql:/app:***@db.example.com:5432/app: cannot read the plan file",
        ),
        (
            f"File 'postgresql://app:{MARKER}@db/app' does not exist.",
            "File 'postgresql://app:***@db/app' does not exist.",
        ),
        (
            f"SQL directory postgres://:{MARKER}@db/app is not a directory",
            "SQL directory postgres://:***@db/app is not a directory",
        ),
        (
            f"at postgresql://app@db/app?sslmode=require&password={MARKER} now",
            "at postgresql://app@db/app?sslmode=require&password=*** now",
        ),
        (
            f"host=db password={MARKER} dbname=app: cannot read the snapshot",
            "host=db password=*** dbname=app: cannot read the snapshot",
        ),
        (f"x: host=db password='{MARKER} with spaces'", "x: host=db password=***"),
    ],
)
def test_mask_secrets_hides_a_url_inside_a_message(text: str, masked: str) -> None:
    from schemactl.db.connect import mask_secrets

    assert mask_secrets(text) == masked


def test_mask_secrets_leaves_other_text_alone() -> None:
    from schemactl.db.connect import looks_like_dsn, mask_secrets

    for text in ("sql/a.sql:3:1: syntax error at or near \"@\"", "mail a@b.c: x", "./pulled"):
        assert mask_secrets(text) == text
        assert not looks_like_dsn(text)
    for dsn in (f"postgresql:/app:{MARKER}@db/x", "postgres://db/x", f"host=db password={MARKER}"):
        assert looks_like_dsn(dsn)


# ------------------------------------------------------------------ failing commands


def failing_dsns(server: TestServer) -> list[tuple[str, str]]:
    dead = free_port()
    admin = server.admin_url
    return [
        ("url, dead port", f"postgresql://app:{MARKER}@127.0.0.1:{dead}/app"),
        ("query password, dead port", f"postgresql://app@127.0.0.1:{dead}/app?password={MARKER}"),
        ("key=value, dead port", f"host=127.0.0.1 port={dead} user=app password={MARKER}"),
        ("url, no such database", url_form(admin, password=MARKER, dbname="sct_no_such_db")),
        (
            "query, no such database",
            url_form(admin, password=MARKER, dbname="sct_no_db", query=True),
        ),
        ("key=value, no such database", kv_form(admin, password=MARKER, dbname="sct_no_such_db")),
        ("url, unknown parameter", f"postgresql://app:{MARKER}@127.0.0.1:{dead}/app?bogus=1"),
        ("key=value, unknown keyword", f"host=127.0.0.1 port={dead} password={MARKER} bogus=1"),
        ("key=value, unquoted space", f"host=127.0.0.1 port={dead} password={MARKER} tail"),
        ("key=value, open quote", f"host=127.0.0.1 port={dead} password='{MARKER}"),
        ("raw @ in the password", f"postgresql://app:ab@{MARKER}@127.0.0.1:{dead}/app"),
        ("raw / in the password", f"postgresql://app:ab/{MARKER}@127.0.0.1:{dead}/app"),
        ("mysql scheme", f"mysql://app:{MARKER}@127.0.0.1:{dead}/app"),
        ("sqlalchemy scheme", f"postgresql+psycopg://app:{MARKER}@127.0.0.1:{dead}/app"),
        ("bad port", f"postgresql://app:{MARKER}@127.0.0.1:99999/app"),
        ("bad sslmode", f"postgresql://app:{MARKER}@127.0.0.1:{dead}/app?sslmode=bogus"),
    ]


COMMANDS = (["apply"], ["apply", "--dry-run"], ["lint"])
WAYS = ("--database-url", "DATABASE_URL", "SCHEMACTL_DATABASE_URL", "schemactl.toml", "pyproject")


def give_url(project: Path, way: str, url: str) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment that hand ``url`` to a command the way ``way`` says."""
    if way == "--database-url":
        return ["--database-url", url], {}
    if way in ("DATABASE_URL", "SCHEMACTL_DATABASE_URL"):
        return [], {way: url}
    text = url.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if way == "schemactl.toml":
        (project / "schemactl.toml").write_text(f'database_url = "{text}"\n')
    else:
        (project / "pyproject.toml").write_text(f'[tool.schemactl]\ndatabase_url = "{text}"\n')
    return [], {}


def test_failures_never_show_the_password(
    project: Path, schemactl_server: TestServer, logs: pytest.LogCaptureFixture
) -> None:
    tried = 0
    for label, dsn in failing_dsns(schemactl_server):
        for way in WAYS:
            for command in COMMANDS:
                if command[0] == "lint" and way != "--database-url":
                    continue  # lint reads its URL from the option only
                for config in ("schemactl.toml", "pyproject.toml"):
                    (project / config).unlink(missing_ok=True)
                args, env = give_url(project, way, dsn)
                result = invoke([*command, "sql", *args], env)
                assert result.exit_code == 2, (label, way, command, result.stderr)
                assert len(result.stderr.splitlines()) <= 3, result.stderr
                tried += 1
    assert tried >= 150
    for config in ("schemactl.toml", "pyproject.toml"):
        (project / config).unlink(missing_ok=True)


def test_library_exceptions_never_show_the_password(
    project: Path, schemactl_server: TestServer, logs: pytest.LogCaptureFixture
) -> None:
    for label, dsn in failing_dsns(schemactl_server):
        for dry_run in (False, True):
            with pytest.raises(SchemactlError) as info:
                api.apply("sql", database_url=dsn, dry_run=dry_run)
            assert info.value.exit_code == 2, label
            assert_exception_clean(info.value)
        from schemactl.lint import lint

        with pytest.raises(SchemactlError) as info:
            lint("sql", database_url=dsn)
        assert_exception_clean(info.value)


@pytest.mark.parametrize(
    "toml",
    [
        f'database_url = ["postgresql://app:{MARKER}@db/app"]\n',
        f'database_url = "postgresql://app:{MARKER}@db/app\n',
        f'database_url = {{ url = "postgresql://app:{MARKER}@db/app" }}\n',
        f'database-url = "postgresql://app:{MARKER}@db/app"\nsql_dri = "sql"\n',
        f'databse_url = "postgresql://app:{MARKER}@db/app"\n',
    ],
)
def test_config_errors_never_show_the_password(
    project: Path, toml: str, logs: pytest.LogCaptureFixture
) -> None:
    (project / "schemactl.toml").write_text(toml)
    result = invoke(["apply", "sql"])
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("schemactl: schemactl.toml:"), result.stderr


# ---------------------------------------------------------------- succeeding commands


def test_trust_server_runs_never_show_the_password(
    project: Path,
    schemactl_empty_db: str,
    schemactl_server: TestServer,
    logs: pytest.LogCaptureFixture,
) -> None:
    """The shared server trusts 127.0.0.1: the password is sent and ignored, the run succeeds."""
    forms = [
        url_form(schemactl_empty_db, password=MARKER),
        url_form(schemactl_empty_db, password=MARKER, query=True),
        kv_form(schemactl_empty_db, password=MARKER),
    ]
    dry = invoke(["apply", "sql", "--dry-run", "--database-url", forms[0]])
    assert dry.exit_code == 0 and "CREATE TABLE secret_t" in dry.stdout, dry.output
    first = invoke(["apply", "sql", "--database-url", forms[0]])
    assert first.exit_code == 0 and "applied 1 statement" in first.stdout, first.output
    assert "***" in first.stdout
    for form in forms:
        for way in WAYS:
            for config in ("schemactl.toml", "pyproject.toml"):
                (project / config).unlink(missing_ok=True)
            args, env = give_url(project, way, form)
            again = invoke(["apply", "sql", *args], env)
            assert again.exit_code == 0 and "up to date" in again.stdout, (way, again.output)
        linted = invoke(["lint", "sql", "--database-url", form])
        assert linted.exit_code in (0, 1), linted.output
    for config in ("schemactl.toml", "pyproject.toml"):
        (project / config).unlink(missing_ok=True)
    # a changed file: apply migrates the database (a diff against a shadow, whose URL
    # carries the password too); the target is shown masked, then every form is up to date
    (project / "sql" / "t.sql").write_text(SQL + "CREATE TABLE secret_u (id int);\n")
    shadow = url_form(schemactl_server.admin_url, password=MARKER)
    migrated = invoke(["apply", "sql", "--database-url", forms[0], "--shadow-url", shadow])
    assert migrated.exit_code == 0 and "migrated " in migrated.stdout, migrated.output
    assert "***" in migrated.stdout
    for form in forms:
        again = invoke(["apply", "sql", "--database-url", form])
        assert again.exit_code == 0 and "up to date" in again.stdout, again.output
    assert_no_marker("the ledger or catalog", ledger_and_catalog_text(schemactl_empty_db))


@contextlib.contextmanager
def database_owned_by(server: PasswordServer, role: str) -> Iterator[str]:
    name = unique_name("sct_secret")
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(role)
            )
        )
    try:
        yield name
    finally:
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_password_server_runs_never_show_the_password(
    project: Path, password_server: PasswordServer, logs: pytest.LogCaptureFixture
) -> None:
    """A server that checks passwords: the right one applies, a wrong one is refused; both quiet."""
    with (
        login_role(password_server.url(), password=MARKER, prefix="sct_secret") as role,
        database_owned_by(password_server, role) as dbname,
    ):
        right = password_server.url(user=role, password=MARKER, dbname=dbname)
        query = url_form(right, password=MARKER, query=True)
        kv = kv_form(password_server.url(user=role, dbname=dbname), password=MARKER)
        applied = invoke(["apply", "sql", "--auth-shim", "never", "--database-url", right])
        assert applied.exit_code == 0 and "applied 1 statement" in applied.stdout, applied.output
        for form in (right, query, kv):
            for way in WAYS:
                for config in ("schemactl.toml", "pyproject.toml"):
                    (project / config).unlink(missing_ok=True)
                args, env = give_url(project, way, form)
                again = invoke(["apply", "sql", *args], env)
                assert again.exit_code == 0 and "up to date" in again.stdout, (way, again.output)
        for config in ("schemactl.toml", "pyproject.toml"):
            (project / config).unlink(missing_ok=True)
        wrong = password_server.url(user=role, password=MARKER[::-1] + "x", dbname=dbname)
        for args in (["apply", "sql"], ["apply", "sql", "--dry-run"], ["lint", "sql"]):
            refused = invoke([*args, "--database-url", wrong])
            assert refused.exit_code == 2, refused.output
            assert "password authentication failed" in refused.stderr
        assert_no_marker(
            "the ledger or catalog",
            ledger_and_catalog_text(password_server.url(dbname=dbname)),
        )
