"""Rename hints in SQL files: ``-- schemactl: renamed from old_name`` (pure).

A diff of two catalogs cannot tell a renamed table or column from a drop and a create; the
hint says so, and the diff then renders ``ALTER TABLE ... RENAME`` and keeps the data.

Where a hint goes (one line comment, alone on its line or after code):

* a **table**: on the line just before ``CREATE TABLE``, or on the ``CREATE TABLE`` line
  itself (e.g. after the opening parenthesis);
* a **column**: inside ``CREATE TABLE (...)``, on the column's line (after its definition)
  or on the line just before it.

The old name is one identifier in the table's schema: ``old_name`` (folded to lower case,
as PostgreSQL does) or ``"Old Name"``. A hint anywhere else is reported, never guessed at.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pglast import ast
from pglast.parser import ParseError as PgParseError
from pglast.parser import scan

from schemactl.model import SqlFile, line_starts

__all__ = ["HINT", "RenameHint", "rename_hints"]

# the marker a file must contain for its hints to be read (a cheap test before parsing)
HINT = "schemactl: renamed from"
_HINT = re.compile(
    r"^--\s*schemactl:\s*renamed\s+from\s+(?:(?P<plain>[A-Za-z_][A-Za-z0-9_$]*)|"
    r'"(?P<quoted>(?:[^"]|"")+)")\s*\.?\s*$'
)
_LOOSE = re.compile(r"^--\s*schemactl:\s*renamed\b", re.IGNORECASE)


@dataclass(frozen=True)
class RenameHint:
    """A table or column of the files that was called ``old`` before.

    ``table`` is the table's name in the files; for a column hint, ``new`` is the column's
    name in the files, for a table hint it is ``table``.
    """

    kind: str  # "table" | "column"
    schema: str
    table: str
    old: str
    new: str
    location: str  # file:line of the hint

    @property
    def label(self) -> str:
        """``public.t.old -> new`` for messages."""
        if self.kind == "table":
            return f"table {self.schema}.{self.old} -> {self.new}"
        return f"column {self.schema}.{self.table}.{self.old} -> {self.new}"


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)


def rename_hints(files: Iterable[SqlFile]) -> tuple[tuple[RenameHint, ...], tuple[str, ...]]:
    """The rename hints of ``files``, and a warning for each hint attached to nothing.

    Files without the marker are not parsed again. A file PostgreSQL's grammar rejects has
    no hints (``order`` / ``apply`` report the syntax error).
    """
    hints: list[RenameHint] = []
    warnings: list[str] = []
    for file in files:
        if HINT not in file.text and "schemactl: renamed" not in file.text:
            continue
        found, problems = _file_hints(file)
        hints.extend(found)
        warnings.extend(problems)
    return tuple(hints), tuple(warnings)


def _file_hints(file: SqlFile) -> tuple[list[RenameHint], list[str]]:
    from schemactl.core.parse import parse_sql

    text = file.text
    starts = line_starts(text)
    try:
        tokens = scan(text)
        parsed = parse_sql(text)
    except PgParseError:
        return [], []
    comments: dict[int, str] = {}  # line -> old name
    problems: list[str] = []
    for tok in tokens:
        if tok.name != "SQL_COMMENT":
            continue
        body = text[tok.start : tok.end + 1].strip()
        match = _HINT.match(body)
        line = _line_of(starts, tok.start)
        if match:
            old = match["plain"].lower() if match["plain"] else match["quoted"].replace('""', '"')
            comments[line] = old
        elif _LOOSE.match(body):
            problems.append(
                f"{file.display}:{line}: rename hint not understood (write "
                "`-- schemactl: renamed from old_name`)"
            )
    used: set[int] = set()
    hints: list[RenameHint] = []
    for raw in parsed:
        stmt = raw.stmt
        if not isinstance(stmt, ast.CreateStmt) or stmt.relation is None:
            continue
        schema = stmt.relation.schemaname or "public"
        table = stmt.relation.relname
        create_line = _line_of(starts, raw.stmt_location or 0)
        for line in (create_line - 1, create_line):
            if line in comments and line not in used:
                used.add(line)
                hints.append(
                    RenameHint(
                        "table", schema, table, comments[line], table, f"{file.display}:{line}"
                    )
                )
                break
        # the comment on a column's line wins over one on the line before it
        columns = [
            (e.colname, _line_of(starts, e.location))
            for e in stmt.tableElts or ()
            if isinstance(e, ast.ColumnDef) and e.location is not None and e.location >= 0
        ]
        column_lines = {line for _, line in columns}
        for name, line in columns:
            for candidate in (line, line - 1):
                if candidate == create_line or candidate in used or candidate not in comments:
                    continue
                if candidate != line and candidate in column_lines:
                    continue  # that comment belongs to the column on its own line
                used.add(candidate)
                hints.append(
                    RenameHint(
                        "column", schema, table, comments[candidate], name,
                        f"{file.display}:{candidate}",
                    )
                )  # fmt: skip
                break
    for line in sorted(comments.keys() - used):
        problems.append(
            f"{file.display}:{line}: rename hint ignored: it is neither on or just before a "
            "CREATE TABLE line nor on or just before a column of one"
        )
    return hints, problems
