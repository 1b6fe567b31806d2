"""A column that a policy filters on has no index.

The USING expression of a policy is added to every query on the table; the columns it
compares with `=`, `IN` or `= ANY` to a sub-select, function or other column (`project_id
IN (SELECT private.readable_project_ids())`, `user_id = (select auth.uid())`) are the
table's tenant keys and need an index that leads with them, or every query scans the whole
table. Only USING is read: WITH CHECK tests the new row and never scans. Comparisons with
constants (`role <> 'owner'`) are ignored; partial and invalid indexes do not count.

Severity: warning. Correct but slow on large tables.

Fix: `CREATE INDEX ON <table> (<column>)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.expr import filtered_columns
from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "warning"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Per table: the columns its policies' USING filters on that no index leads with."""
    catalog = ctx.catalog
    tables: dict[str, list[str]] = {}
    for policy in catalog.policies:
        names = tables.setdefault(policy.table_qualname, [])
        for column in sorted(filtered_columns(policy.using, policy.table)):
            if column not in names:
                names.append(column)
    for qualname, columns in tables.items():
        existing = {c.name for c in catalog.columns_of(qualname)}
        indexes = [i for i in catalog.indexes_of(qualname) if i.valid and i.predicate is None]
        for column in columns:
            # an index leading with (column, other) serves an equality on column alone
            if column in existing and not any(i.columns[:1] == (column,) for i in indexes):
                yield Hit(
                    relation_ref(qualname),
                    f"column {qualname}.{column} is filtered by a policy but no index leads "
                    f"with it; CREATE INDEX ON {qualname} ({column})",
                )
