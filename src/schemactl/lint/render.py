"""Printing a lint report: text lines or JSON."""

from __future__ import annotations

import json

from schemactl.lint.model import LintReport, Rule


def render_text(report: LintReport) -> str:
    """``location: CODE severity: message`` per finding, then a summary line."""
    lines = [
        f"{f.location or f.object}: {f.code} {f.severity}: {f.message}" for f in report.findings
    ]
    errors, warnings = len(report.errors), len(report.warnings)
    if report.findings:
        summary = (
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
    else:
        summary = "no findings"
    extra = f"{len(report.rules)} rules"
    if report.suppressed:
        extra += f", {report.suppressed} suppressed by noqa"
    lines.append(f"{summary} ({extra})")
    return "\n".join(lines) + "\n"


def render_json(report: LintReport) -> str:
    """The findings as a JSON list of objects (code, severity, object, message, location)."""
    return json.dumps([f.as_dict() for f in report.findings], indent=2) + "\n"


def render_rules(rules: tuple[Rule, ...]) -> str:
    """One line per rule: code, severity, name and summary."""
    width = max((len(r.name) for r in rules), default=0)
    return "".join(f"{r.code:<8} {r.severity:<8} {r.name:<{width}}  {r.summary}\n" for r in rules)
