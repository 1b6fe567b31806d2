"""Statements ``apply`` refuses before anything runs, each with the reason and what to do.

``apply`` runs every file in one transaction, in an order it computes across files. Four
kinds of statement break that promise and are refused at their ``file:line:col``:

* transaction control (``BEGIN``, ``COMMIT``, ``SAVEPOINT``, ``RELEASE``...): it would end
  or split the one transaction;
* session state that changes who runs the statements or how names resolve (``SET ROLE``,
  ``SET SESSION AUTHORIZATION``, ``RESET ROLE`` / ``SESSION AUTHORIZATION`` / ``ALL``,
  ``SET search_path``, ``set_config('search_path' | 'role', ...)``): statements of other
  files ordered after it would run under it;
* psql data streams (``COPY ... FROM STDIN`` / ``TO STDOUT``): apply is not psql;
* statements that cannot run in a transaction block or act on the whole server
  (``VACUUM``, ``CREATE INDEX CONCURRENTLY``, ``CREATE DATABASE``, ``ALTER SYSTEM``,
  ``CREATE TABLESPACE``...).

The checks read the statement's tokens as PostgreSQL's own scanner sees them
(``pglast.parser.scan``), so comments, quoted names and string bodies (DO blocks, function
bodies) never trigger them. Other ``SET`` statements (``check_function_bodies``,
``client_min_messages``...) stay allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pglast import parse_sql
from pglast.parser import ParseError as ScanError
from pglast.parser import scan

from schemactl.errors import SourceError
from schemactl.model import Plan, SqlFile, Statement, line_col

__all__ = ["Refusal", "check_plan", "copy_data_error", "refusal"]

# A statement can only be refused if its text holds one of these words: most statements
# (CREATE TABLE, CREATE POLICY...) are never scanned.
_SUSPECT = re.compile(
    r"\b(begin|start|commit|end|rollback|abort|savepoint|release|prepare|set|reset|set_config"
    r"|copy|vacuum|concurrently|reindex|database|system|tablespace|discard)\b",
    re.IGNORECASE,
)

_TRANSACTION_CONTROL = frozenset(
    {"BEGIN_P", "START", "COMMIT", "END_P", "ROLLBACK", "ABORT_P", "SAVEPOINT", "RELEASE",
     "PREPARE"}
)  # fmt: skip
# Settings that decide who runs the following statements or how their names resolve.
_SESSION_SETTINGS = frozenset({"role", "session_authorization", "search_path"})
_COMMENTS = frozenset({"C_COMMENT", "SQL_COMMENT"})

_TRANSACTION_HINT = "remove the transaction control statement"
_SESSION_HINT = (
    "schema-qualify names instead of SET search_path, use --owner for who owns what apply "
    "creates; for pg_dump output remove its SET / set_config preamble"
)
_SESSION_WHY = (
    "apply orders statements across files by dependency, so a session setting would leak "
    "into statements of other files"
)
_NO_TRANSACTION_WHY = "it cannot run inside a transaction block, and apply runs every file in one"


@dataclass(frozen=True)
class Refusal:
    """Why a statement is refused: what is not allowed, the reason, and what to do."""

    what: str
    why: str
    hint: str

    def error(self, statement: Statement) -> SourceError:
        """The one-line error at the statement's ``file:line:col``."""
        return SourceError(
            statement.file.display,
            statement.line,
            statement.col,
            f"{self.what} is not allowed: {self.why}",
            hint=self.hint,
        )


# psql's end-of-data marker: a line holding only "\." is never SQL, so a file that has
# one carries COPY data inline (pg_dump's plain format does)
_END_OF_DATA = re.compile(r"^[ \t]*\\\.[ \t]*\r?$", re.MULTILINE)
_COPY_FROM_STDIN = re.compile(r"\bCOPY\b[^;]*?\bFROM\s+STDIN\b[^;]*;", re.IGNORECASE)

_COPY_REFUSAL = Refusal(
    "COPY ... FROM STDIN",
    "apply sends SQL statements, not psql data streams",
    "load data with INSERT statements, or with psql after apply",
)


@dataclass(frozen=True)
class _Word:
    name: str  # scanner token name: "SET", "IDENT", "SCONST", "ASCII_40" ...
    text: str  # source text


def _words(sql: str) -> list[_Word]:
    try:
        tokens = scan(sql)
    except ScanError:
        return []  # the server reports it at its position; nothing to refuse here
    return [_Word(t.name, sql[t.start : t.end + 1]) for t in tokens if t.name not in _COMMENTS]


