"""Render plans and apply results as text, JSON, Graphviz dot and Mermaid."""

from __future__ import annotations

import json
from collections.abc import Callable

from schemactl.core.graph import describe
from schemactl.core.plan import created_objects
from schemactl.errors import ConfigError
from schemactl.model import ApplyResult, Namespace, ObjectRef, Plan, Statement


def _object(statement: Statement) -> str:
    """The object a statement is about (what it creates, else its first reference)."""
    if statement.creates:
        return statement.creates[0].name
    if statement.references:
        return statement.references[0].name
    return "-"


def render_text(plan: Plan) -> str:
    """One line per statement, ``path:line  KIND  object  <- depends on: ...``."""
    rows = []
    for i, st in enumerate(plan.statements):
        where = f"{st.file.display}:{st.line}"
        deps = ", ".join(_object(plan.statements[d]) for d in plan.depends_on[i])
        rows.append((where, st.kind, _object(st), deps))
    width_where = max((len(r[0]) for r in rows), default=0)
    width_kind = max((len(r[1]) for r in rows), default=0)
    width_obj = max((len(r[2]) for r in rows), default=0)
    lines = []
    for where, kind, obj, deps in rows:
        line = f"{where:<{width_where}}  {kind:<{width_kind}}  "
        line += f"{obj:<{width_obj}}  <- depends on: {deps}" if deps else obj
        lines.append(line.rstrip())
    lines.append(
        f"{len(plan.statements)} statements from {len(plan.files)} files, "
        f"{len(created_objects(plan))} objects"
    )
    if plan.unresolved:
        lines.append("")
        lines.append("unresolved references:")
        # Grouped by object: auth.uid() is typically used by dozens of policies.
        used_at: dict[ObjectRef, list[str]] = {}
        for index, ref in plan.unresolved:
            st = plan.statements[index]
            used_at.setdefault(ref, []).append(f"{st.file.display}:{st.line}")
        for ref, places in used_at.items():
            more = f", +{len(places) - 3} more" if len(places) > 3 else ""
            lines.append(f"  {ref}  ({', '.join(places[:3])}{more})")
    return "\n".join(lines) + "\n"


def render_json(plan: Plan) -> str:
    """The plan as JSON: statements in order, unresolved references, created objects."""
    data = {
        "sql_dir": plan.sql_dir,
        "statements": [
            {
                "index": i,
                "path": st.file.display,
                "relpath": st.file.relpath,
                "line": st.line,
                "col": st.col,
                "kind": st.kind,
                "creates": [str(r) for r in st.creates],
                "references": [str(r) for r in st.references],
                "optional_references": [str(r) for r in st.optional_references],
                "alters": [str(r) for r in st.alters],
                "after_all": [str(r) for r in st.after_all],
                "before_all": [str(r) for r in st.before_all],
                "runtime_references": [str(r) for r in st.runtime_references],
                "executes": st.executes,
                "blind_spots": list(st.blind_spots),
                "warnings": list(st.warnings),
                "depends_on": list(plan.depends_on[i]),
            }
            for i, st in enumerate(plan.statements)
        ],
        "unresolved": [
            {
                "statement": index,
                "path": plan.statements[index].file.display,
                "line": plan.statements[index].line,
                "col": plan.statements[index].col,
                "object": str(ref),
            }
            for index, ref in plan.unresolved
        ],
        "objects": [str(r) for r in created_objects(plan)],
    }
    return json.dumps(data, indent=2) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(plan: Plan) -> str:
    """Graphviz: one node per statement, edges from a dependency to its dependent."""
    lines = ["digraph schemactl {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for i, st in enumerate(plan.statements):
        label = f"{describe(st)}\\n{st.file.display}:{st.line}"
        quoted = _dot_quote(label).replace("\\\\n", "\\n")
        lines.append(f"  s{i} [label={quoted}];")
    for i, deps in enumerate(plan.depends_on):
        lines.extend(f"  s{d} -> s{i};" for d in deps)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    # Mermaid labels are quoted; quotes and markup characters become entity codes.
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def render_mermaid(plan: Plan) -> str:
    """Mermaid flowchart with ids ``s0, s1, ...`` (names never appear in ids)."""
    lines = ["flowchart TD"]
    for i, st in enumerate(plan.statements):
        label = (
            _mermaid_label(describe(st)) + "<br/>" + _mermaid_label(f"{st.file.display}:{st.line}")
        )
        lines.append(f'  s{i}["{label}"]')
    for i, deps in enumerate(plan.depends_on):
        lines.extend(f"  s{d} --> s{i}" for d in deps)
    return "\n".join(lines) + "\n"


_RENDERERS: dict[str, Callable[[Plan], str]] = {
    "text": render_text,
    "json": render_json,
    "dot": render_dot,
    "mermaid": render_mermaid,
}


def render_plan(plan: Plan, fmt: str) -> str:
    """Render a plan as ``text``, ``json``, ``dot`` or ``mermaid`` (ends with a newline)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ConfigError(
            f"unknown format {fmt!r}", hint=f"use one of {', '.join(_RENDERERS)}"
        ) from None
    return renderer(plan)


_PLURALS = {
    "index": "indexes",
    "materialized view": "materialized views",
    "policy": "policies",
    "schema": "schemas",
}


def _group_label(ref: ObjectRef) -> str:
    label = getattr(ref, "label", "") or (
        "relation" if ref.namespace is Namespace.RELATION else ref.namespace.value
    )
    return str(label)


def _plural(label: str) -> str:
    return _PLURALS.get(label, label + "s")


def _short(ref: ObjectRef) -> str:
    # public is the default schema: "companies" reads better than "public.companies"
    return ref.name.removeprefix("public.")


def render_apply_result(result: ApplyResult) -> str:
    """Human summary of an apply: what was created, or that nothing was to do, or dry-run SQL."""
    if result.status == "up_to_date":
        return f"{result.target} is up to date ({len(result.files)} files, nothing to do)\n"
    if result.status == "dry_run":
        return "".join(
            (chunk if chunk.rstrip().endswith(";") else chunk.rstrip() + ";") + "\n"
            for chunk in result.sql
        )
    if result.status == "migrated" and not result.statements:
        return (
            f"{result.target}: the files changed, the schema already matched them "
            f"(ledger updated in {result.seconds:.2f} s)\n"
        )
    if result.status == "migrated":
        lines = [
            f"migrated {result.target}: {result.statements} statements, "
            f"{len(result.changes)} changes in {result.seconds:.2f} s"
        ]
        lines.extend(f"  {change}" for change in result.changes)
        return "\n".join(lines) + "\n"
    lines = [
        f"applied {result.statements} statements from {len(result.files)} files "
        f"to {result.target} in {result.seconds:.2f} s"
    ]
    if result.auth_shim_installed:
        lines.append("  installed the Supabase auth compat layer (schema auth, roles)")
    groups: dict[str, list[str]] = {}
    for ref in result.created:
        groups.setdefault(_group_label(ref), []).append(_short(ref))
    for label, names in groups.items():
        lines.append(f"  {_plural(label)} ({len(names)}): {', '.join(names)}")
    return "\n".join(lines) + "\n"


def dry_run_chunks(plan: Plan) -> tuple[str, ...]:
    """Each statement's SQL preceded by a ``-- path:line`` comment, for ``ApplyResult.sql``."""
    return tuple(f"-- {st.file.display}:{st.line}\n{st.sql}" for st in plan.statements)
