"""A view that runs with its owner's rights is readable by `anon` or `authenticated`.

A plain view reads its tables with the rights of the view's owner (usually the table owner or
a superuser), so the row level security of those tables does not filter for the caller, and
without `security_barrier` a caller's leaky function or operator can even see rows the view's
own WHERE clause filters out.

Severity: error. The view bypasses the policies of every table it reads.

Fix: `ALTER VIEW <view> SET (security_invoker = true)` (PostgreSQL 15+) so the caller's RLS
applies, or revoke SELECT from the API roles. A deliberate owner-rights view that filters rows by
the caller itself must at least be a `security_barrier` view (rule SEC004 then asks a human to
check that filter).
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "error"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Views neither security_invoker nor security_barrier that an API role can read."""
    for view in ctx.catalog.views:
        if view.is_materialized or view.security_invoker or view.security_barrier:
            continue
        readers = ctx.readers(view)
        if readers:
            yield Hit(
                relation_ref(view.qualname),
                f"view {view.qualname} runs with the rights of its owner {view.owner} and is "
                f"readable by {', '.join(readers)}: it bypasses row level security; set "
                "security_invoker = true",
            )