def _name(word: _Word) -> str:
    """A setting or function name as PostgreSQL folds it ("Search_Path" stays as quoted)."""
    if word.text.startswith('"'):
        return word.text[1:-1].replace('""', '"')
    return word.text.lower()


def _string_value(word: _Word) -> str | None:
    """The value of a string constant token ('x', E'x', $$x$$, U&'x'), or None."""
    if word.name not in ("SCONST", "USCONST"):
        return None
    try:
        tree: Any = parse_sql(f"SELECT {word.text}")
        value = tree[0].stmt.targetList[0].val.val.sval
    except Exception:  # any literal the scanner took but the parser did not: not a name
        return None
    return value if isinstance(value, str) else None


def _names(words: Sequence[_Word]) -> list[str]:
    return [w.name for w in words]


def refusal(statement: Statement) -> Refusal | None:
    """Why ``statement`` may not be applied, or None when it may."""
    if not _SUSPECT.search(statement.sql):
        return None
    words = _words(statement.sql)
    if not words:
        return None
    first = words[0].name
    names = _names(words)
    if first in _TRANSACTION_CONTROL:
        return Refusal(
            words[0].text.upper(),
            "schemactl applies every file in one transaction",
            _TRANSACTION_HINT,
        )
    if first == "SET":
        return _set_refusal(words)
    if first == "RESET":
        return _reset_refusal(words)
    if first == "COPY" and ("STDIN" in names or "STDOUT" in names):
        stream = "FROM STDIN" if "STDIN" in names else "TO STDOUT"
        return Refusal(f"COPY ... {stream}", _COPY_REFUSAL.why, _COPY_REFUSAL.hint)
    found = _not_in_transaction(names)
    if found is not None:
        return found
    return _set_config_refusal(words)


def _set_refusal(words: Sequence[_Word]) -> Refusal | None:
    rest = list(words[1:])
    scope = ""
    if rest and rest[0].name in ("LOCAL", "SESSION"):
        # SET SESSION AUTHORIZATION, or a scope: SET LOCAL ROLE, SET SESSION ROLE
        if rest[0].name == "SESSION" and len(rest) > 1 and rest[1].name == "AUTHORIZATION":
            return Refusal("SET SESSION AUTHORIZATION", _SESSION_WHY, _SESSION_HINT)
        scope = rest[0].name + " "
        rest = rest[1:]
    if not rest:
        return None
    if rest[0].name == "SESSION" and len(rest) > 1 and rest[1].name == "AUTHORIZATION":
        return Refusal(f"SET {scope}SESSION AUTHORIZATION", _SESSION_WHY, _SESSION_HINT)
    if rest[0].name == "SCHEMA":  # SET SCHEMA 'x' is SET search_path TO 'x'
        return Refusal(f"SET {scope}SCHEMA", _SESSION_WHY, _SESSION_HINT)
    if len(rest) > 1 and rest[1].name == "ASCII_46":  # a custom setting: SET app.role = ...
        return None
    setting = _name(rest[0])
    if setting in _SESSION_SETTINGS:
        shown = "ROLE" if setting == "role" else setting
        return Refusal(f"SET {scope}{shown}", _SESSION_WHY, _SESSION_HINT)
    return None


def _reset_refusal(words: Sequence[_Word]) -> Refusal | None:
    rest = list(words[1:])
    if not rest:
        return None
    if rest[0].name == "SESSION" and len(rest) > 1 and rest[1].name == "AUTHORIZATION":
        return Refusal("RESET SESSION AUTHORIZATION", _SESSION_WHY, _SESSION_HINT)
    if rest[0].name == "ALL":
        return Refusal("RESET ALL", _SESSION_WHY, _SESSION_HINT)
    if len(rest) > 1 and rest[1].name == "ASCII_46":
        return None
    setting = _name(rest[0])
    if setting in _SESSION_SETTINGS:
        shown = "ROLE" if setting == "role" else setting
        return Refusal(f"RESET {shown}", _SESSION_WHY, _SESSION_HINT)
    return None


