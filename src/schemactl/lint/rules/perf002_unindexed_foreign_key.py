"""A foreign key has no index on its columns.

Deleting or updating a referenced row makes PostgreSQL look up the referencing rows; without an
index whose leading columns are the foreign key's columns (in any order) that is a sequential
scan of the referencing table per row, under lock. Joins along the key and RLS membership
lookups suffer as well. Partial and invalid indexes do not count. Keys of partitions cloned from
their parent are checked once, on the parent.

Severity: warning. A performance and locking problem, not a correctness one.

Fix: `CREATE INDEX ON <table> (<fk columns>)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "warning"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Foreign keys without a full, valid index leading with their columns."""
    for key in ctx.catalog.foreign_keys:
        indexes = ctx.catalog.indexes_of(key.table_qualname)
        if any(i.valid and i.predicate is None and i.leads_with(key.columns) for i in indexes):
            continue
        columns = ", ".join(key.columns)
        yield Hit(
            relation_ref(key.table_qualname),
            f"foreign key {key.name} on {key.table_qualname} ({columns}) -> {key.ref_qualname} "
            f"has no index; CREATE INDEX ON {key.table_qualname} ({columns})",
        )
