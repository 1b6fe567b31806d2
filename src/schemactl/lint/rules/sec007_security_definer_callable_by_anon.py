"""A SECURITY DEFINER function can be called by `anon`.

A SECURITY DEFINER function runs with its owner's rights, so row level security does not
filter what it reads or writes. PostgreSQL grants EXECUTE on every new function to PUBLIC, so
unless it is revoked, signed-out visitors can call it (through the API, when its schema is
exposed, or from any SQL session). Functions that `anon` cannot reach (no USAGE on the schema)
are not reported.

Severity: warning. The function may check the caller itself, but "anon reads and writes nothing"
usually means it should not be callable at all.

Fix: `REVOKE EXECUTE ON FUNCTION f(...) FROM PUBLIC, anon` and grant it to `authenticated`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import function_ref

SEVERITY = "warning"


def check(ctx: LintContext) -> Iterator[Hit]:
    """SECURITY DEFINER functions that anon may execute in a schema it can use."""
    for function in ctx.catalog.functions:
        if (
            function.security_definer
            and "anon" in function.execute_roles
            and ctx.catalog.schema_usable_by(function.schema, "anon")
        ):
            yield Hit(
                function_ref(function.qualname),
                f"SECURITY DEFINER function {function.signature} can be called by anon; "
                "revoke EXECUTE from PUBLIC and anon",
            )
