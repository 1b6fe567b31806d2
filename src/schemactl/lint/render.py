"""Printing a lint report: text lines, JSON, SARIF 2.1.0 or GitHub workflow annotations."""

from __future__ import annotations

import json
from typing import Any

from schemactl.core.annotations import github_annotation, split_location
from schemactl.lint.model import Finding, LintReport, Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


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


def _sarif_result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": finding.severity,
        "message": {"text": f"{finding.object}: {finding.message}"},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    where = split_location(finding.location)
    logical = [{"fullyQualifiedName": finding.object, "kind": "object"}]
    if where is None:
        result["locations"] = [{"logicalLocations": logical}]
    else:
        path, line, col = where
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": line, "startColumn": col},
                },
                "logicalLocations": logical,
            }
        ]
    return result


def render_sarif(report: LintReport, rules: tuple[Rule, ...]) -> str:
    """The report as a SARIF 2.1.0 log (GitHub code scanning), one run, every rule described.

    File locations are the paths lint shows (relative to where it ran); a finding without
    one has a logical location (the object) only.
    """
    from schemactl import __version__

    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "schemactl",
        "version": __version__,
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": " ".join(rule.doc.split()) or rule.summary},
                "defaultConfiguration": {"level": rule.severity},
            }
            for rule in rules
        ],
    }
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "results": [_sarif_result(f, index) for f in report.findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def render_github(report: LintReport) -> str:
    """One GitHub Actions annotation per finding, then the summary line of the text format."""
    lines = [
        github_annotation(
            f.severity,
            f"{f.object}: {f.message}",
            title=f"schemactl lint {f.code}",
            location=f.location,
        )
        for f in report.findings
    ]
    lines.append(render_text(report).splitlines()[-1])
    return "\n".join(lines) + "\n"
