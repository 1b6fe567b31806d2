"""The syntax corpus against the server: PostgreSQL's grammar is the reference for ``order``.

Every file of ``tests/cases/syntax`` (format in its README) is sent to the server under test,
and the answer must match the file's annotation (so the corpus is right) and
``schemactl.core.parse.parse_file`` (so ``order`` accepts exactly what the server's grammar
accepts and points where the server points).

How the server is asked, without running anything:

* Grammar: the file's text is sent as one simple query behind ``SELECT 1/0;``. PostgreSQL
  runs the raw parser (lexer and grammar) over the whole query string before it executes
  its first statement, so any error other than the division by zero (22012) comes from the
  raw parser, and the division by zero means the grammar accepted every statement, none of
  which ran. This tells raw-parser errors from later ones exactly, whatever their SQLSTATE:
  the raw parser raises 42601 (syntax_error) mostly, but also 22023 (``float(0)``), 22025
  (``E'\\u00e'``) and 0A000 (``PRIMARY KEY ... NOT VALID``), while parse analysis and
  execution raise 42601 too (``multiple default values``, see below), so the SQLSTATE alone
  cannot tell. The server's position counts characters of the query string (the database
  is UTF-8): minus the prefix it is a character offset into the file's text. The text is
  sent with trailing whitespace removed, as psql and ``apply`` send a last statement, so
  "at end of input" is just after its last character.
* Function bodies: the raw grammar sees a ``$$``/``'...'`` body as a string. When the
  grammar accepts a file, its text is executed in a transaction that is always rolled back:
  CREATE FUNCTION/PROCEDURE then parses a LANGUAGE sql body and PL/pgSQL (embedded SQL
  included), DO compiles its block before running it, and a 42601 there is reported at
  the position of the error in the CREATE/DO statement's own text. Anything else that
  fails (undefined table, 25001 "cannot run inside a transaction block" for CREATE
  DATABASE, ...) means the syntax was accepted. Roles a statement creates vanish with the
  rollback; CREATE/DROP DATABASE and TABLESPACE refuse to run in a transaction block.

PostgreSQL 15 rejects syntax that is new in 16-18 (``-- since: N``; what 15 says is in the
file's ``-- pg15:`` line) and accepts a few names that became keywords in 16 (``system_user``):
on such files the server is checked against its own line, while ``parse_file`` is held to
the PostgreSQL 18 expectation, because schemactl parses with the PostgreSQL 18.6 grammar
(pglast 8.8) whatever the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from schemactl.db.connect import connect
from schemactl.testing.server import TestServer, create_database, unique_name
from syntax_corpus import ACCEPTED, Case, Verdict, line_col, load_cases, schemactl_error_position

pytestmark = pytest.mark.db

CASES = load_cases()
SENDABLE = [case for case in CASES if case.server_sends]

# Fails at execution, after the raw parser has read the whole query string.
GRAMMAR_ONLY_PREFIX = "SELECT 1/0;\n"
DIVISION_BY_ZERO = "22012"
SYNTAX_ERROR = "42601"

Ask = Callable[[str], Verdict]


def _rejected(exc: psycopg.Error, stage: str, text: str, offset_shift: int) -> Verdict:
    diag = exc.diag
    position = None
    if diag.statement_position:
        position = line_col(text, int(diag.statement_position) - 1 - offset_shift)
    return Verdict(
        accepted=False,
        stage=stage,
        position=position,
        sqlstate=diag.sqlstate,
        # the first line: "at or near" quotes the rest of an unterminated literal
        message=(diag.message_primary or "").split("\n")[0],
    )


def grammar_verdict(conn: psycopg.Connection[Any], text: str) -> Verdict:
    """What the server's raw parser says about ``text`` (nothing in it runs)."""
    sent = text.rstrip()
    try:
        conn.execute(GRAMMAR_ONLY_PREFIX + sent)
    except psycopg.Error as exc:
        if exc.diag.sqlstate == DIVISION_BY_ZERO:
            return ACCEPTED
        return _rejected(exc, "grammar", text, len(GRAMMAR_ONLY_PREFIX))
    finally:
        conn.rollback()
    raise AssertionError("SELECT 1/0 did not fail: the grammar check proves nothing")


def creation_verdict(conn: psycopg.Connection[Any], text: str) -> Verdict:
    """Whether executing ``text`` (rolled back) raises a syntax error: function and DO bodies."""
    try:
        conn.execute(text.rstrip())
    except psycopg.Error as exc:
        if exc.diag.sqlstate == SYNTAX_ERROR:
            return _rejected(exc, "body", text, 0)
    finally:
        conn.rollback()
    return ACCEPTED


@pytest.fixture(scope="module")
def corpus_db(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: Any,
) -> Iterator[str]:
    """A fresh empty database for this module's cases.

    One for all cases rather than one per case: the grammar check runs nothing and the
    creation check always rolls back, so no case can see another's work.
    """
    name = unique_name("sct_syntax")
    create_database(
        schemactl_admin, name, template="template0", strategy=schemactl_server.clone_strategy
    )
    try:
        yield schemactl_server.url_for(name)
    finally:
        schemactl_reaper.drop(name)


@pytest.fixture(scope="module")
def server_major(schemactl_server: TestServer) -> int:
    return schemactl_server.version_num // 10000


