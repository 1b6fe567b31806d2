"""The engine without a server: locations from a plan, `-- noqa`, sorting, rendering."""

from __future__ import annotations

import json

from schemactl.db.catalog import CatalogSnapshot, Schema, Table
from schemactl.lint import run_rules, select_rules
from schemactl.lint.engine import noqa_codes
from schemactl.lint.render import render_json, render_text
from schemactl.model import Namespace, ObjectRef, Plan, SqlFile, Statement


def _table(name: str, *, rls: bool = False) -> Table:
    return Table(
        schema="public", name=name, kind="r", owner="postgres", rls_enabled=rls,
        rls_forced=False, is_partition=False, parent=None, options={}, privileges=frozenset(),
    )  # fmt: skip


def _catalog(*tables: Table) -> CatalogSnapshot:
    public = Schema("public", "postgres", frozenset({"anon", "authenticated"}))
    return CatalogSnapshot(
        roles=("anon", "authenticated"), schemas=(public,), tables=tables, columns=(),
        policies=(), indexes=(), foreign_keys=(), functions=(), views=(),
    )  # fmt: skip


def _plan(text: str, creates: dict[str, str]) -> Plan:
    """A plan of one file; ``creates`` maps a statement's first words to the table it creates."""
    file = SqlFile(relpath="t.sql", display="sql/t.sql", text=text, sha256="")
    statements = []
    offset = 0
    for index, chunk in enumerate(text.split(";")):
        # the statement starts at its first line that is not blank or a comment
        code = [ln for ln in chunk.split("\n") if ln.strip() and not ln.strip().startswith("--")]
        if not code:
            offset += len(chunk) + 1
            continue
        first = code[0].lstrip()
        stripped = chunk[chunk.index(first) :].rstrip()
        start = offset + chunk.index(first)
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        made = tuple(
            ObjectRef(Namespace.RELATION, name)
            for prefix, name in creates.items()
            if stripped.startswith(prefix)
        )
        statements.append(
            Statement(file, index, start, line, col, stripped, "CREATE TABLE", creates=made)
        )
        offset += len(chunk) + 1
    return Plan("sql", (file,), tuple(statements), tuple(() for _ in statements))


def test_findings_point_to_the_creating_statement() -> None:
    text = "-- tables\nCREATE TABLE a (id int);\n\n  CREATE TABLE b (id int);\n"
    plan = _plan(text, {"CREATE TABLE a": "public.a", "CREATE TABLE b": "public.b"})
    report = run_rules(
        _catalog(_table("b"), _table("a")), plan=plan, rules=select_rules(["RLS001"])
    )
    assert [(f.object, f.location) for f in report.findings] == [
        ("public.a", "sql/t.sql:2:1"),
        ("public.b", "sql/t.sql:4:3"),
    ]
    assert report.errors == report.findings and not report.warnings and not report.ok


def test_noqa_with_code_in_statement_or_after_it_on_the_same_line() -> None:
    text = (
        "CREATE TABLE a (id int -- noqa: RLS001\n);\n"
        "CREATE TABLE b (id int); -- noqa: PERF002, rls001\n"
        "CREATE TABLE c (id int); -- noqa: RLS002\n"
        "CREATE TABLE d (id int);\n-- noqa\n"
        "CREATE TABLE e (id int); -- noqa\n"
    )
    plan = _plan(text, {f"CREATE TABLE {n}": f"public.{n}" for n in "abcde"})
    tables = [_table(n) for n in "abcde"]
    report = run_rules(_catalog(*tables), plan=plan, rules=select_rules(["RLS001"]))
    # a and b silence RLS001, c silences another code, d's noqa is on the next line, e is bare
    assert [f.object for f in report.findings] == ["public.c", "public.d"]
    assert report.suppressed == 3


def test_noqa_codes_parsing() -> None:
    plan = _plan("CREATE TABLE a (id int); -- NOQA: rls001,Sec005\n", {})
    assert noqa_codes(plan.statements[0]) == frozenset({"RLS001", "SEC005"})
    plan = _plan("CREATE TABLE a (id int);\n", {})
    assert noqa_codes(plan.statements[0]) is None


def test_without_plan_findings_have_no_location_and_render() -> None:
    report = run_rules(_catalog(_table("a", rls=True), _table("b")))
    assert [(f.code, f.object, f.location) for f in report.findings] == [
        ("RLS002", "public.a", None),
        ("RLS001", "public.b", None),
    ]
    text = render_text(report)
    assert text.splitlines()[1].startswith("public.b: RLS001 error: ")
    assert text.splitlines()[-1] == f"1 error, 1 warning ({len(report.rules)} rules)"
    data = json.loads(render_json(report))
    assert data[0] == {
        "code": "RLS002",
        "severity": "warning",
        "object": "public.a",
        "message": data[0]["message"],
        "location": None,
    }
