"""A policy calls `auth.uid()`/`auth.jwt()`/`auth.role()` outside a `(select ...)`.

A bare `auth.uid()` in a policy is evaluated once for every row the query touches; written
as `(select auth.uid())` it becomes an InitPlan evaluated once per statement. On large tables
this is the difference between milliseconds and seconds. A call inside a sub-select that reads
a table (`IN (SELECT ... FROM t WHERE user_id = auth.uid())`) still runs once per row of that
table, so it is reported too. Both USING and WITH CHECK are read (`pg_policies.qual` and
`with_check` as the server deparses them).

Severity: warning. The result is correct, only slow.

Fix: write `(select auth.uid())`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.expr import unwrapped_auth_calls
from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import policy_ref

SEVERITY = "warning"


def check(ctx: LintContext) -> Iterator[Hit]:
    """Policies with auth.*() calls that the planner cannot hoist."""
    for policy in ctx.catalog.policies:
        calls = sorted({*unwrapped_auth_calls(policy.using), *unwrapped_auth_calls(policy.check)})
        if calls:
            yield Hit(
                policy_ref(policy.qualname),
                f'policy "{policy.name}" on {policy.table_qualname} calls {", ".join(calls)} '
                "once per row; write (select auth.uid()) instead",
            )
