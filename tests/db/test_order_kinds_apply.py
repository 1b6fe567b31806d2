"""Order + apply of every minimal example of issue 10: the catalog shows the intended result.

The examples live in tests/cases/order_kinds.py (shared with tests/unit/test_order_kinds.py).
A first test proves each example right: applied statement by statement in its written order
it gives the state its ``check`` asks for, and in file-name order it raises (or, for the
silent cases, gives another state). The second applies the files with ``schemactl.api.apply``,
which must find the written order's result whatever the file names.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from cases import order_kinds  # tests/cases: tests/ is on sys.path (pytest, conftest.py)
from schemactl import api
from schemactl.errors import SchemactlError

pytestmark = pytest.mark.db

CASES: tuple[Any, ...] = order_kinds.CASES


def drop_roles(url: str, roles: list[str]) -> None:
    """Drop cluster-wide test roles, with what they own or were granted in ``url``'s database."""
    with psycopg.connect(url, autocommit=True) as conn:
        for role in roles:
            if conn.execute("SELECT FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
                continue
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture
def unique_roles(schemactl_empty_db: str) -> Iterator[Callable[[Any], Any]]:
    """``unique_roles(case)``: the case with role names no other test uses; dropped after."""
    created: list[str] = []

    def rename(case: Any) -> Any:
        mapping = {role: f"{role}_{uuid.uuid4().hex[:12]}" for role in case.roles}
        created.extend(mapping.values())

        def sub(text: str) -> str:
            for old, new in mapping.items():
                text = re.sub(rf"\b{re.escape(old)}\b", new, text)
            return text

        return dataclasses.replace(
            case,
            statements=tuple((relpath, sub(text)) for relpath, text in case.statements),
            check=sub(case.check),
            roles=tuple(mapping.values()),
        )

    try:
        yield rename
    finally:
        drop_roles(schemactl_empty_db, created)


def check_holds(conn: psycopg.Connection[Any], check: str) -> bool:
    """The case's check query says true (no row or NULL is not true)."""
    row = conn.execute(check).fetchone()
    return row is not None and row[0] is True


def run_in_order(conn: psycopg.Connection[Any], case: Any, order: list[int]) -> None:
    """Execute the case's statements in ``order`` (indexes into its written order)."""
    for index in order:
        conn.execute(case.statements[index][1])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_written_order_gives_the_state_and_file_name_order_does_not(
    case: Any, schemactl_empty_db: str, unique_roles: Callable[[Any], Any]
) -> None:
    case = unique_roles(case)
    with psycopg.connect(schemactl_empty_db) as conn:
        # one transaction each, rolled back, as apply runs them in one transaction
        run_in_order(conn, case, list(range(len(case.statements))))
        assert check_holds(conn, case.check), f"{case.name}: the written order misses the check"
        conn.rollback()

        error: psycopg.Error | None = None
        try:
            run_in_order(conn, case, case.tie_break_order())
            wrong_state_holds = check_holds(conn, case.check)
        except psycopg.Error as exc:
            error = exc
        conn.rollback()
    if case.silent:
        assert error is None, f"{case.name} is silent, yet file-name order raises: {error}"
        assert not wrong_state_holds, f"{case.name}: file-name order gives the same state"
    else:
        assert error is not None, f"{case.name}: file-name order raises nothing"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_ordered_apply_gives_the_intended_state(
    case: Any, schemactl_empty_db: str, unique_roles: Callable[[Any], Any], tmp_path: Path
) -> None:
    case = unique_roles(case)
    sql_dir = tmp_path / "sql"
    for relpath, text in case.files.items():
        path = sql_dir / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    try:
        result = api.apply(
            sql_dir, database_url=schemactl_empty_db, auth_shim="never", project_dir=tmp_path
        )
    except SchemactlError as exc:
        pytest.fail(f"{case.why}: apply failed: {exc.format()}", pytrace=False)
    assert result.status == "applied"
    with psycopg.connect(schemactl_empty_db) as conn:
        assert check_holds(conn, case.check), f"{case.why}: {case.check} is not true"
