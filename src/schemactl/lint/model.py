"""The data of a lint run: rules, what they hit, findings and the report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from schemactl.db.catalog import CatalogSnapshot, Column, Table, View
from schemactl.model import ObjectRef

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """One problem found by one rule in one object: data, never an exception."""

    code: str
    severity: Severity
    object: str  # qualified name, e.g. "public.transfers" or "public.transfers.policy name"
    message: str
    location: str | None  # file:line:col of the statement that created the object, if known

    def as_dict(self) -> dict[str, str | None]:
        """The finding as a JSON-ready mapping."""
        return {
            "code": self.code,
            "severity": self.severity,
            "object": self.object,
            "message": self.message,
            "location": self.location,
        }


@dataclass(frozen=True)
class LintReport:
    """Every finding of a run (sorted by location, then code) and the rules that ran."""

    findings: tuple[Finding, ...]
    rules: tuple[str, ...] = ()  # codes of the rules that ran
    suppressed: int = 0  # findings silenced by `-- noqa`

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity ``error``."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity ``warning``."""
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """No errors (warnings alone do not fail a run)."""
        return not self.errors


@dataclass(frozen=True)
class Hit:
    """What a rule reports: the object at fault and why; the engine adds code and location."""

    ref: ObjectRef  # the object whose creating statement locates (and may silence) the finding
    message: str


@dataclass(frozen=True)
class LintContext:
    """What a rule sees: the catalog and the project's conventions."""

    catalog: CatalogSnapshot
    # schemas the API (PostgREST / Supabase) exposes: every table there must have RLS
    exposed_schemas: tuple[str, ...] = ("public",)
    # roles every API request runs as
    api_roles: tuple[str, ...] = ("anon", "authenticated")

    def readers(self, relation: Table | View) -> tuple[str, ...]:
        """The API roles that can SELECT from ``relation`` (schema USAGE and a grant)."""
        return tuple(r for r in self.api_roles if self.catalog.can_select(relation, r))

    def column_readers(self, column: Column) -> tuple[str, ...]:
        """The API roles that can SELECT ``column``."""
        return tuple(r for r in self.api_roles if self.catalog.column_readable_by(column, r))


CheckFunction = Callable[[LintContext], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A lint rule: one module of :mod:`schemactl.lint.rules`, documented by its docstring."""

    code: str
    name: str
    severity: Severity
    doc: str = field(repr=False)
    check: CheckFunction = field(repr=False, compare=False)
    module: str = ""

    @property
    def summary(self) -> str:
        """The first line of the rule's documentation."""
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name


def join_names(names: Sequence[str]) -> str:
    """``a, b and c`` for messages."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
