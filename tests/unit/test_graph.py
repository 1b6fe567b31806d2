"""Dependency order: valid, deterministic, independent of file names, cycles named."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemactl.core.plan import build_plan
from schemactl.errors import CycleError, UnresolvedReferenceError
from schemactl.model import Namespace, ObjectRef, Plan

CASES = Path(__file__).parent.parent / "cases" / "order"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def position(plan: Plan, ref: ObjectRef) -> int:
    """Execution position of the statement creating ``ref``."""
    return next(i for i, s in enumerate(plan.statements) if ref in s.creates)


def assert_valid_order(plan: Plan) -> None:
    """Every statement runs after the statements that create what it references."""
    created_at: dict[ObjectRef, int] = {}
    for i, statement in enumerate(plan.statements):
        for ref in statement.creates:
            created_at.setdefault(ref, i)
    for i, statement in enumerate(plan.statements):
        for ref in (*statement.references, *statement.optional_references):
            if ref in created_at and ref not in statement.creates:
                assert created_at[ref] < i, f"{statement.location} runs before {ref}"
        assert all(d < i for d in plan.depends_on[i])


def test_basic_case_orders_tables_before_their_dependents() -> None:
    plan = build_plan(CASES / "basic" / "sql", display_root="sql")
    assert_valid_order(plan)
    order = [s.location for s in plan.statements]
    accounts = position(plan, ObjectRef(Namespace.RELATION, "public.accounts"))
    assert position(plan, ObjectRef(Namespace.RELATION, "public.orgs")) < accounts
    assert position(plan, ObjectRef(Namespace.TYPE, "public.account_status")) < accounts
    policy = position(plan, ObjectRef(Namespace.POLICY, "public.accounts.accounts read"))
    helper = position(plan, ObjectRef(Namespace.FUNCTION, "private.my_org_ids"))
    assert accounts < helper < policy  # the SQL helper reads accounts; the policy calls it
    rls = order.index("sql/policies/accounts.sql:1:1")
    assert accounts < rls
    # Same input, same order: nothing depends on hash seeds or dict order.
    again = build_plan(CASES / "basic" / "sql", display_root="sql")
    assert [s.location for s in again.statements] == order
    assert again.depends_on == plan.depends_on


def test_file_names_only_break_ties(tmp_path: Path) -> None:
    child = "CREATE TABLE child (id int, parent_id int REFERENCES parent(id));\n"
    parent = "CREATE TABLE parent (id int PRIMARY KEY);\n"
    first = build_plan(write_tree(tmp_path / "one", {"a.sql": child, "b.sql": parent}))
    second = build_plan(write_tree(tmp_path / "two", {"z.sql": child, "b.sql": parent}))
    for plan in (first, second):
        assert [s.creates[0].name for s in plan.statements] == ["public.parent", "public.child"]
    # Independent statements keep (relpath, index) order.
    independent = build_plan(
        write_tree(
            tmp_path / "three",
            {"b.sql": "CREATE TABLE b (id int);", "a.sql": "CREATE TABLE a (id int);"},
        )
    )
    assert [s.file.relpath for s in independent.statements] == ["a.sql", "b.sql"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=30),
    names=st.permutations(list(range(12))),
)
def test_random_schemas_always_order_validly(
    tmp_path_factory: pytest.TempPathFactory, edges: list[tuple[int, int]], names: list[int]
) -> None:
    # Table i may reference only tables j < i (a DAG); file names are a random permutation.
    refs: dict[int, set[int]] = {i: set() for i in range(12)}
    for a, b in edges:
        if a != b:
            refs[max(a, b)].add(min(a, b))
    files = {}
    for i in range(12):
        fks = "".join(f", r{j} int REFERENCES t{j}(id)" for j in sorted(refs[i]))
        files[f"f{names[i]:02d}.sql"] = (
            f"CREATE TABLE t{i} (id int PRIMARY KEY{fks});\nCREATE INDEX t{i}_idx ON t{i} (id);\n"
        )
    plan = build_plan(write_tree(tmp_path_factory.mktemp("dag"), files))
    assert_valid_order(plan)
    assert len(plan.statements) == 24
    for i in range(12):
        for j in refs[i]:
            assert position(plan, ObjectRef(Namespace.RELATION, f"public.t{j}")) < position(
                plan, ObjectRef(Namespace.RELATION, f"public.t{i}")
            )


def test_cycle_names_every_object_and_file() -> None:
    with pytest.raises(CycleError) as info:
        build_plan(CASES / "cycle" / "sql", display_root="sql")
    message = info.value.message
    assert message.startswith("dependency cycle: ")
    assert "table public.a (sql/a.sql:1)" in message
    assert "table public.b (sql/b.sql:2)" in message
    assert "\n" not in message
    assert info.value.exit_code == 2
    # "x -> y" means x needs y: a references b, b references a.
    assert message.count(" -> ") == 2


def test_self_reference_is_not_a_cycle(tmp_path: Path) -> None:
    plan = build_plan(
        write_tree(
            tmp_path,
            {"t.sql": "CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node(id));"},
        )
    )
    assert plan.depends_on == ((),)


def test_optional_references_only_count_when_some_file_creates_them(tmp_path: Path) -> None:
    plan = build_plan(
        write_tree(
            tmp_path,
            {
                "a.sql": "CREATE TABLE t (id int DEFAULT next_id(), at timestamptz DEFAULT now());",
                "b.sql": "CREATE FUNCTION next_id() RETURNS int LANGUAGE sql AS 'SELECT 1';",
            },
        )
    )
    assert [s.kind for s in plan.statements] == ["CREATE FUNCTION", "CREATE TABLE"]
    assert plan.depends_on == ((), (0,))
    assert plan.unresolved == ()  # now() is optional, so not listed


def test_type_reference_resolves_to_a_tables_row_type(tmp_path: Path) -> None:
    plan = build_plan(
        write_tree(
            tmp_path,
            {
                "a.sql": "CREATE FUNCTION me() RETURNS public.profiles LANGUAGE plpgsql AS $$ BEGIN END $$;",
                "b.sql": "CREATE TABLE profiles (id int);",
            },
        )
    )
    assert [s.kind for s in plan.statements] == ["CREATE TABLE", "CREATE FUNCTION"]
    assert plan.unresolved == ()


def test_unresolved_statements_run_after_extensions(tmp_path: Path) -> None:
    plan = build_plan(
        write_tree(
            tmp_path,
            {
                "a.sql": "CREATE TABLE secrets (k text DEFAULT crypt('x', gen_salt('bf')));",
                "z.sql": "CREATE EXTENSION IF NOT EXISTS pgcrypto;",
            },
        )
    )
    assert [s.kind for s in plan.statements] == ["CREATE EXTENSION", "CREATE TABLE"]


def test_unresolved_are_listed_and_strict_refuses() -> None:
    plan = build_plan(CASES / "unresolved" / "sql", display_root="sql")
    listed = {(plan.statements[i].line, str(ref)) for i, ref in plan.unresolved}
    assert listed == {
        (1, "schema auth"),
        (1, "relation auth.users"),
        (2, "schema auth"),
        (2, "function auth.uid"),
    }
    with pytest.raises(UnresolvedReferenceError) as info:
        build_plan(CASES / "unresolved" / "sql", display_root="sql", strict=True)
    assert info.value.message.startswith("sql/profiles.sql:1:1: ")
    assert "relation auth.users" in info.value.message
    assert info.value.exit_code == 2
