"""Show a :class:`~schemactl.core.diff.DiffResult` as text, runnable SQL or JSON (pure)."""

from __future__ import annotations

import json
from typing import Any

from schemactl.core.diff import Change, DiffResult, committed_first

__all__ = ["render_diff", "render_github", "result_as_data"]

_MARK = {"create": "+", "alter": "~", "drop": "-"}


def result_as_data(result: DiffResult) -> dict[str, Any]:
    """The result as plain data (what ``--format json`` prints)."""

    def change(c: Change) -> dict[str, Any]:
        return {
            "action": c.action,
            "kind": c.kind,
            "name": c.name,
            "sql": list(c.sql),
            "hazards": list(c.hazards),
            "destructive": c.destructive,
        }

    return {
        "has_drift": result.has_drift,
        "changes": [change(c) for c in result.changes],
        "statements": list(result.statements),
        "unsupported": list(result.unsupported),
        "destructive": [f"{c.action} {c.kind} {c.name}" for c in result.destructive],
        "outside_transaction": list(result.outside),
        "warnings": list(result.warnings),
        "possible_renames": list(result.possible_renames),
    }


def _summary(result: DiffResult) -> str:
    counts = {action: 0 for action in _MARK}
    for c in result.changes:
        counts[c.action] += 1
    parts = [f"{n} {action}" for action, n in counts.items() if n]
    line = f"{len(result.changes)} change(s): {', '.join(parts) or 'none'}"
    if result.destructive:
        line += f"; {len(result.destructive)} destructive"
    if result.unsupported:
        line += f"; {len(result.unsupported)} unsupported object(s)"
    return line


def _text(result: DiffResult, allow_destructive: bool) -> str:
    if not result.has_drift:
        return "no drift: the schemas are equal\n"
    groups: dict[str, list[Change]] = {}
    for c in result.changes:
        groups.setdefault(c.kind, []).append(c)
    lines: list[str] = []
    for kind, changes in groups.items():
        lines.append(f"{kind}:")
        for c in changes:
            extra = []
            if c.destructive:
                extra.append("DESTRUCTIVE")
            extra.extend(c.hazards)
            note = f"  ({'; '.join(extra)})" if extra else ""
            lines.append(f"  {_MARK[c.action]} {c.name}{note}")
    if result.unsupported:
        lines.append("not handled by diff (compare by hand):")
        lines.extend(f"  ? {label}" for label in result.unsupported)
    lines.extend(f"! {note}" for note in result.possible_renames)
    lines.append(_summary(result))
    if result.destructive and not allow_destructive:
        lines.append("destructive changes need --allow-destructive")
    return "\n".join(lines) + "\n"


def _sql(result: DiffResult) -> str:
    lines = [f"-- schemactl diff: {_summary(result)}"]
    lines.extend(f"-- not handled by diff: {label}" for label in result.unsupported)
    lines.extend(f"-- {note}" for note in result.possible_renames)
    if not result.statements:
        return "\n".join(lines) + "\n"
    owner: dict[str, Change] = {}
    for c in result.changes:
        for stmt in c.sql:
            owner.setdefault(stmt, c)
    early, rest = committed_first(result)
    for stmt in early:
        lines.append(f"{stmt};  -- commits on its own: a new label is usable only after")
    lines.append("BEGIN;")
    for stmt in rest:
        first = owner.pop(stmt, None)
        if first is not None:
            notes = (["DESTRUCTIVE"] if first.destructive else []) + list(first.hazards)
            note = f": {'; '.join(notes)}" if notes else ""
            lines.append(f"\n-- {_MARK[first.action]} {first.kind} {first.name}{note}")
        lines.append(f"{stmt};")
    lines.append("\nCOMMIT;")
    if result.outside:
        lines.append("\n-- after the commit, each alone (not in a transaction block):")
    for stmt in result.outside:
        first = owner.pop(stmt, None)
        if first is not None:
            lines.append(
                f"-- {_MARK[first.action]} {first.kind} {first.name}: {'; '.join(first.hazards)}"
            )
        lines.append(f"{stmt};")
    return "\n".join(lines) + "\n"


def render_github(result: DiffResult, *, allow_destructive: bool = False) -> str:
    """The drift as GitHub Actions annotations: one per change, then the summary.

    A destructive change (without ``allow_destructive``) and an object diff cannot migrate
    are errors, other changes warnings; no drift is one notice.
    """
    from schemactl.core.annotations import github_annotation

    title = "schemactl diff"
    if not result.has_drift:
        return github_annotation("notice", "no drift: the schemas are equal", title=title) + "\n"
    lines = []
    for c in result.changes:
        extra = (["DESTRUCTIVE"] if c.destructive else []) + list(c.hazards)
        note = f" ({'; '.join(extra)})" if extra else ""
        level = "error" if c.destructive and not allow_destructive else "warning"
        text = f"drift: {_MARK[c.action]} {c.kind} {c.name}{note}"
        lines.append(github_annotation(level, text, title=title))
    for label in result.unsupported:
        lines.append(github_annotation("error", f"not handled by diff: {label}", title=title))
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def render_diff(result: DiffResult, fmt: str = "text", *, allow_destructive: bool = False) -> str:
    """``fmt`` is ``text`` (grouped summary), ``sql`` (runnable with psql), ``json`` or
    ``github`` (workflow annotations)."""
    if fmt == "github":
        return render_github(result, allow_destructive=allow_destructive)
    if fmt == "json":
        return json.dumps(result_as_data(result), indent=2) + "\n"
    if fmt == "sql":
        return _sql(result)
    return _text(result, allow_destructive)
