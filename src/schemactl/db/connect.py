"""The one connection layer: open sessions, mask DSNs, turn server errors into user errors."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql

from schemactl import errors
from schemactl.model import Statement

__all__ = ["connect", "database_error", "mask_dsn", "server_version_num"]

# URL form: scheme://user:password@host...  The password ends at the last "@" before the
# host part; a "@" inside a password must be percent-encoded in a valid URL, so [^@/]* is safe.
_URL_PASSWORD = re.compile(
    r"^(?P<head>postgres(?:ql)?://[^:/@?#]*:)(?P<pw>[^@/?#]*)(?P<at>@)", re.I
)
# password=... in a URL query string
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&#]*)", re.I)
# key=value form: password=secret or password='sec ret' (with \' escapes inside quotes)
_KV_PASSWORD = re.compile(r"(?P<head>(?:^|\s)password\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)", re.I)

_CONNECT_HINT = "check --database-url / DATABASE_URL (or the config) and that the server is running"


def _is_url(dsn: str) -> bool:
    return dsn.lower().startswith(("postgresql://", "postgres://"))


def mask_dsn(url: str) -> str:
    """The DSN with its password replaced by ``***``; a DSN without a password is unchanged.

    Handles URLs (``postgresql://app:***@db/x``, ``postgres://``, ``?password=***``) and the
    key=value form (``host=db password=***``).
    """
    if _is_url(url):
        masked = _URL_PASSWORD.sub(
            lambda m: m["head"] + ("***" if m["pw"] else "") + m["at"], url, count=1
        )
        return _QUERY_PASSWORD.sub(lambda m: m["head"] + "***", masked)
    return _KV_PASSWORD.sub(lambda m: m["head"] + "***", url)


def _passwords_in(url: str) -> list[str]:
    """Every password spelled in ``url``, to scrub them from server or libpq messages."""
    found: list[str] = []
    if _is_url(url):
        if m := _URL_PASSWORD.match(url):
            found.append(m["pw"])
        found.extend(m["pw"] for m in _QUERY_PASSWORD.finditer(url))
    else:
        for m in _KV_PASSWORD.finditer(url):
            pw = m["pw"]
            found.append(pw)
            if pw.startswith("'") and pw.endswith("'"):
                found.append(pw[1:-1])
    return [pw for pw in found if pw]


def _scrub(text: str, url: str) -> str:
    # libpq echoes parts of a malformed conninfo string back; never let a password through
    for pw in sorted(_passwords_in(url), key=len, reverse=True):
        text = text.replace(pw, "***")
    return text


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return text.strip()


def connect(
    url: str,
    *,
    lock_timeout: str | None = "5s",
    statement_timeout: str | None = None,
    application_name: str = "schemactl",
    autocommit: bool = False,
    connect_timeout: int = 10,
) -> psycopg.Connection[Any]:
    """Open a session on ``url`` with schemactl's timeouts set for the whole session.

    Raises :class:`~schemactl.errors.ConnectError` (password masked) when the server cannot be
    reached and :class:`~schemactl.errors.ConfigError` for an invalid timeout value.
    """
    try:
        conn = psycopg.connect(
            url,
            autocommit=autocommit,
            application_name=application_name,
            connect_timeout=connect_timeout,
        )
    except psycopg.OperationalError as exc:
        reason = _scrub(_first_line(str(exc)), url)
        raise errors.ConnectError(
            f"cannot connect to {mask_dsn(url)}: {reason}", hint=_CONNECT_HINT
        ) from None
    except psycopg.ProgrammingError as exc:
        # a malformed DSN (e.g. "missing '=' after ...") is the user's input error
        reason = _scrub(_first_line(str(exc)), url)
        raise errors.ConnectError(
            f"invalid database URL {mask_dsn(url)}: {reason}", hint=_CONNECT_HINT
        ) from None

    settings = [("lock_timeout", lock_timeout), ("statement_timeout", statement_timeout)]
    wanted = [(name, value) for name, value in settings if value is not None]
    if wanted:
        # set_config rather than libpq "options": poolers such as pgbouncer reject startup options
        query = sql.SQL("SELECT {}").format(
            sql.SQL(", ").join(
                sql.SQL("set_config({}, {}, false)").format(sql.Literal(name), sql.Literal(value))
                for name, value in wanted
            )
        )
        try:
            conn.execute(query)
            if not autocommit:
                conn.commit()
        except psycopg.Error as exc:
            conn.close()
            raise errors.ConfigError(
                f"invalid timeout setting: {_first_line(str(exc))}",
                hint="use a PostgreSQL duration such as 5s, 500ms or 2min",
            ) from None
    return conn


def server_version_num(conn: psycopg.Connection[Any]) -> int:
    """The server's ``server_version_num`` (e.g. 150018 for 15.18, 180006 for 18.6)."""
    return int(conn.info.server_version)


def database_error(exc: psycopg.Error, statement: Statement | None = None) -> errors.DatabaseError:
    """The user-facing error for a server error, located in its SQL file when known.

    With ``statement`` the message is ``path:line:col: <server message>`` (an
    :class:`~schemactl.errors.ApplyError`); a lock timeout becomes a
    :class:`~schemactl.errors.LockTimeoutError`. ``sqlstate`` and ``detail`` are kept.
    """
    diag = exc.diag
    sqlstate = diag.sqlstate or getattr(exc, "sqlstate", None)
    primary = diag.message_primary or _first_line(str(exc)) or type(exc).__name__
    hint = diag.message_hint
    detail = diag.message_detail

    if sqlstate == "55P03":
        hint = hint or (
            "another session holds a lock on this object; retry when it is done or raise "
            "lock_timeout (--lock-timeout, SCHEMACTL_LOCK_TIMEOUT)"
        )
    elif sqlstate == "57014":
        hint = hint or (
            "the statement ran longer than statement_timeout; raise it "
            "(--statement-timeout, SCHEMACTL_STATEMENT_TIMEOUT) or leave it unset"
        )

    if statement is not None:
        line, col = statement.line, statement.col
        position = diag.statement_position
        if position and position.isdigit():
            line, col = statement.position_to_location(int(position))
        message = f"{statement.file.display}:{line}:{col}: {primary}"
    else:
        message = primary

    cls: type[errors.DatabaseError]
    if sqlstate == "55P03":
        cls = errors.LockTimeoutError
    elif statement is not None:
        cls = errors.ApplyError
    else:
        cls = errors.DatabaseError
    return cls(message, hint=hint, sqlstate=sqlstate, detail=detail)