def _not_in_transaction(names: Sequence[str]) -> Refusal | None:
    """Statements that cannot run in a transaction block or change the whole server."""
    first, second = names[0], names[1] if len(names) > 1 else ""
    run_after = "run it outside schemactl (e.g. with psql) after apply"
    if first == "VACUUM":
        return Refusal("VACUUM", _NO_TRANSACTION_WHY, run_after)
    if first == "DISCARD" and second == "ALL":
        return Refusal("DISCARD ALL", _NO_TRANSACTION_WHY, "remove it")
    if first in ("CREATE", "DROP") and "CONCURRENTLY" in names[:4]:
        index = names[1:3] == ["UNIQUE", "INDEX"] or second == "INDEX"
        if index:
            return Refusal(
                f"{first} INDEX CONCURRENTLY",
                _NO_TRANSACTION_WHY,
                "drop CONCURRENTLY (nothing else sees the tables until apply commits), "
                "or run it after apply",
            )
    if first == "REINDEX" and ("CONCURRENTLY" in names or second in ("DATABASE", "SYSTEM_P")):
        what = (
            "REINDEX ... CONCURRENTLY"
            if "CONCURRENTLY" in names
            else "REINDEX " + ("DATABASE" if second == "DATABASE" else "SYSTEM")
        )
        return Refusal(what, _NO_TRANSACTION_WHY, run_after)
    if first == "ALTER" and second == "TABLE" and "DETACH" in names and "CONCURRENTLY" in names:
        return Refusal(
            "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY",
            _NO_TRANSACTION_WHY,
            "drop CONCURRENTLY, or run it after apply",
        )
    if first in ("CREATE", "DROP") and second == "DATABASE":
        return Refusal(
            f"{first} DATABASE",
            "apply changes the one database it connects to, in one transaction",
            "create or drop databases outside schemactl and point --database-url at the target",
        )
    if first == "ALTER" and second == "SYSTEM_P":
        return Refusal(
            "ALTER SYSTEM",
            "it changes the configuration of the whole server and cannot run in a transaction "
            "block",
            "change server settings outside schemactl (postgresql.conf, or ALTER SYSTEM in psql)",
        )
    if first in ("CREATE", "DROP") and second == "TABLESPACE":
        return Refusal(
            f"{first} TABLESPACE",
            "tablespaces belong to the whole server and cannot be created or dropped in a "
            "transaction block",
            "manage tablespaces outside schemactl, before apply",
        )
    return None


# Statements that define code or a view without running it: a set_config call in them
# runs later, not during apply.
_DEFINITIONS = frozenset({"FUNCTION", "PROCEDURE", "VIEW", "RULE"})


def _set_config_refusal(words: Sequence[_Word]) -> Refusal | None:
    """``SELECT set_config('search_path' | 'role' | 'session_authorization', ...)``."""
    if words[0].name == "CREATE":
        rest = [w.name for w in words[1:6]]
        head = [n for n in rest if n not in ("OR", "REPLACE", "TEMP", "TEMPORARY", "RECURSIVE")]
        if head and head[0] in _DEFINITIONS:
            return None
    for i, word in enumerate(words[:-2]):
        if word.name != "IDENT" or _name(word) != "set_config":
            continue
        if words[i + 1].name != "ASCII_40":  # "("
            continue
        setting = _string_value(words[i + 2])
        if setting is not None and setting.lower() in _SESSION_SETTINGS:
            return Refusal(f"set_config('{setting.lower()}', ...)", _SESSION_WHY, _SESSION_HINT)
    return None


def copy_data_error(file: SqlFile) -> SourceError | None:
    """The refusal of a ``COPY ... FROM STDIN`` whose data rows follow it in ``file``.

    Data rows are not SQL, so a parser stops at the first row; call this when it does,
    to name the COPY instead (``None`` when the file has no inline COPY data). The COPY
    is the last ``COPY ... FROM STDIN;`` before the first end-of-data line (``\\.``), or
    before the end of the file when the data runs to it.
    """
    marker = _END_OF_DATA.search(file.text)
    end = marker.start() if marker else len(file.text)
    copies = list(_COPY_FROM_STDIN.finditer(file.text, 0, end))
    if not copies:
        return None
    offset = copies[-1].start()
    line, col = line_col(file.text, offset)
    return SourceError(
        file.display,
        line,
        col,
        f"{_COPY_REFUSAL.what} is not allowed: {_COPY_REFUSAL.why}",
        hint=_COPY_REFUSAL.hint,
    )


def check_plan(plan: Plan) -> None:
    """Raise the first refusal of ``plan`` (in file order) as a one-line ``SourceError``."""
    refused = [
        (statement, found)
        for statement in plan.statements
        if (found := refusal(statement)) is not None
    ]
    if refused:
        statement, found = min(refused, key=lambda item: (item[0].file.relpath, item[0].offset))
        raise found.error(statement)
