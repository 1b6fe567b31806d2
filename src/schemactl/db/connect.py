"""The one connection layer: open sessions, mask DSNs, turn server errors into user errors."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from schemactl import errors
from schemactl.config import DEFAULT_LOCK_TIMEOUT
from schemactl.model import Statement

__all__ = [
    "MIN_SERVER_VERSION_NUM",
    "connect",
    "database_error",
    "looks_like_dsn",
    "mask_dsn",
    "mask_secrets",
    "refuse_dsn_as_path",
    "server_version_num",
    "version_text",
]

# The oldest PostgreSQL schemactl runs against: the oldest version CI tests (15; and 18).
# Older servers lack what the schema and the lint rules rely on (security_invoker views,
# CREATE DATABASE ... STRATEGY in the test plugin), so they are refused up front.
MIN_SERVER_VERSION_NUM = 150000

# A URL: any scheme (a "mysql://" or SQLAlchemy's "postgresql+psycopg://" is refused by
# libpq, which then echoes the whole string back), then "user:" before the password.
_URL_HEAD = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*:")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)://")
# password=... in a URL query string
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&#]*)", re.I)
# key=value form: password=secret or password='sec ret' (with \' escapes inside quotes; an
# unterminated quote runs to the end, as libpq reads it)
_KV_PASSWORD = re.compile(
    r"(?P<head>(?:^|\s)password\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*(?:'|$)|\S+)", re.I
)
# a fragment of the DSN that libpq quotes back in a syntax error ('missing "=" after "x"')
_QUOTED = re.compile(r'"[^"]*"')

# the URL may have come from --shadow-url, --clone-url or --from/--to as well
_CONNECT_HINT = (
    "check the URL (--database-url / DATABASE_URL / the config, or the --shadow-url, "
    "--clone-url, --from, --to it came from) and that the server is running"
)


def _is_url(dsn: str) -> bool:
    return _SCHEME.match(dsn) is not None


def _url_password_span(url: str) -> tuple[int, int] | None:
    """Where the password of ``scheme://user:password@host`` is, or None.

    A password should percent-encode ``@``, ``/``, ``?`` and ``#``, but people paste them
    as they are, and libpq then echoes part of the URL back in its error: the password is
    taken to run to the last ``@`` before the query string (the first ``?`` after an ``@``).
    """
    head = _URL_HEAD.match(url)
    if head is None:
        return None
    start = head.end()
    first_at = url.find("@", start)
    if first_at < 0:
        return None
    query = url.find("?", first_at)
    end = url.rfind("@", start, query if query >= 0 else len(url))
    return start, end


def mask_dsn(url: str) -> str:
    """The DSN with its password replaced by ``***``; a DSN without a password is unchanged.

    Handles URLs (``postgresql://app:***@db/x``, ``postgres://``, ``?password=***``, any
    other scheme too) and the key=value form (``host=db password=***``).
    """
    url = url.strip()
    if not _is_url(url):
        return _KV_PASSWORD.sub(lambda m: m["head"] + "***", url)
    url = without_empty_password(url)
    span = _url_password_span(url)
    if span is not None and span[1] > span[0]:
        url = url[: span[0]] + "***" + url[span[1] :]
    return _QUERY_PASSWORD.sub(lambda m: m["head"] + "***", url)


# ?password= inside other text: up to a space or quote
_QUERY_PASSWORD_IN_TEXT = re.compile(r"(?P<head>[?&]password=)[^&#\s'\"]*", re.I)
# a URL inside other text, its "//" possibly folded to "/" (by a Path): user:password@
_URL_IN_TEXT = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*:/{1,2}[^\s:/@?#'\"]*:)[^\s@]+(?=@)")


# a URL (its "//" maybe folded to "/" by a Path) or a key=value DSN with a password
_DSN_LIKE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:/|(?:^|\s)password\s*=", re.I)


def looks_like_dsn(text: str) -> bool:
    """Whether ``text`` (given where a file or directory belongs) is a database URL or DSN."""
    return _DSN_LIKE.search(text) is not None


def refuse_dsn_as_path(path: Path | str, what: str, hint: str) -> None:
    """Raise a ConfigError (exit 2) when ``path`` is a URL or DSN: never a file named after it."""
    if looks_like_dsn(str(path)):
        raise errors.ConfigError(
            f"{what} looks like a database URL, not a path; nothing was written", hint=hint
        )


def mask_secrets(text: str) -> str:
    """``text`` (a message) with the password of every URL or DSN in it replaced by ``***``.

    For messages that quote what a user gave where a path belongs: a URL there (``drift
    --snapshot "$DATABASE_URL"``) is echoed back, possibly mangled by ``Path`` (``//`` -> ``/``).
    """
    text = _URL_IN_TEXT.sub(lambda m: m["head"] + "***", text)
    text = _QUERY_PASSWORD_IN_TEXT.sub(lambda m: m["head"] + "***", text)
    return _KV_PASSWORD.sub(lambda m: m["head"] + "***", text)


def without_empty_password(url: str) -> str:
    """``scheme://user:@host`` as ``scheme://user@host``: no ``:`` without a password.

    The embedded server's URL comes as ``postgresql://postgres:@/postgres?host=...``; both
    spellings connect the same.
    """
    span = _url_password_span(url) if _is_url(url) else None
    if span is None or span[1] != span[0]:
        return url
    return url[: span[0] - 1] + url[span[1] :]


def _passwords_in(url: str) -> list[str]:
    """Every password spelled in ``url``, to scrub them from server or libpq messages.

    Pieces of a password with a raw ``@`` or ``/`` are included: libpq cuts the URL there
    and may quote what follows as a host name.
    """
    found: list[str] = []
    url = url.strip()
    if _is_url(url):
        span = _url_password_span(url)
        if span is not None:
            password = url[span[0] : span[1]]
            found.append(password)
            found.extend(p for p in re.split(r"[@/]", password) if len(p) >= 3)
        found.extend(m["pw"] for m in _QUERY_PASSWORD.finditer(url))
    else:
        for m in _KV_PASSWORD.finditer(url):
            pw = m["pw"]
            found.append(pw)
            if pw.startswith("'"):
                found.append(pw[1:-1] if len(pw) > 1 and pw.endswith("'") else pw[1:])
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


def _invalid_dsn_hint(url: str) -> str:
    scheme = _SCHEME.match(url)
    # libpq knows these two, in lower case only
    if scheme is not None and scheme[1] not in ("postgresql", "postgres"):
        return (
            f"a URL starts with postgresql:// or postgres://, not {scheme[1]}:// "
            "(e.g. postgresql://user@host:5432/dbname)"
        )
    return _CONNECT_HINT


def _has_connect_timeout(url: str) -> bool:
    """Whether the DSN (or PGCONNECT_TIMEOUT) sets connect_timeout: then it is the user's."""
    if os.environ.get("PGCONNECT_TIMEOUT", "").strip():
        return True
    try:
        return "connect_timeout" in conninfo_to_dict(url)
    except psycopg.Error:
        return False  # malformed: psycopg.connect reports it


def version_text(version_num: int) -> str:
    """``150018`` -> ``15.18``; ``90624`` -> ``9.6.24``."""
    if version_num >= 100000:
        return f"{version_num // 10000}.{version_num % 10000}"
    return f"{version_num // 10000}.{version_num // 100 % 100}.{version_num % 100}"


def _open(url: str, **options: Any) -> psycopg.Connection[Any] | errors.ConnectError:
    """A connection, or the error to raise (password masked and scrubbed)."""
    try:
        return psycopg.connect(url, **options)
    except psycopg.OperationalError as exc:
        reason = _scrub(_first_line(str(exc)), url)
        return errors.ConnectError(
            f"cannot connect to {mask_dsn(url)}: {reason}", hint=_CONNECT_HINT
        )
    except psycopg.ProgrammingError as exc:
        # a malformed DSN (e.g. "missing '=' after ...") is the user's input error
        reason = _scrub(_first_line(str(exc)), url)
        if not _is_url(url) and _passwords_in(url):
            # the quoted fragment may be the tail of a password written with a space
            reason = _QUOTED.sub('"..."', reason)
        return errors.ConnectError(
            f"invalid database URL {mask_dsn(url)}: {reason}", hint=_invalid_dsn_hint(url)
        )


def connect(
    url: str,
    *,
    lock_timeout: str | None = DEFAULT_LOCK_TIMEOUT,
    statement_timeout: str | None = None,
    application_name: str = "schemactl",
    autocommit: bool = False,
    connect_timeout: int = 10,
) -> psycopg.Connection[Any]:
    """Open a session on ``url`` with schemactl's timeouts set for the whole session.

    Raises :class:`~schemactl.errors.ConnectError` (password masked) when the server cannot be
    reached and :class:`~schemactl.errors.ConfigError` for an invalid timeout value.
    """
    # a secret pasted with its trailing newline (a .env file, a mounted secret) still works
    url = url.strip()
    options: dict[str, Any] = {"application_name": application_name}
    if not _has_connect_timeout(url):
        options["connect_timeout"] = connect_timeout
    opened = _open(url, autocommit=autocommit, **options)
    if isinstance(opened, errors.ConnectError):
        # raised here, not in the except clause: libpq's own message (which may quote the
        # password back) must not stay reachable as the error's __context__
        raise opened
    conn = opened

    version = server_version_num(conn)
    if version < MIN_SERVER_VERSION_NUM:
        conn.close()
        raise errors.UnsupportedServerError(
            f"{mask_dsn(url)}: PostgreSQL {version_text(version)} is older than "
            f"PostgreSQL {version_text(MIN_SERVER_VERSION_NUM).split('.')[0]}, "
            "the oldest version schemactl supports",
            hint="upgrade the server, or point --database-url at a newer one",
        )

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
