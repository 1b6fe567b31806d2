"""A materialized view is readable by `anon` or `authenticated`.

A materialized view is a stored snapshot: row level security cannot apply to it, so any role
with SELECT reads every row of every tenant, whatever the policies of the tables it was built
from say.

Severity: error. Cross-tenant data is readable by API users.

Fix: `REVOKE ALL ON <view> FROM anon, authenticated, PUBLIC` and expose it through a
SECURITY DEFINER function (`SET search_path = ''`) or a `security_barrier` view that returns
only the caller's rows, or move it to a schema the API does not expose.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "error"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Materialized views that an API role can SELECT from."""
    for view in ctx.catalog.views:
        readers = ctx.readers(view)
        if view.is_materialized and readers:
            yield Hit(
                relation_ref(view.qualname),
                f"materialized view {view.qualname} is readable by {', '.join(readers)}; "
                "row level security cannot apply to it",
            )
