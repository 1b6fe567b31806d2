"""Assertions for RLS tests: who sees which rows, and which statements are refused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import psycopg

__all__ = ["INSUFFICIENT_PRIVILEGE", "assert_denied", "assert_visible"]

# 42501 covers both a missing GRANT and "new row violates row-level security policy"
INSUFFICIENT_PRIVILEGE = "42501"


def _fmt(values: Iterable[Any]) -> str:
    return ", ".join(sorted((repr(v) for v in values), key=str)) or "(none)"


def _as_str(values: Iterable[Any]) -> set[str]:
    return {str(v) for v in values}


def assert_visible(
    cur: psycopg.Cursor[Any],
    query: str,
    expected: Iterable[Any],
    params: Any = None,
) -> None:
    """Assert the first column of ``query`` is exactly the set ``expected``.

    Values are also compared by their text form, so a ``uuid.UUID`` column matches expected
    strings. The message lists the rows that should be visible but are not, and the reverse.
    """
    rows = cur.execute(query, params).fetchall()
    actual = {row[0] for row in rows}
    wanted = set(expected)
    if actual == wanted or _as_str(actual) == _as_str(wanted):
        return
    actual_s, wanted_s = _as_str(actual), _as_str(wanted)
    missing = sorted(wanted_s - actual_s)
    extra = sorted(actual_s - wanted_s)
    role = _current_role(cur)
    raise AssertionError(
        f"visible rows differ for {role}\n"
        f"  query: {query.strip()}\n"
        f"  expected but not visible ({len(missing)}): {_fmt(missing)}\n"
        f"  visible but not expected ({len(extra)}): {_fmt(extra)}"
    )


def _current_role(cur: psycopg.Cursor[Any]) -> str:
    # best effort: the role in force makes a failure message actionable
    try:
        row = cur.execute(
            "SELECT current_user::text, current_setting('request.jwt.claim.sub', true)"
        ).fetchone()
    except psycopg.Error:
        return "the current role"
    if row is None:
        return "the current role"
    user, sub = row
    return f"role {user}" + (f" (sub {sub})" if sub else "")


def assert_denied(
    cur: psycopg.Cursor[Any],
    sql: str,
    params: Any = None,
    *,
    expect: Literal["error", "zero_rows"],
) -> None:
    """Assert ``sql`` is refused, the way the test says it must be.

    ``expect="error"``: it must fail with SQLSTATE 42501 (no privilege, or a WITH CHECK /
    RLS violation). ``expect="zero_rows"``: it must succeed and return or affect no row
    (RLS silently filtering). It runs in a savepoint that is always rolled back, so the
    surrounding transaction stays usable and unchanged.
    """
    if expect not in ("error", "zero_rows"):
        raise ValueError(f"expect must be 'error' or 'zero_rows', not {expect!r}")
    conn = cur.connection
    outcome: str
    rowcount = -1
    error: psycopg.Error | None = None
    try:
        with conn.transaction(force_rollback=True):
            cur.execute(sql, params)
            rowcount = cur.rowcount
    except psycopg.Error as exc:
        error = exc
    if error is not None:
        outcome = f"it failed with SQLSTATE {error.sqlstate}: {error.diag.message_primary}"
    else:
        outcome = f"it succeeded with {rowcount} row(s)"

    if expect == "error":
        if error is not None and error.sqlstate == INSUFFICIENT_PRIVILEGE:
            return
        raise AssertionError(
            f"expected a permission error (SQLSTATE {INSUFFICIENT_PRIVILEGE}) for "
            f"{_current_role(cur)}, but {outcome}\n  sql: {sql.strip()}"
        )
    if error is None and rowcount == 0:
        return
    raise AssertionError(
        f"expected zero rows (silently filtered by RLS) for {_current_role(cur)}, but "
        f"{outcome}\n  sql: {sql.strip()}"
    )
