"""A write policy for API roles is literally `true`.

An INSERT, UPDATE, DELETE or ALL policy whose USING or WITH CHECK expression is `true` lets
every `anon`/`authenticated` user (or PUBLIC) write every row: USING (true) on UPDATE or
DELETE reaches other tenants' rows, WITH CHECK (true) lets a user insert rows into another
tenant or move a row there. Only permissive policies attached to `public`, `anon` or
`authenticated` are checked: a restrictive `true` policy restricts nothing, and
`service_role` bypasses RLS anyway.

Severity: error. It disables tenant isolation for writes.

Fix: compare the row's tenant key with the caller's memberships, e.g.
`WITH CHECK (project_id IN (SELECT private.writable_project_ids()))`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.expr import is_literally_true
from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import policy_ref

SEVERITY = "error"

_WRITE_COMMANDS = ("INSERT", "UPDATE", "DELETE", "ALL")


def check(ctx: LintContext) -> Iterator[Hit]:
    """Permissive write policies for API roles with USING/WITH CHECK `true`."""
    for policy in ctx.catalog.policies:
        if not policy.permissive or policy.command not in _WRITE_COMMANDS:
            continue
        roles = [r for r in ("public", *ctx.api_roles) if r in policy.roles]
        if not roles:
            continue
        parts = [
            clause
            for clause, text in (("USING", policy.using), ("WITH CHECK", policy.check))
            if is_literally_true(text)
        ]
        if parts:
            yield Hit(
                policy_ref(policy.qualname),
                f'{policy.command} policy "{policy.name}" on {policy.table_qualname} for '
                f"{', '.join(roles)} has {' and '.join(parts)} (true): any such user may "
                "write any row",
            )
