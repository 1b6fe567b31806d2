"""The lint rules: one module per rule, named `<code>_<name>.py`.

Each module's docstring is the rule's documentation (`docs/lint.md` is generated from it);
it defines `SEVERITY` and `check(ctx: LintContext) -> Iterable[Hit]`.
"""

from __future__ import annotations

from schemactl.model import Namespace, ObjectRef


def relation_ref(qualname: str) -> ObjectRef:
    """The reference of a table, view or index named `schema.name`."""
    return ObjectRef(Namespace.RELATION, qualname)


def policy_ref(qualname: str) -> ObjectRef:
    """The reference of a policy named `schema.table.name`."""
    return ObjectRef(Namespace.POLICY, qualname)


def function_ref(qualname: str) -> ObjectRef:
    """The reference of a function named `schema.name`."""
    return ObjectRef(Namespace.FUNCTION, qualname)
