"""The rule registry: one module per rule, code in the name, docs generated and fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemactl.errors import ConfigError
from schemactl.lint import all_rules, select_rules
from schemactl.lint.docs import render_docs

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "src" / "schemactl" / "lint" / "rules"


def test_every_rule_module_is_registered_under_its_code() -> None:
    modules = sorted(p.stem for p in RULES_DIR.glob("*.py") if p.stem != "__init__")
    assert [f"{r.code.lower()}_{r.name}" for r in all_rules()] == modules


def test_the_issue_rules_exist_with_sensible_severities() -> None:
    by_code = {r.code: r.severity for r in all_rules()}
    assert len(by_code) >= 11
    errors = {"RLS001", "RLS003", "RLS004", "SEC001", "SEC002", "SEC003", "SEC005"}
    assert {code for code, sev in by_code.items() if sev == "error"} == errors


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_is_documented(rule: object) -> None:
    doc: str = rule.doc  # type: ignore[attr-defined]
    assert re.search(r"Severity: (error|warning)\.", doc), "say why the severity is what it is"
    assert f"Severity: {rule.severity}" in doc  # type: ignore[attr-defined]
    assert len(doc.split()) > 40


def test_docs_lint_md_is_generated_from_the_rules() -> None:
    current = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert current == render_docs(), (
        "docs/lint.md is stale: run `.venv/bin/python -m schemactl.lint.docs > docs/lint.md`"
    )


def test_select_rules() -> None:
    assert [r.code for r in select_rules(["rls001", " SEC001 "])] == ["RLS001", "SEC001"]
    with pytest.raises(ConfigError, match="NOPE001"):
        select_rules(["NOPE001"])
