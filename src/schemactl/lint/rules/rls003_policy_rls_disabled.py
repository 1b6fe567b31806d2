"""A table has policies but row level security is disabled.

PostgreSQL ignores the policies of a table until `ENABLE ROW LEVEL SECURITY`: the author
clearly meant to restrict access, yet every role with a grant sees and changes every row.

Severity: error. The restriction the policies describe is not in force.

Fix: `ALTER TABLE <table> ENABLE ROW LEVEL SECURITY`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext, join_names
from schemactl.lint.rules import relation_ref

SEVERITY = "error"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Tables with at least one policy and RLS off."""
    for table in ctx.catalog.tables:
        policies = ctx.catalog.policies_of(table.qualname)
        if policies and not table.rls_enabled:
            names = join_names([f'"{p.name}"' for p in policies])
            yield Hit(
                relation_ref(table.qualname),
                f"table {table.qualname} has {len(policies)} "
                f"polic{'y' if len(policies) == 1 else 'ies'} ({names}) but row level "
                "security is disabled, so none of them applies",
            )
