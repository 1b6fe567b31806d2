"""``order`` reads the syntax corpus as PostgreSQL's grammar does, with no server.

The annotations of ``tests/cases/syntax`` are what PostgreSQL 18 says (checked against the
server by ``tests/db/test_syntax_corpus.py``); here they pin ``read_sql_file`` +
``parse_file``: accepted without a ParseError, refused at the annotated line and column.
"""

from __future__ import annotations

from collections import Counter

import pytest

from syntax_corpus import Case, load_cases, schemactl_error_position

CASES = load_cases()


def test_corpus_covers_what_it_claims() -> None:
    kinds = Counter(case.name.split("/")[0] for case in CASES)
    assert kinds["valid"] >= 150
    assert kinds["invalid"] >= 80
    valid = [c for c in CASES if c.name.startswith("valid/")]
    invalid = [c for c in CASES if c.name.startswith("invalid/")]
    assert all(c.expected.accepted for c in valid)
    assert not any(c.expected.accepted for c in invalid)
    assert sum(c.since == 18 for c in valid) >= 5
    assert sum(c.expected.stage == "body" for c in invalid) >= 10
    # a file's quirks are part of some cases: keep at least one of each
    raw = {c.name: c.path.read_bytes() for c in CASES}
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw.values())
    assert any(b"\r\n" in data for data in raw.values())
    assert any(b"\x00" in data for data in raw.values())


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.expected.accepted], ids=lambda c: c.name
)
def test_annotated_position_is_inside_the_file(case: Case) -> None:
    """A typo in an annotation must not pin a position that no text has."""
    assert case.expected.position is not None
    line, col = case.expected.position
    lines = case.text.split("\n")
    assert 1 <= line <= len(lines)
    assert 1 <= col <= len(lines[line - 1]) + 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_order_reads_the_file_as_postgresql_does(case: Case) -> None:
    got = schemactl_error_position(case)
    expected = case.expected
    if expected.accepted:
        assert got is None, f"{case.display}: PostgreSQL accepts it; order fails at {got}"
    else:
        assert got == expected.position, (
            f"{case.display}: PostgreSQL says {expected.describe()}; "
            f"order says {'it parses' if got is None else got}"
        )
