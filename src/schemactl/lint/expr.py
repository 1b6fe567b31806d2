"""Reading policy expressions as the server deparses them (``pg_policies.qual``)."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import sqlglot
from sqlglot import exp

# functions of Supabase's auth schema that read the request's JWT: stable, but evaluated once
# per row unless the planner can hoist them into an InitPlan, which a scalar sub-select allows
AUTH_FUNCTIONS = frozenset({"uid", "jwt", "role", "email"})

_AUTH_CALL = re.compile(r"\bauth\s*\.\s*(uid|jwt|role|email)\s*\(\s*\)", re.IGNORECASE)
_SELECT_WRAPPED = re.compile(
    r"\(\s*SELECT\s+auth\s*\.\s*(uid|jwt|role|email)\s*\(\s*\)(\s+AS\s+\w+)?\s*\)", re.IGNORECASE
)
_TRUE_TEXT = re.compile(r"^[\s(]*true[\s)]*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> exp.Select | None:
    """``SELECT 1 WHERE <text>`` parsed with sqlglot's Postgres dialect; None if it fails."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "falling back to Command" warnings are not ours to show
    try:
        tree = sqlglot.parse_one(f"SELECT 1 WHERE {text}", read="postgres")
    except sqlglot.errors.SqlglotError:
        return None
    finally:
        logger.setLevel(level)
    return tree if isinstance(tree, exp.Select) else None


def is_literally_true(text: str | None) -> bool:
    """Whether an expression is the constant ``true`` (``(true)``, ``TRUE``, ...)."""
    return text is not None and _TRUE_TEXT.match(text) is not None


def _auth_function(node: exp.Expression) -> str | None:
    """``uid`` for a node that is the call ``auth.uid()`` (likewise jwt, role, email)."""
    if (
        isinstance(node, exp.Dot)
        and isinstance(node.this, exp.Identifier)
        and node.this.name.lower() == "auth"
        and isinstance(node.expression, exp.Anonymous)
        and node.expression.name.lower() in AUTH_FUNCTIONS
        and not node.expression.expressions
    ):
        return node.expression.name.lower()
    return None


def unwrapped_auth_calls(text: str | None) -> list[str]:
    """The ``auth.<fn>()`` calls of an expression that are not inside a ``(SELECT ...)``.

    A call counts as wrapped when the nearest enclosing SELECT has no FROM clause: such a scalar
    sub-select is uncorrelated and runs once per statement. A call inside a sub-select that
    reads a table still runs once per row of that table.
    """
    if not text:
        return []
    tree = parse_condition(text)
    if tree is None:
        # fall back on the server's canonical deparse: every call should be "( SELECT auth.x() AS x)"
        calls = [f"auth.{m.group(1).lower()}()" for m in _AUTH_CALL.finditer(text)]
        wrapped = len(_SELECT_WRAPPED.findall(text))
        return calls[wrapped:]
    found: list[str] = []
    for node in tree.find_all(exp.Dot):
        name = _auth_function(node)
        if name is None:
            continue
        enclosing = node.find_ancestor(exp.Select)
        if enclosing is tree or enclosing is None or enclosing.args.get("from_") is not None:
            found.append(f"auth.{name}()")
    return found


_CONSTANT_NODES = (
    exp.Literal, exp.Null, exp.Boolean, exp.Array, exp.Cast, exp.Paren, exp.DataType,
    exp.DataTypeParam, exp.Neg, exp.Tuple, exp.Any,
)  # fmt: skip


def _is_constant(node: exp.Expression | None) -> bool:
    """Whether ``node`` is built of constants only: `'a'::text`, `ARRAY['a', 'b']`, `(1, 2)`.

    `ARRAY(SELECT private.ids())` or `ANY (private.ids())` are not: they hold a sub-select or a
    function call, which is what a tenant filter compares its column with.
    """
    if node is None:
        return False
    return all(isinstance(inner, _CONSTANT_NODES) for inner in node.walk())


def _own_column(node: exp.Expression | None, tree: exp.Select, table: str) -> str | None:
    """The column name if ``node`` is a column of ``table`` (qualified, or bare at top level)."""
    while isinstance(node, exp.Cast | exp.Paren):
        node = node.this
    if not isinstance(node, exp.Column):
        return None
    if node.table:
        return node.name if node.table == table else None
    # a bare name inside a sub-select belongs to the sub-select's tables
    return node.name if node.find_ancestor(exp.Select) is tree else None


def filtered_columns(text: str | None, table: str) -> set[str]:
    """Columns of ``table`` that an expression compares with ``=``/``IN``/``= ANY`` to a
    non-constant (a sub-select, a function, another column): the columns an index should lead
    with so that the policy's filter does not scan the table."""
    if not text:
        return set()
    tree = parse_condition(text)
    if tree is None:
        return set()
    found: set[str] = set()
    for node in tree.find_all(exp.EQ, exp.In):
        if isinstance(node, exp.In):
            column = _own_column(node.this, tree, table)
            values = node.expressions
            if column and (
                node.args.get("query") is not None or not all(map(_is_constant, values))
            ):
                found.add(column)
            continue
        left, right = node.this, node.expression
        for side, other in ((left, right), (right, left)):
            column = _own_column(side, tree, table)
            if column and not _is_constant(other):
                found.add(column)
    return found
