"""A `security_barrier` view with its owner's rights is readable by API roles.

This is the sanctioned way to expose data that row level security cannot protect (for instance
a materialized view): the view runs with its owner's rights and must itself filter rows by the
caller (`auth.uid()` or a membership helper); `security_barrier` keeps callers' functions
from seeing rows before that filter runs. Whether the filter is right cannot be checked here.

Severity: warning. Not wrong by itself, but every such view needs a reviewed caller filter and
a test proving it.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "warning"


def check(ctx: LintContext) -> Iterator[Hit]:
    """security_barrier views without security_invoker that an API role can read."""
    for view in ctx.catalog.views:
        if view.is_materialized or view.security_invoker or not view.security_barrier:
            continue
        readers = ctx.readers(view)
        if readers:
            yield Hit(
                relation_ref(view.qualname),
                f"security_barrier view {view.qualname} runs with the rights of its owner "
                f"{view.owner} and is readable by {', '.join(readers)}: make sure it filters "
                "rows by the caller",
            )
