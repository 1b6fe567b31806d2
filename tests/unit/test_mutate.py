"""Mutant generation of `schemactl rls mutate`: exact edits by offset, no database."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from schemactl.core.plan import build_plan
from schemactl.errors import ParseError
from schemactl.rls.mutate import (
    CHECK_TRUE,
    DROP_POLICY,
    KILLED,
    KINDS,
    RLS_OFF,
    STILLBORN,
    SURVIVED,
    USING_TRUE,
    MutantResult,
    MutationError,
    MutationReport,
    generate_mutants,
    policy_clauses,
    render_result,
    render_summary,
    select_sample,
)

REPO_SQL = Path(__file__).resolve().parents[2] / "sql"

TABLE = "CREATE TABLE public.notes (id int PRIMARY KEY, owner_id uuid, body text);\n"

# Parentheses in a string, a block comment and a line comment must not count; the
# select policy has no WITH CHECK, the insert policy no USING, `open` is already true.
POLICIES = textwrap.dedent(
    """\
    -- RLS of notes (a comment with a paren: ( )
    ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

    ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;

    CREATE POLICY notes_select ON public.notes
      FOR SELECT TO authenticated
      USING (body <> 'a ) b (' /* ) */ AND owner_id IN (SELECT auth.uid())) -- )
      ;

    CREATE POLICY notes_update ON public.notes
      FOR UPDATE TO authenticated
      USING (owner_id = (SELECT auth.uid()))
      WITH CHECK ((owner_id) = (SELECT auth.uid()) AND body IS NOT NULL);

    CREATE POLICY notes_insert ON public.notes FOR INSERT TO authenticated
      WITH CHECK (owner_id = (SELECT auth.uid()));

    CREATE POLICY "Open" ON public.notes FOR SELECT TO anon USING ( TRUE );
    """
)


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    """A tiny SQL dir: one table, RLS on and forced, four policies."""
    root = tmp_path / "sql"
    (root / "tables").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "tables" / "notes.sql").write_text(TABLE, encoding="utf-8")
    (root / "policies" / "notes.sql").write_text(POLICIES, encoding="utf-8")
    return root


def test_kinds_and_ids(sql_dir: Path) -> None:
    mutants = generate_mutants(sql_dir)
    assert [m.id for m in mutants] == [
        "rls-off:public.notes",
        "using-true:public.notes.notes_select",
        "drop-policy:public.notes.notes_select",
        "using-true:public.notes.notes_update",
        "check-true:public.notes.notes_update",
        "drop-policy:public.notes.notes_update",
        "check-true:public.notes.notes_insert",
        "drop-policy:public.notes.notes_insert",
        # USING ( TRUE ) is already true: only the drop is a real weakening
        "drop-policy:public.notes.Open",
    ]
    assert all(m.path == "policies/notes.sql" for m in mutants)
    lines = {m.id: m.line for m in mutants}
    assert lines["rls-off:public.notes"] == 2
    assert lines["using-true:public.notes.notes_select"] == 6
    assert lines["check-true:public.notes.notes_insert"] == 16


def test_using_true_replaces_exactly_the_expression(sql_dir: Path) -> None:
    mutant = next(
        m
        for m in generate_mutants(sql_dir)
        if m.id.startswith("using-true:") and m.target.endswith("notes_select")
    )
    mutated = mutant.apply(POLICIES)
    expected = POLICIES.replace(
        "USING (body <> 'a ) b (' /* ) */ AND owner_id IN (SELECT auth.uid())) -- )",
        "USING (true) -- )",
    )
    assert mutated == expected


def test_check_true_keeps_using_and_nested_parens(sql_dir: Path) -> None:
    mutant = next(
        m for m in generate_mutants(sql_dir) if m.id == "check-true:public.notes.notes_update"
    )
    mutated = mutant.apply(POLICIES)
    assert mutated == POLICIES.replace(
        "WITH CHECK ((owner_id) = (SELECT auth.uid()) AND body IS NOT NULL)", "WITH CHECK (true)"
    )
    # the USING clause of the same policy is untouched
    assert "USING (owner_id = (SELECT auth.uid()))\n  WITH CHECK (true);" in mutated


def test_using_true_of_a_policy_with_both_clauses(sql_dir: Path) -> None:
    mutant = next(
        m for m in generate_mutants(sql_dir) if m.id == "using-true:public.notes.notes_update"
    )
    assert mutant.apply(POLICIES) == POLICIES.replace(
        "USING (owner_id = (SELECT auth.uid()))\n  WITH CHECK ((owner_id)",
        "USING (true)\n  WITH CHECK ((owner_id)",
    )


def test_drop_policy_removes_the_statement_and_its_semicolon(sql_dir: Path) -> None:
    mutant = next(
        m for m in generate_mutants(sql_dir) if m.id == "drop-policy:public.notes.notes_select"
    )
    mutated = mutant.apply(POLICIES)
    start = POLICIES.index("CREATE POLICY notes_select")
    end = POLICIES.index(";", POLICIES.index("-- )")) + 1
    assert mutated == POLICIES[:start] + POLICIES[end:]
    assert "notes_select" not in mutated
    assert mutated.count("CREATE POLICY") == 3


def test_rls_off_removes_enable_and_force(sql_dir: Path) -> None:
    mutant = next(m for m in generate_mutants(sql_dir) if m.kind == RLS_OFF)
    assert mutant.target == "public.notes"
    mutated = mutant.apply(POLICIES)
    assert "ROW LEVEL SECURITY" not in mutated
    assert mutated.count("CREATE POLICY") == 4
    assert mutated.startswith("-- RLS of notes (a comment with a paren: ( )\n\n\n\n\n")


def test_every_mutant_still_parses_and_differs(sql_dir: Path, tmp_path: Path) -> None:
    for i, mutant in enumerate(generate_mutants(sql_dir)):
        copy = tmp_path / f"copy{i}"
        shutil.copytree(sql_dir, copy)
        mutant.write(copy)
        text = (copy / mutant.path).read_text(encoding="utf-8")
        assert text != POLICIES, mutant.id
        assert (copy / "tables" / "notes.sql").read_text(encoding="utf-8") == TABLE
        plan = build_plan(copy, display_root=copy)  # raises if the mutant broke the syntax
        policies = [st for st in plan.statements if st.kind == "CREATE POLICY"]
        assert len(policies) == (3 if mutant.kind == DROP_POLICY else 4)


def test_policy_clauses_ranges() -> None:
    sql = "CREATE POLICY p ON t USING (a(1) = 'x)') WITH CHECK ( b )"
    found = policy_clauses(sql)
    assert sql[slice(*found["using"])] == "a(1) = 'x)'"
    assert sql[slice(*found["check"])] == " b "
    assert policy_clauses("CREATE POLICY p ON t FOR INSERT WITH CHECK (x)").keys() == {"check"}


def test_policies_in_the_repository_sql_dir() -> None:
    mutants = generate_mutants(REPO_SQL)
    counts = Counter(m.kind for m in mutants)
    assert set(counts) == set(KINDS)
    policies = {m.target for m in mutants if m.kind == DROP_POLICY}
    # every policy statement of the repository gives one drop-policy mutant
    plan = build_plan(REPO_SQL, display_root=REPO_SQL)
    assert len(policies) == sum(st.kind == "CREATE POLICY" for st in plan.statements)
    assert counts[RLS_OFF] == sum(st.kind == "ENABLE RLS" for st in plan.statements)
    assert len({m.id for m in mutants}) == len(mutants)
    for mutant in mutants:
        if mutant.kind in (USING_TRUE, CHECK_TRUE):
            original = (REPO_SQL / mutant.path).read_text(encoding="utf-8")
            (edit,) = mutant.edits
            # the replaced range sits between a clause's parentheses
            assert original[edit.start - 1] == "(" and original[edit.end] == ")"
            assert edit.replacement == "true"


def test_sample_takes_one_of_each_kind_reproducibly(sql_dir: Path) -> None:
    mutants = generate_mutants(REPO_SQL)
    first = select_sample(mutants, 4, seed=0)
    assert sorted(m.kind for m in first) == sorted(KINDS)
    assert select_sample(mutants, 4, seed=0) == first
    assert [m.id for m in select_sample(mutants, 4, seed=1)] != [m.id for m in first]
    eight = select_sample(mutants, 8, seed=0)
    assert Counter(m.kind for m in eight) == dict.fromkeys(KINDS, 2)
    assert select_sample(mutants, None) == mutants
    assert select_sample(mutants, 10_000) == mutants
    with pytest.raises(MutationError):
        select_sample(mutants, -1)


def test_unparsable_dir_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_text("CREATE POLICY p ON t USING ('unterminated);\n")
    with pytest.raises(ParseError):
        generate_mutants(tmp_path)


def test_report_json_and_summary(sql_dir: Path) -> None:
    mutants = generate_mutants(sql_dir)
    results = (
        MutantResult(mutants[0], KILLED, 1, 2.0),
        MutantResult(mutants[1], SURVIVED, 0, 3.5),
        MutantResult(mutants[2], STILLBORN, None, 0.1, 'relation "x" does not exist'),
    )
    report = MutationReport(
        sql_dir="sql",
        command=("python", "-m", "pytest"),
        generated=len(mutants),
        seed=0,
        baseline_seconds=4.0,
        wall_seconds=9.25,
        results=results,
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["counts"] == {"killed": 1, "survived": 1, "stillborn": 1, "timeout": 0, "error": 0}
    assert [m["status"] for m in data["mutants"]] == ["killed", "survived", "stillborn"]
    assert data["mutants"][1] == {
        "id": "using-true:public.notes.notes_select",
        "kind": "using-true",
        "target": "public.notes.notes_select",
        "path": "policies/notes.sql",
        "line": 6,
        "description": "policy public.notes.notes_select: USING (true)",
        "status": "survived",
        "returncode": 0,
        "seconds": 3.5,
        "reason": "",
    }
    assert render_summary(report).splitlines() == [
        f"3 of {len(mutants)} mutants run: 1 killed, 1 survived, 1 stillborn; "
        "baseline 4.0 s, wall time 9.2 s",
        "survivor: using-true public.notes.notes_select at policies/notes.sql:6",
    ]
    assert render_result(results[2]).split() == [
        "STILLBORN",
        "drop-policy",
        "public.notes.notes_select",
        "policies/notes.sql:6",
        "(0.1",
        "s)",
        "relation",
        '"x"',
        "does",
        "not",
        "exist",
    ]
