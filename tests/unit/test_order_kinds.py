"""`schemactl order` orders every object kind of issue 10, whatever the file names say.

The minimal examples live in tests/cases/order_kinds.py (shared with the db test, which
applies them). Each spreads its statements over files named so that the tie-break
(relpath, then position) is wrong: only an edge of the graph puts them right.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cases import order_kinds  # tests/cases: tests/ is on sys.path (pytest, conftest.py)
from schemactl.core.plan import build_plan
from schemactl.errors import SchemactlError
from schemactl.model import Plan

kinds = order_kinds
CASES: tuple[Any, ...] = kinds.CASES
ORDERED = [c for c in CASES if c.known_from_files]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create ``root`` holding {relpath: text}."""
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def find(plan: Plan, text: str) -> int:
    """Execution position of the one statement whose SQL is ``text``."""
    exact = [i for i, s in enumerate(plan.statements) if s.sql.strip() == text]
    if len(exact) == 1:
        return exact[0]
    containing = [i for i, s in enumerate(plan.statements) if text in s.sql]
    assert len(containing) == 1, f"{len(containing)} statements of the plan are {text!r}"
    return containing[0]


@pytest.mark.parametrize("case", ORDERED, ids=lambda c: c.name)
def test_needed_statement_runs_first(case: Any, tmp_path: Path) -> None:
    plan = build_plan(write_tree(tmp_path / "sql", case.files), display_root="sql")
    assert len(plan.statements) == len(case.statements)
    wrong = []
    for i, j in case.before:
        first, then = case.statements[i][1], case.statements[j][1]
        at_first, at_then = find(plan, first), find(plan, then)
        if at_first > at_then:
            wrong.append(
                f"{plan.statements[at_then].location} `{then}` runs before "
                f"{plan.statements[at_first].location} `{first}`"
            )
    assert not wrong, f"{case.why}: " + "; ".join(wrong)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_file_names_alone_would_order_the_case_wrongly(case: Any) -> None:
    # Guards the data: a case the tie-break already orders right tests no edge.
    texts = [text for _, text in case.statements]
    assert len(set(texts)) == len(texts), "statements of a case are told apart by their text"
    assert all(i < j for i, j in case.before), "the written order is a right order"
    position = {index: k for k, index in enumerate(case.tie_break_order())}
    assert any(position[i] > position[j] for i, j in case.before)


def test_strict_names_the_do_statement_whose_dynamic_sql_hides_an_object(
    tmp_path: Path,
) -> None:
    case = kinds.DYNAMIC
    sql_dir = write_tree(tmp_path / "sql", case.files)
    plan = build_plan(sql_dir, display_root="sql")  # not an error without --strict
    assert len(plan.statements) == 2
    with pytest.raises(SchemactlError) as info:
        build_plan(sql_dir, display_root="sql", strict=True)
    # the DO statement is on line 2 of z/zz.sql (after the file's header comment)
    assert "sql/z/zz.sql:2" in info.value.message, info.value.message
