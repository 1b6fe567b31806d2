"""Which schemas a files-vs-database diff compares by default (pure).

The files manage the schemas they create or put objects in, plus ``public``: a table in
another schema of the database (another team's, a tool's) is not drift, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemactl.model import Namespace, Plan

__all__ = ["file_schemas"]

NS = Namespace
# name spaces whose names start with the object's schema (``schema.name``)
_IN_A_SCHEMA = frozenset(
    {NS.RELATION, NS.TYPE, NS.FUNCTION, NS.POLICY, NS.TRIGGER, NS.COLUMN, NS.CONSTRAINT, NS.KEY,
     NS.ENUM_LABEL, NS.RULE, NS.PARTITION, NS.COLLATION, NS.OPERATOR, NS.OPERATOR_CLASS,
     NS.OPERATOR_FAMILY, NS.STATISTICS, NS.CONVERSION, NS.TEXT_SEARCH}
)  # fmt: skip


def file_schemas(plan: Plan, unmanaged: Iterable[str] = ()) -> tuple[str, ...]:
    """The schemas ``plan``'s statements create, or create or alter objects in, and ``public``.

    Schemas in ``unmanaged`` (schemactl's ledger, ``auth``, platform schemas) are left out
    whatever the files do there. Names are as PostgreSQL stores them (sorted).
    """
    found = {"public"}
    for statement in plan.statements:
        for ref in (*statement.creates, *statement.alters):
            if ref.namespace is Namespace.SCHEMA:
                found.add(ref.name)
            elif ref.namespace in _IN_A_SCHEMA and "." in ref.name:
                found.add(ref.name.split(".", 1)[0])
    return tuple(sorted(found - set(unmanaged)))
