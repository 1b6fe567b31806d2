"""Hostile input from issue 8 that ``order`` must read as the server does: deep nesting,
a BOM, multi-byte characters, a misspelled first keyword, identifiers over 63 bytes.

The server's side of each claim is checked in ``tests/db/test_syntax_corpus.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.core.discover import read_sql_file
from schemactl.core.parse import parse_file
from schemactl.errors import ParseError
from schemactl.model import SqlFile, Statement


def parse_bytes(tmp_path: Path, data: bytes) -> tuple[Statement, ...]:
    """``order``'s reading of a file with these bytes: read_sql_file, then parse_file."""
    path = tmp_path / "x.sql"
    path.write_bytes(data)
    return parse_file(read_sql_file(path, tmp_path))


def parse_text(text: str) -> tuple[Statement, ...]:
    return parse_file(SqlFile("x.sql", "sql/x.sql", text, "0" * 64))


def error_at(tmp_path: Path, data: bytes) -> tuple[int, int]:
    with pytest.raises(ParseError) as info:
        parse_bytes(tmp_path, data)
    return info.value.line, info.value.col


# ---------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    "template",
    [
        "SELECT {open}1{close};",
        "CREATE TABLE deep (a int CHECK ({open}a > 0{close}));",
        "CREATE POLICY deep ON t USING ({open}true{close});",
    ],
    ids=["select", "check", "policy"],
)
def test_3000_nested_parentheses_parse(template: str) -> None:
    """PostgreSQL accepts them; a recursive parser must not die of RecursionError."""
    text = template.format(open="(" * 3000, close=")" * 3000)
    (statement,) = parse_text(text)
    assert statement.sql == text.rstrip(";")


def test_nesting_beyond_the_grammar_stack_is_a_parse_error() -> None:
    """10,000 levels exhaust PostgreSQL's parser stack: an error at a position, not a crash."""
    text = "SELECT " + "(" * 10_000 + "1" + ")" * 10_000 + ";"
    with pytest.raises(ParseError) as info:
        parse_text(text)
    assert info.value.line == 1


# ---------------------------------------------------------------------------- positions


def test_misspelled_first_keyword_points_at_1_1(tmp_path: Path) -> None:
    assert error_at(tmp_path, b"CREAT TABLE t (id int);\n") == (1, 1)


def test_a_bom_is_not_a_column(tmp_path: Path) -> None:
    bom = "\ufeff".encode()
    assert error_at(tmp_path, bom + b"CREAT TABLE t (id int);\n") == (1, 1)
    assert error_at(tmp_path, bom + b"CREATE TABLE t (id int DEFAUL 0);\n") == (1, 24)
    # and a BOM before a valid statement is no error at all
    (statement,) = parse_bytes(tmp_path, bom + b"CREATE TABLE t (id int);\n")
    assert (statement.line, statement.col) == (1, 1)


@pytest.mark.parametrize(
    "before", ["é", "€", "😀", "größe 名前 😀🎉"], ids=["2", "3", "4", "mixed"]
)
def test_columns_count_characters_not_bytes(tmp_path: Path, before: str) -> None:
    line = f"COMMENT ON TABLE t IS '{before}' DEFAUL;"
    expected_col = line.index("DEFAUL") + 1  # characters, whatever the UTF-8 length
    assert error_at(tmp_path, f"SELECT 1;\n{line}\n".encode()) == (2, expected_col)


def test_crlf_does_not_shift_columns(tmp_path: Path) -> None:
    data = b"CREATE TABLE t (\r\n  id int,\r\n  name text NOT NUL\r\n);\r\n"
    assert error_at(tmp_path, data) == (3, 17)


# ---------------------------------------------------------------------------- long names


def _shared(creator: Statement, user: Statement) -> set[object]:
    return set(creator.creates) & set(user.references)


@pytest.mark.parametrize(
    ("spelled", "stored"),
    [("t" * 70, "t" * 63), ("é" * 40, "é" * 31)],
    ids=["ascii", "two-byte"],
)
def test_long_and_truncated_spelling_are_one_name(spelled: str, stored: str) -> None:
    """The server keeps the first 63 bytes of a name (cut at a character boundary), so
    ``"ttt...t"`` (70) and its 63-byte prefix are one table: the index depends on it."""
    long_first = parse_text(f'CREATE TABLE "{spelled}" (id int);\nCREATE INDEX ON "{stored}" (id);')
    assert _shared(*long_first)
    short_first = parse_text(
        f'CREATE TABLE "{stored}" (id int);\nCREATE INDEX ON "{spelled}" (id);'
    )
    assert _shared(*short_first)
