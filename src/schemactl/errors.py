"""Errors a user can see, each with its exit code.

Exit codes (documented in docs/cli.md, kept here and nowhere else):

* 0 ok
* 1 findings: drift, lint errors, failed checks, surviving mutants
* 2 usage or input error: bad option, unparsable file, cycle, SQL error, no server
* 3 a refused unsafe operation: changed files on apply, destructive change without consent
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_REFUSED = 3


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for a byte of a name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that is not printable escaped (``\\n``, ``\\x1b``).

    Messages quote text schemactl does not control (a file name, the SQL near an error, a
    ``RAISE`` of the user's): a line break in it would split the one-line error, and an
    escape sequence would reach the user's terminal.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def one_line(text: str, joiner: str | None = None) -> str:
    """``text`` printable on one line; with ``joiner``, its lines joined by it first.

    A server's DETAIL or HINT may span lines (one per dependent object): those are joined
    (``"; "``); anything else is escaped, so that what it quotes stays exact.
    """
    if joiner is not None:
        text = joiner.join(line.strip() for line in text.splitlines() if line.strip())
    return printable(text)


class SchemactlError(Exception):
    """Base of every error schemactl reports to a user as one line."""

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        """The one line (plus an optional hint line) shown to the user."""
        if self.hint:
            return f"{one_line(self.message)}\n  hint: {one_line(self.hint, '; ')}"
        return one_line(self.message)


class ConfigError(SchemactlError):
    """Bad configuration value or option."""


class SourceError(SchemactlError):
    """A SQL file is at fault; the message starts with ``path:line:col``."""

    def __init__(
        self, path: str, line: int, col: int, message: str, *, hint: str | None = None
    ) -> None:
        super().__init__(f"{path}:{line}:{col}: {message}", hint=hint)
        self.path = path
        self.line = line
        self.col = col
        self.reason = message


class ParseError(SourceError):
    """A statement could not be split or parsed."""


class CycleError(SchemactlError):
    """The statements depend on each other in a cycle."""


class UnresolvedReferenceError(SchemactlError):
    """``--strict``: a statement references an object no file creates."""


class DatabaseError(SchemactlError):
    """The server refused a statement or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        sqlstate: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.sqlstate = sqlstate
        self.detail = detail

    def format(self) -> str:
        lines = [one_line(self.message)]
        if self.detail:
            lines.append(f"  detail: {one_line(self.detail, '; ')}")
        if self.hint:
            lines.append(f"  hint: {one_line(self.hint, '; ')}")
        return "\n".join(lines)


class ApplyError(DatabaseError):
    """A statement of a SQL file failed; the transaction was rolled back."""


class ConnectError(DatabaseError):
    """No connection to the server (message carries a masked DSN)."""


class UnsupportedServerError(ConnectError):
    """The server is older than the oldest PostgreSQL version schemactl supports."""


class LockTimeoutError(DatabaseError):
    """Another session held a lock longer than ``lock_timeout``."""


class ApplyLockTimeoutError(LockTimeoutError):
    """Another apply held the apply lock (the advisory lock) longer than ``lock_wait``."""


class RefusedError(SchemactlError):
    """schemactl refused to do something unsafe; nothing was changed."""

    exit_code = EXIT_REFUSED


class FindingsError(SchemactlError):
    """The command ran and found problems (lint errors, drift, survivors)."""

    exit_code = EXIT_FINDINGS
