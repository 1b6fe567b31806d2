"""Row level security is enabled on a table that has no policy.

With RLS on and no policy, every role that does not bypass RLS sees no rows and cannot write
any: the table is closed to `anon` and `authenticated` whatever the grants say. That is
safe but rarely intended; usually a policy file was forgotten. Partitions are not checked:
queries through the parent use the parent's policies, and denying direct access to a partition
is the intended pattern.

Severity: warning. It fails closed (nothing leaks), but the feature likely does not work.

Fix: add the policies, or silence with `-- noqa: RLS002` when only `service_role` (which
bypasses RLS) should touch the table.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "warning"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Non-partition tables with RLS enabled and no policy."""
    for table in ctx.catalog.tables:
        if (
            table.rls_enabled
            and not table.is_partition
            and not ctx.catalog.policies_of(table.qualname)
        ):
            yield Hit(
                relation_ref(table.qualname),
                f"table {table.qualname} has row level security enabled but no policy: "
                "every non-bypassing role is denied every row",
            )
