"""The syntax corpus in ``tests/cases/syntax``: what PostgreSQL's grammar accepts and where it
points when it does not.

Each ``.sql`` file there is read as ``schemactl order`` reads it (``read_sql_file``: UTF-8,
a leading BOM dropped) and carries its expectation in ``--`` comment lines (format in
``tests/cases/syntax/README.md``)::

    -- expect: ok | error LINE:COL | body-error LINE:COL
    -- server: SQLSTATE primary message      (errors: what PostgreSQL 18 says)
    -- since: N                               (syntax new in PostgreSQL N)
    -- pg15: ok | error LINE:COL SQLSTATE message | error - SQLSTATE message

Positions are 1-based lines and columns of the file as read: columns count characters (not
bytes, not UTF-16 units), the BOM is not a column, a CRLF's ``\\r`` ends its line.

Shared by ``tests/unit/test_syntax_corpus_expectations.py`` (the positions, without a server)
and ``tests/db/test_syntax_corpus.py`` (the annotations checked against the server).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from schemactl.core.discover import read_sql_file
from schemactl.core.parse import parse_file
from schemactl.errors import ParseError

CORPUS_DIR = Path(__file__).resolve().parent / "cases" / "syntax"

_ANNOTATION = re.compile(r"^-- (expect|server|since|pg15): (.*?)\r?$", re.MULTILINE)
_EXPECT = re.compile(r"^(ok|error|body-error)(?: (\d+):(\d+))?$")
_PG15 = re.compile(r"^(ok|error)(?: (?:(\d+):(\d+)|-) (\w{5}) (.*))?$")
_SERVER = re.compile(r"^(\w{5}) (.*)$")


@dataclass(frozen=True)
class Verdict:
    """Whether PostgreSQL accepts a file and, if not, where and what it says.

    ``stage`` is ``"grammar"`` when the raw parser (lexer and grammar) rejects the text, and
    ``"body"`` when the grammar accepts it but CREATE FUNCTION/PROCEDURE or DO rejects the
    function body as a syntax error (SQL bodies and PL/pgSQL are parsed then, with
    ``check_function_bodies`` on, its default).
    """

    accepted: bool
    stage: str | None = None
    position: tuple[int, int] | None = None  # (line, col) in the file; None: server gave none
    sqlstate: str | None = None
    message: str | None = None

    def describe(self) -> str:
        """One line for assertion messages."""
        if self.accepted:
            return "accepted"
        where = f"{self.position[0]}:{self.position[1]}" if self.position else "no position"
        return f"{self.stage} error at {where}: {self.sqlstate} {self.message}"


ACCEPTED = Verdict(accepted=True)


@dataclass(frozen=True)
class Case:
    """One corpus file and what it should give."""

    name: str  # "valid/table_basic", "invalid/policy_for_selekt"
    path: Path
    text: str  # the file as schemactl reads it: UTF-8, a leading BOM dropped
    expected: Verdict  # on PostgreSQL 18, the grammar schemactl targets
    since: int | None  # syntax new in this major version: older grammars reject it
    pg15: Verdict | None  # what PostgreSQL 15 says, where it differs from ``expected``
    server_sends: bool  # False: libpq cannot send this text (a NUL byte)

    @property
    def display(self) -> str:
        return f"tests/cases/syntax/{self.name}.sql"

    def expected_on(self, major: int) -> Verdict | None:
        """The verdict a server of this major version gives; None: only "rejects" is known."""
        if major == 15 and self.pg15 is not None:
            return self.pg15
        if self.since is not None and major < self.since:
            return None
        return self.expected


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset: lines end at ``\\n``, columns count characters."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _position(line: str | None, col: str | None) -> tuple[int, int] | None:
    return (int(line), int(col)) if line and col else None


def schemactl_error_position(case: Case) -> tuple[int, int] | None:
    """Where ``schemactl order`` reports the case's file unparsable (None: it parses).

    The file goes the way ``order`` takes it: ``read_sql_file`` (which refuses what is not
    UTF-8 text, e.g. a NUL byte) then ``parse_file``.
    """
    try:
        parse_file(read_sql_file(case.path, CORPUS_DIR))
    except ParseError as exc:
        return (exc.line, exc.col)
    return None


def _parse_case(path: Path) -> Case:
    name = path.relative_to(CORPUS_DIR).with_suffix("").as_posix()
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    found: dict[str, str] = {}
    for key, value in _ANNOTATION.findall(text):
        assert key not in found, f"{name}: two '-- {key}:' lines"
        found[key] = value
    expect = _EXPECT.match(found.get("expect", ""))
    assert expect, f"{name}: needs one '-- expect: ok|error L:C|body-error L:C' line"
    kind = expect.group(1)
    server = found.get("server", "")
    server_sends = not server.startswith("none")
    if kind == "ok":
        assert not server, f"{name}: '-- server:' belongs to errors only"
        expected = ACCEPTED
    else:
        position = _position(expect.group(2), expect.group(3))
        assert position, f"{name}: an error needs its LINE:COL"
        said = _SERVER.match(server)
        assert said or not server_sends, f"{name}: needs '-- server: SQLSTATE message'"
        expected = Verdict(
            accepted=False,
            stage="grammar" if kind == "error" else "body",
            position=position,
            sqlstate=said.group(1) if said else None,
            message=said.group(2) if said else None,
        )
    pg15: Verdict | None = None
    if "pg15" in found:
        m = _PG15.match(found["pg15"])
        assert m, f"{name}: bad '-- pg15:' line {found['pg15']!r}"
        pg15 = (
            ACCEPTED
            if m.group(1) == "ok"
            else Verdict(
                accepted=False,
                stage="grammar",
                position=_position(m.group(2), m.group(3)),
                sqlstate=m.group(4),
                message=m.group(5),
            )
        )
    since = int(found["since"]) if "since" in found else None
    return Case(name, path, text, expected, since, pg15, server_sends)


def load_cases() -> list[Case]:
    """Every corpus file, valid ones first, each in name order."""
    paths = sorted(CORPUS_DIR.glob("valid/*.sql")) + sorted(CORPUS_DIR.glob("invalid/*.sql"))
    return [_parse_case(p) for p in paths]
