"""A SECURITY DEFINER function has no fixed `search_path`.

A SECURITY DEFINER function runs with its owner's rights. Without `SET search_path` it
resolves unqualified names through the caller's search_path, so a caller who can create objects
in any schema on that path (or in `pg_temp`) can make it call their own function or read their
own table with the owner's rights: a privilege escalation.

Severity: error. It is an exploitable privilege escalation whenever callers can create objects.

Fix: `SET search_path = ''` on the function and schema-qualify every name inside it
(`SET search_path = pg_catalog, pg_temp` at the very least).
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import function_ref

SEVERITY = "error"


def check(ctx: LintContext) -> Iterator[Hit]:
    """SECURITY DEFINER functions whose proconfig sets no search_path."""
    for function in ctx.catalog.functions:
        if function.security_definer and function.setting("search_path") is None:
            yield Hit(
                function_ref(function.qualname),
                f"SECURITY DEFINER function {function.signature} has no fixed search_path; "
                "add SET search_path = '' and qualify every name",
            )
