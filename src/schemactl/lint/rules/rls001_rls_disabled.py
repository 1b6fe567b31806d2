"""Row level security is disabled on a table in an exposed schema.

Every table in a schema the API exposes (`public`) can be queried by `anon` and
`authenticated` as soon as they hold a privilege on it, and without RLS every row is then
visible or writable. Partitioned parents are included (their policies guard every query that
goes through the parent). A partition counts as covered when its parent has RLS enabled and
neither `anon` nor `authenticated` can read the partition directly.

Severity: error. Tenant data is one GRANT away from being public.

Fix: `ALTER TABLE <table> ENABLE ROW LEVEL SECURITY` and add policies, or move the table to a
schema the API does not expose.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "error"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Tables in exposed schemas with RLS off (partitions of an RLS parent excepted)."""
    catalog = ctx.catalog
    for table in catalog.tables:
        if table.schema not in ctx.exposed_schemas or table.rls_enabled:
            continue
        if table.is_partition and table.parent is not None:
            parent = catalog.table(table.parent)
            readers = ctx.readers(table)
            if parent is not None and parent.rls_enabled and not readers:
                continue
            if parent is not None and parent.rls_enabled:
                yield Hit(
                    relation_ref(table.qualname),
                    f"partition {table.qualname} has row level security disabled and "
                    f"{', '.join(readers)} can read it directly, bypassing the policies of "
                    f"{parent.qualname}",
                )
                continue
        kind = "partitioned table" if table.is_partitioned else "table"
        yield Hit(
            relation_ref(table.qualname),
            f"{kind} {table.qualname} in exposed schema {table.schema} has row level "
            "security disabled",
        )
