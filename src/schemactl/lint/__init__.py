"""``schemactl lint``: rules over the catalog of a (shadow) database.

>>> report = lint("sql")  # doctest: +SKIP
>>> [f.code for f in report.errors]  # doctest: +SKIP
"""

from __future__ import annotations

from schemactl.lint.engine import lint, lint_database, run_rules, select_rules
from schemactl.lint.model import Finding, Hit, LintContext, LintReport, Rule
from schemactl.lint.registry import all_rules

__all__ = [
    "Finding",
    "Hit",
    "LintContext",
    "LintReport",
    "Rule",
    "all_rules",
    "lint",
    "lint_database",
    "run_rules",
    "select_rules",
]