@pytest.fixture(scope="module")
def ask_server(corpus_db: str) -> Iterator[Ask]:
    """The server's verdict on a text, asked once per text."""
    answers: dict[str, Verdict] = {}
    with connect(
        corpus_db,
        lock_timeout="2s",
        statement_timeout="20s",
        application_name="schemactl-syntax-corpus",
    ) as conn:
        encoding = conn.execute("SHOW server_encoding").fetchone()
        # positions count characters only where the server encoding is UTF-8
        assert encoding == ("UTF8",), encoding

        def ask(text: str) -> Verdict:
            if text not in answers:
                verdict = grammar_verdict(conn, text)
                if verdict.accepted:
                    verdict = creation_verdict(conn, text)
                answers[text] = verdict
            return answers[text]

        yield ask


@pytest.mark.parametrize("case", SENDABLE, ids=lambda c: c.name)
def test_server_says_what_the_corpus_says(case: Case, ask_server: Ask, server_major: int) -> None:
    verdict = ask_server(case.text)
    expected = case.expected_on(server_major)
    if expected is None:  # syntax newer than this server: only "the grammar rejects" is known
        assert not verdict.accepted and verdict.stage == "grammar", verdict.describe()
        return
    assert verdict == expected, (
        f"{case.display}: PostgreSQL {server_major}: {verdict.describe()}; "
        f"the corpus says {expected.describe()}"
    )


@pytest.mark.parametrize("case", SENDABLE, ids=lambda c: c.name)
def test_parse_file_agrees_with_the_server(case: Case, ask_server: Ask, server_major: int) -> None:
    verdict = ask_server(case.text)
    if case.expected_on(server_major) is not case.expected:
        # this server's grammar differs from PostgreSQL 18's, which schemactl follows
        verdict = case.expected
    got = schemactl_error_position(case)
    if verdict.accepted:
        assert got is None, f"{case.display}: the server accepts it, parse_file fails at {got}"
    else:
        assert got == verdict.position, (
            f"{case.display}: PostgreSQL {server_major} says {verdict.describe()}; "
            f"parse_file says {'it parses' if got is None else got}"
        )


# ---------------------------------------------------------------------------- the method


def test_grammar_check_runs_nothing(corpus_db: str) -> None:
    """The grammar check accepts a valid file without running it and finds a later error."""
    with connect(corpus_db) as conn:
        ok = grammar_verdict(conn, "CREATE TABLE ran (id int);\nDROP TABLE nothing_here;\n")
        bad = grammar_verdict(conn, "CREATE TABLE ran (id int);\nCREATE TABLE x (id int,, y int);")
        relation = conn.execute("SELECT to_regclass('ran')").fetchone()
    assert ok == ACCEPTED
    assert (bad.position, bad.sqlstate) == ((2, 24), SYNTAX_ERROR)
    assert relation == (None,)


def test_syntax_error_sqlstate_also_comes_after_the_grammar(corpus_db: str) -> None:
    """42601 is not only the grammar's: parse analysis raises it for text the grammar accepts."""
    text = "CREATE TABLE twice (a int DEFAULT 0 DEFAULT 1)"
    with connect(corpus_db) as conn:
        assert grammar_verdict(conn, text) == ACCEPTED
        with pytest.raises(psycopg.errors.SyntaxError, match="multiple default values"):
            conn.execute(text)
        conn.rollback()


def test_libpq_sends_a_query_only_up_to_its_first_nul_byte(corpus_db: str) -> None:
    """Why a NUL byte must be refused by schemactl: the server never sees what follows it."""
    with connect(corpus_db) as conn:
        rows = conn.execute("SELECT 'before';\x00 SELECT 1/0").fetchall()
        conn.rollback()
    assert rows == [("before",)]


def test_server_accepts_3000_nested_parentheses_and_refuses_10000(corpus_db: str) -> None:
    """The nesting the unit tests require parse_file to handle (issue 8), on this server."""
    with connect(corpus_db) as conn:
        deep = "SELECT " + "(" * 3000 + "1" + ")" * 3000
        assert conn.execute(deep).fetchone() == (1,)
        conn.rollback()
        too_deep = "SELECT " + "(" * 10_000 + "1" + ")" * 10_000
        with pytest.raises(psycopg.errors.SyntaxError) as info:
            conn.execute(too_deep)
        conn.rollback()
    # bison's stack (YYMAXDEPTH 10000) runs out; the position is the paren it was reading
    assert info.value.diag.message_primary == 'memory exhausted at or near "("'
    assert info.value.diag.statement_position == "10004"


@pytest.mark.parametrize(
    ("spelled", "stored"),
    [
        ("t" * 70, "t" * 63),
        # 80 bytes of two-byte characters: cut at a character boundary, 62 bytes
        ("é" * 40, "é" * 31),
    ],
    ids=["ascii", "two-byte"],
)
def test_server_truncates_identifiers_to_63_bytes(
    corpus_db: str, spelled: str, stored: str
) -> None:
    """Backs tests/unit/test_parse_positions.py: the name the server keeps for a long one."""
    notices: list[str] = []
    with connect(corpus_db) as conn:
        conn.add_notice_handler(lambda diag: notices.append(diag.sqlstate or ""))
        conn.execute(f'CREATE TABLE "{spelled}" (id int)')
        names = conn.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE %s", (stored[:3] + "%",)
        ).fetchall()
        conn.rollback()
    assert names == [(stored,)]
    assert "42622" in notices  # name_too_long, a NOTICE
