"""Several permissive policies apply to one role and command on a table.

Permissive policies are combined with OR: each one widens access, so a reviewer must read all
of them to know who sees a row, and a broad one silently voids a narrow one. PostgreSQL also
evaluates every one of them for every row. `ALL` policies count for each command, PUBLIC
policies for every role.

Severity: warning. Often deliberate (e.g. "own row" OR "administrator"), but worth merging into
one policy per role and command, or turning the narrowing ones into RESTRICTIVE policies.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext, join_names
from schemactl.lint.rules import relation_ref

SEVERITY = "warning"

_COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def check(ctx: LintContext) -> Iterator[Hit]:
    """(table, role, command) triples with more than one permissive policy."""
    seen_tables: dict[str, None] = {}
    for policy in ctx.catalog.policies:
        seen_tables.setdefault(policy.table_qualname)
    for qualname in seen_tables:
        policies = [p for p in ctx.catalog.policies_of(qualname) if p.permissive]
        roles = sorted({r for p in policies for r in p.roles if r != "public"} | set(ctx.api_roles))
        for role in roles:
            for command in _COMMANDS:
                hits = [p for p in policies if p.applies_to(role) and p.covers(command)]
                if len(hits) > 1:
                    names = join_names([f'"{p.name}"' for p in hits])
                    yield Hit(
                        relation_ref(qualname),
                        f"table {qualname} has {len(hits)} permissive {command} policies for "
                        f"{role}: {names}",
                    )
