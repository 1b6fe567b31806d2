"""Rendering plans (text, json, dot, mermaid) and apply results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from schemactl.core.plan import build_plan, created_objects
from schemactl.core.render import dry_run_chunks, render_apply_result, render_plan
from schemactl.errors import ConfigError
from schemactl.model import ApplyResult, Namespace, ObjectRef, Plan

CASES = Path(__file__).parent.parent / "cases" / "order"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return build_plan(CASES / "basic" / "sql", display_root="sql")


def test_text_has_one_line_per_statement_and_the_unresolved_section(plan: Plan) -> None:
    text = render_plan(plan, "text")
    assert text.endswith("\n")
    lines = text.splitlines()
    body = lines[: len(plan.statements)]
    for line, statement in zip(body, plan.statements, strict=True):
        assert line.startswith(f"{statement.file.display}:{statement.line} ")
        assert statement.kind in line
    policy_line = next(line for line in body if "CREATE POLICY" in line)
    assert re.search(r"<- depends on: .*private\.my_org_ids", policy_line)
    assert "unresolved references:" in lines
    assert any(
        "function auth.uid" in line and "sql/functions/private.sql:3" in line for line in lines
    )


def test_json_lists_statements_dependencies_unresolved_and_objects(plan: Plan) -> None:
    data = json.loads(render_plan(plan, "json"))
    statements = data["statements"]
    assert len(statements) == len(plan.statements)
    first = statements[0]
    assert set(first) >= {"path", "line", "col", "kind", "creates", "references", "depends_on"}
    for i, item in enumerate(statements):
        assert all(d < i for d in item["depends_on"])
    assert "relation public.accounts" in data["objects"]
    assert "policy public.accounts.accounts read" in data["objects"]
    assert {u["object"] for u in data["unresolved"]} == {"schema auth", "function auth.uid"}


def test_dot_is_a_digraph_with_an_edge_per_dependency(plan: Plan) -> None:
    dot = render_plan(plan, "dot")
    assert dot.startswith("digraph schemactl {") and dot.rstrip().endswith("}")
    edges = re.findall(r"^  s(\d+) -> s(\d+);$", dot, flags=re.M)
    expected = {(d, i) for i, deps in enumerate(plan.depends_on) for d in deps}
    assert {(int(a), int(b)) for a, b in edges} == expected
    assert '"policy public.accounts.accounts read\\nsql/policies/accounts.sql:2"' in dot


def test_mermaid_uses_safe_ids_and_escaped_labels(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "t.sql").write_text(
        'CREATE TABLE t (id int);\nCREATE POLICY "say ""hi"" <b>" ON t USING (true);\n'
    )
    mermaid = render_plan(build_plan(sql, display_root="sql"), "mermaid")
    lines = mermaid.splitlines()
    assert lines[0] == "flowchart TD"
    assert lines[1] == '  s0["table public.t<br/>sql/t.sql:1"]'
    assert "#quot;" in lines[2] and "#lt;b#gt;" in lines[2]
    assert lines[2].count('"') == 2
    assert "  s0 --> s1" in lines


def test_unknown_format_is_an_input_error(plan: Plan) -> None:
    with pytest.raises(ConfigError, match="unknown format"):
        render_plan(plan, "yaml")


def test_apply_result_applied_groups_created_objects_by_kind(plan: Plan) -> None:
    result = ApplyResult(
        status="applied",
        target="postgresql://app:***@db/x",
        statements=len(plan.statements),
        files=tuple(f.relpath for f in plan.files),
        created=created_objects(plan),
        seconds=1.234,
    )
    text = render_apply_result(result)
    assert text.splitlines()[0] == (
        f"applied {len(plan.statements)} statements from {len(plan.files)} files "
        "to postgresql://app:***@db/x in 1.23 s"
    )
    assert "  tables (4): orgs, accounts, events, events_default" in text
    assert "  indexes (2): accounts_org_id_idx, org_stats_org_id" in text
    assert "  materialized views (1): org_stats" in text
    assert "  policies (1): accounts.accounts read" in text


def test_apply_result_plain_refs_group_by_name_space() -> None:
    result = ApplyResult(
        status="applied",
        target="t",
        statements=2,
        files=("a.sql",),
        created=(ObjectRef(Namespace.RELATION, "public.a"), ObjectRef(Namespace.SCHEMA, "private")),
    )
    text = render_apply_result(result)
    assert "  relations (1): a" in text and "  schemas (1): private" in text


def test_apply_result_up_to_date_and_dry_run(plan: Plan) -> None:
    up = ApplyResult(status="up_to_date", target="db", statements=0, files=("a.sql", "b.sql"))
    assert render_apply_result(up) == "db is up to date (2 files, nothing to do)\n"
    chunks = dry_run_chunks(plan)
    dry = ApplyResult(status="dry_run", target="db", statements=len(chunks), files=(), sql=chunks)
    text = render_apply_result(dry)
    assert text.startswith(f"-- {plan.statements[0].file.display}:{plan.statements[0].line}\n")
    assert text.count(";\n") >= len(plan.statements)
    assert f"{plan.statements[0].sql};\n" in text
