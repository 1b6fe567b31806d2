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
    DROP_WINDOW,
    KILLED,
    KINDS,
    LOOSEN_GUARD,
    RLS_OFF,
    STILLBORN,
    STRUCTURAL_KINDS,
    SURVIVED,
    USING_TRUE,
    WIDEN_GRANT,
    WIDEN_ROLES,
    Mutant,
    MutantResult,
    MutationError,
    MutationReport,
    generate_mutants,
    policy_clauses,
    render_result,
    render_summary,
    select_sample,
    tokenize,
)
from schemactl.rls.semantic import guarded_raises, next_weaker, role_ladders, window_terms

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
        "widen-roles:public.notes.notes_select",
        "using-true:public.notes.notes_update",
        "check-true:public.notes.notes_update",
        "drop-policy:public.notes.notes_update",
        "widen-roles:public.notes.notes_update",
        "check-true:public.notes.notes_insert",
        "drop-policy:public.notes.notes_insert",
        "widen-roles:public.notes.notes_insert",
        # USING ( TRUE ) is already true: only the drop is a real weakening
        "drop-policy:public.notes.Open",
        # TO anon gains PUBLIC
        "widen-roles:public.notes.Open",
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
    four = select_sample(mutants, 4, seed=0)
    assert sorted(m.kind for m in four) == sorted(STRUCTURAL_KINDS)
    first = select_sample(mutants, 8, seed=0)
    assert sorted(m.kind for m in first) == sorted(KINDS)
    assert select_sample(mutants, 8, seed=0) == first
    assert [m.id for m in select_sample(mutants, 8, seed=1)] != [m.id for m in first]
    sixteen = select_sample(mutants, 16, seed=0)
    assert Counter(m.kind for m in sixteen) == dict.fromkeys(KINDS, 2)
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
    zero = {"timeout": 0, "error": 0}
    assert data["by_kind"] == {
        "using-true": {"total": 1, "killed": 0, "survived": 1, "stillborn": 0, **zero},
        "drop-policy": {"total": 1, "killed": 0, "survived": 0, "stillborn": 1, **zero},
        "rls-off": {"total": 1, "killed": 1, "survived": 0, "stillborn": 0, **zero},
    }
    assert list(data["by_kind"]) == ["using-true", "drop-policy", "rls-off"]  # KINDS order
    assert render_summary(report).splitlines() == [
        f"3 of {len(mutants)} mutants run: 1 killed, 1 survived, 1 stillborn; "
        "baseline 4.0 s, wall time 9.2 s",
        "killed/total per operator:",
        "  using-true   0/1 killed, 1 survived",
        "  drop-policy  0/1 killed, 1 stillborn",
        "  rls-off      1/1 killed",
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


# ---------------------------------------------------------------------------- semantic operators

SEMANTIC_TABLE = textwrap.dedent(
    """\
    CREATE TABLE public.docs (
      id int PRIMARY KEY,
      owner_id uuid,
      role text CHECK (role IN ('viewer', 'editor', 'owner')),
      secret text,
      "Notes" text,
      revoked_at timestamptz,
      valid_until timestamptz
    );
    """
)

# A role ladder (the widest list, strongest first) in docs_select; role lists in a helper
# (one inside a comment, which does not count) and in docs_update; window terms in a
# policy (one negated) and in a helper (one an assignment, not a term); column grants that
# add up across statements, one made moot by a table-level grant; a column REVOKE; a guard
# trigger whose IF / ELSIF / ELSE branches raise, report or re-raise, and a trigger
# function that is no guard.
SEMANTIC_HELPERS = textwrap.dedent(
    """\
    CREATE FUNCTION public.doc_ids(roles text[]) RETURNS SETOF int LANGUAGE sql STABLE AS $$
      SELECT d.id FROM public.docs AS d WHERE d.role = ANY (roles)
    $$;

    CREATE FUNCTION public.editable_doc_ids() RETURNS SETOF int LANGUAGE sql STABLE AS $fn$
      -- not a list: ARRAY['viewer']
      SELECT public.doc_ids(ARRAY['owner', 'editor'])
      WHERE now() <= '2100-01-01'::timestamptz
    $fn$;

    CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.valid_until := now();
      RETURN NEW;
    END;
    $$;

    CREATE FUNCTION public.docs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.role = 'owner' AND OLD.role <> 'owner' THEN
        RAISE EXCEPTION 'no promotion' USING ERRCODE = '42501';
      ELSIF NEW.secret IS DISTINCT FROM OLD.secret THEN
        RAISE NOTICE 'secret changed';
      ELSIF (CASE WHEN NEW.id > 0 THEN false ELSE true END) THEN
        RAISE 'negative id';
      ELSE
        RAISE SQLSTATE '42501';
      END IF;
      RETURN NEW;
    END;
    $$;
    """
)

SEMANTIC_POLICIES = textwrap.dedent(
    """\
    ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;

    GRANT SELECT (id, owner_id, role, revoked_at, valid_until) ON public.docs TO authenticated;

    GRANT INSERT (id, role) ON public.docs TO authenticated;

    GRANT INSERT (owner_id, secret, "Notes", revoked_at) ON TABLE public.docs TO authenticated;

    GRANT UPDATE (role) ON public.docs TO authenticated;

    GRANT UPDATE ON public.docs TO authenticated;

    REVOKE SELECT (secret) ON public.docs FROM anon;

    REVOKE ALL ON public.docs FROM PUBLIC;

    CREATE POLICY docs_select ON public.docs FOR SELECT TO authenticated
      USING (
        role IN ('owner', 'editor', 'viewer')
        AND revoked_at IS NULL
        AND (valid_until IS NULL OR now() < valid_until)
      );

    CREATE POLICY docs_update ON public.docs FOR UPDATE TO authenticated, anon
      USING (id = ANY (ARRAY(SELECT public.doc_ids(ARRAY['owner']))) AND NOT valid_until < now());

    CREATE POLICY docs_public ON public.docs FOR SELECT USING (false);

    CREATE TRIGGER docs_guard BEFORE UPDATE ON public.docs
      FOR EACH ROW EXECUTE FUNCTION public.docs_guard();

    CREATE TRIGGER docs_touch BEFORE UPDATE ON public.docs
      FOR EACH ROW EXECUTE FUNCTION public.touch();
    """
)


@pytest.fixture
def semantic_dir(tmp_path: Path) -> Path:
    """A SQL dir with something for every semantic operator to weaken."""
    root = tmp_path / "semantic"
    for sub, name, text in (
        ("tables", "docs.sql", SEMANTIC_TABLE),
        ("functions", "helpers.sql", SEMANTIC_HELPERS),
        ("policies", "docs.sql", SEMANTIC_POLICIES),
    ):
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub / name).write_text(text, encoding="utf-8")
    return root


def _by_id(mutants: list[Mutant]) -> dict[str, Mutant]:
    return {m.id: m for m in mutants}


def _original(root: Path, mutant: Mutant) -> str:
    return (root / mutant.path).read_text(encoding="utf-8")


def test_semantic_mutants_of_the_toy(semantic_dir: Path) -> None:
    mutants = [m for m in generate_mutants(semantic_dir) if m.kind not in STRUCTURAL_KINDS]
    assert [(m.id, m.location) for m in mutants] == [
        ("widen-roles:public.editable_doc_ids", "functions/helpers.sql:7"),
        ("drop-window:public.editable_doc_ids", "functions/helpers.sql:8"),
        ("loosen-guard:public.docs_guard", "functions/helpers.sql:20"),
        ("loosen-guard:public.docs_guard#2", "functions/helpers.sql:24"),
        ("loosen-guard:public.docs_guard#3", "functions/helpers.sql:27"),
        ("widen-grant:public.docs.secret", "policies/docs.sql:3"),
        ("widen-grant:public.docs.Notes", "policies/docs.sql:3"),
        ("widen-grant:public.docs.valid_until", "policies/docs.sql:5"),
        ("widen-grant:public.docs.valid_until#2", "policies/docs.sql:7"),
        ("widen-grant:public.docs", "policies/docs.sql:13"),
        ("widen-roles:public.docs.docs_select", "policies/docs.sql:17"),
        ("drop-window:public.docs.docs_select", "policies/docs.sql:20"),
        ("drop-window:public.docs.docs_select#2", "policies/docs.sql:21"),
        ("drop-window:public.docs.docs_select#3", "policies/docs.sql:21"),
        ("widen-roles:public.docs.docs_update", "policies/docs.sql:24"),
        ("widen-roles:public.docs.docs_update#2", "policies/docs.sql:25"),
        ("loosen-guard:public.docs.docs_guard", "policies/docs.sql:29"),
    ]
    assert Counter(m.kind for m in mutants) == {
        WIDEN_ROLES: 4,
        DROP_WINDOW: 4,
        WIDEN_GRANT: 5,
        LOOSEN_GUARD: 4,
    }


def test_widen_roles_adds_the_next_weaker_role(semantic_dir: Path) -> None:
    by_id = _by_id(generate_mutants(semantic_dir, [WIDEN_ROLES]))
    helper = by_id["widen-roles:public.editable_doc_ids"]
    assert helper.apply(_original(semantic_dir, helper)) == SEMANTIC_HELPERS.replace(
        "SELECT public.doc_ids(ARRAY['owner', 'editor'])",
        "SELECT public.doc_ids(ARRAY['owner', 'editor', 'viewer'])",
    )
    assert helper.description == (
        "function public.editable_doc_ids: ['owner', 'editor'] gains 'viewer'"
    )
    # TO lists climb down service_role, authenticated, anon, PUBLIC
    to_authenticated = by_id["widen-roles:public.docs.docs_select"]
    assert to_authenticated.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "FOR SELECT TO authenticated\n", "FOR SELECT TO authenticated, anon\n"
    )
    to_anon = by_id["widen-roles:public.docs.docs_update"]
    assert to_anon.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "TO authenticated, anon\n", "TO authenticated, anon, PUBLIC\n"
    )
    in_policy = by_id["widen-roles:public.docs.docs_update#2"]
    assert in_policy.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "public.doc_ids(ARRAY['owner'])", "public.doc_ids(ARRAY['owner', 'editor'])"
    )
    # the ladder itself and docs_public (no TO: PUBLIC already) give nothing
    assert not any("docs_public" in m for m in by_id)


def test_role_ladders_and_next_weaker() -> None:
    lists = [
        ("admin",),
        ("owner", "admin", "billing_admin", "member"),
        ("member", "owner", "admin", "billing_admin"),  # same set: the first spelling wins
        ("project_owner", "project_admin", "developer", "analyst"),
        ("s3", "gcs"),
    ]
    ladders = role_ladders(lists)
    assert ladders == [
        ("owner", "admin", "billing_admin", "member"),
        ("project_owner", "project_admin", "developer", "analyst"),
        ("s3", "gcs"),
    ]
    assert next_weaker(["owner", "admin"], ladders) == "billing_admin"
    # the first role below the strongest one listed that the list skips
    assert next_weaker(["owner", "billing_admin"], ladders) == "admin"
    assert next_weaker(["admin"], ladders) == "billing_admin"
    assert next_weaker(["member"], ladders) is None  # nothing is weaker
    assert next_weaker(["project_owner"], ladders) == "project_admin"
    assert next_weaker(["owner", "admin", "billing_admin", "member"], ladders) is None
    assert next_weaker(["owner", "developer"], ladders) is None  # two ladders: not a role list
    assert next_weaker(["nobody"], ladders) is None


def test_drop_window_replaces_exactly_the_term(semantic_dir: Path) -> None:
    by_id = _by_id(generate_mutants(semantic_dir, [DROP_WINDOW]))
    revoked, until_null, until_now = (
        by_id[f"drop-window:public.docs.docs_select{suffix}"] for suffix in ("", "#2", "#3")
    )
    assert revoked.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "AND revoked_at IS NULL\n", "AND true\n"
    )
    assert until_null.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "(valid_until IS NULL OR now()", "(true OR now()"
    )
    assert until_now.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "OR now() < valid_until)", "OR true)"
    )
    assert until_now.description == "policy public.docs.docs_select: `now() < valid_until` (true)"
    helper = by_id["drop-window:public.editable_doc_ids"]
    assert helper.apply(_original(semantic_dir, helper)) == SEMANTIC_HELPERS.replace(
        "WHERE now() <= '2100-01-01'::timestamptz", "WHERE true"
    )
    # NOT valid_until < now() (true would strengthen it) and NEW.valid_until := now()
    # (no comparison) are not window terms
    assert len(by_id) == 4


def test_window_terms_between_and_qualified_columns() -> None:
    sql = (
        "SELECT 1 FROM t AS d WHERE d.x = 1 AND now() BETWEEN d.valid_from AND d.valid_until"
        " AND d.revoked_at IS NOT NULL AND d.a BETWEEN 1 AND current_date AND d.project_id IS NULL"
    )
    tokens = tokenize(sql)
    terms = [sql[tokens[a].start : tokens[b].end + 1] for a, b in window_terms(tokens)]
    assert terms == [
        "now() BETWEEN d.valid_from AND d.valid_until",
        "d.revoked_at IS NOT NULL",
        "d.a BETWEEN 1 AND current_date",
    ]


def test_widen_grant_adds_each_hidden_column(semantic_dir: Path) -> None:
    by_id = _by_id(generate_mutants(semantic_dir, [WIDEN_GRANT]))
    select = "GRANT SELECT (id, owner_id, role, revoked_at, valid_until) ON public.docs"
    assert by_id["widen-grant:public.docs.secret"].apply(SEMANTIC_POLICIES) == (
        SEMANTIC_POLICIES.replace(select, select.replace("valid_until)", "valid_until, secret)"))
    )
    # a quoted column stays quoted
    assert by_id["widen-grant:public.docs.Notes"].apply(SEMANTIC_POLICIES) == (
        SEMANTIC_POLICIES.replace(select, select.replace("valid_until)", 'valid_until, "Notes")'))
    )
    # the two INSERT grants add up: only valid_until is hidden from both
    assert by_id["widen-grant:public.docs.valid_until"].apply(SEMANTIC_POLICIES) == (
        SEMANTIC_POLICIES.replace("INSERT (id, role)", "INSERT (id, role, valid_until)")
    )
    assert by_id["widen-grant:public.docs.valid_until#2"].apply(SEMANTIC_POLICIES) == (
        SEMANTIC_POLICIES.replace("revoked_at) ON TABLE", "revoked_at, valid_until) ON TABLE")
    )
    assert by_id["widen-grant:public.docs.valid_until"].description == (
        "GRANT INSERT (...) ON public.docs TO authenticated gains valid_until"
    )
    # the column REVOKE is dropped with its semicolon; REVOKE ALL is no column revoke
    revoke = by_id["widen-grant:public.docs"]
    assert revoke.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "REVOKE SELECT (secret) ON public.docs FROM anon;", ""
    )
    assert revoke.description == "REVOKE SELECT (secret) ON public.docs FROM anon not run"
    # GRANT UPDATE (role) is moot: authenticated has UPDATE on the whole table
    assert len(by_id) == 5


def test_loosen_guard_makes_each_raise_unreachable(semantic_dir: Path) -> None:
    by_id = _by_id(generate_mutants(semantic_dir, [LOOSEN_GUARD]))
    first, case, other = (
        by_id[f"loosen-guard:public.docs_guard{suffix}"] for suffix in ("", "#2", "#3")
    )
    text = SEMANTIC_HELPERS
    assert first.apply(text) == text.replace(
        "IF NEW.role = 'owner' AND OLD.role <> 'owner' THEN", "IF false THEN"
    )
    # a CASE expression in the condition: its THEN is not the branch's
    assert case.apply(text) == text.replace(
        "ELSIF (CASE WHEN NEW.id > 0 THEN false ELSE true END) THEN", "ELSIF false THEN"
    )
    # RAISE in the ELSE branch: wrapped, since no condition leads to it
    assert other.apply(text) == text.replace(
        "RAISE SQLSTATE '42501';", "IF false THEN RAISE SQLSTATE '42501'; END IF;"
    )
    # RAISE NOTICE only reports: its branch is left alone
    trigger = by_id["loosen-guard:public.docs.docs_guard"]
    assert trigger.apply(SEMANTIC_POLICIES) == SEMANTIC_POLICIES.replace(
        "CREATE TRIGGER docs_guard BEFORE UPDATE ON public.docs\n"
        "  FOR EACH ROW EXECUTE FUNCTION public.docs_guard();",
        "",
    )
    assert trigger.description == (
        "trigger public.docs.docs_guard (guard public.docs_guard) not created"
    )
    # public.touch raises nothing: it is no guard, and docs_touch stays
    assert len(by_id) == 4


def test_guarded_raises_in_nested_blocks() -> None:
    body = textwrap.dedent(
        """\
        BEGIN
          IF a THEN
            CASE b WHEN 1 THEN RAISE EXCEPTION 'in case'; ELSE NULL; END CASE;
            IF c THEN NULL; ELSE RAISE 'nested else'; END IF;
          END IF;
          RAISE USING MESSAGE = 'always';
        EXCEPTION WHEN others THEN
          RAISE;
        END;
        """
    )
    tokens = tokenize(body)
    found = [
        (how, body[tokens[a].start : tokens[b].end + 1]) for how, a, b in guarded_raises(tokens)
    ]
    assert found == [
        ("raise", "RAISE EXCEPTION 'in case';"),
        ("raise", "RAISE 'nested else';"),
        ("raise", "RAISE USING MESSAGE = 'always';"),
    ]


def test_every_semantic_mutant_still_parses(semantic_dir: Path, tmp_path: Path) -> None:
    for i, mutant in enumerate(generate_mutants(semantic_dir)):
        copy = tmp_path / f"copy{i}"
        shutil.copytree(semantic_dir, copy)
        mutant.write(copy)
        assert (copy / mutant.path).read_text(encoding="utf-8") != _original(
            semantic_dir, mutant
        ), mutant.id
        build_plan(copy, display_root=copy)  # PostgreSQL's parser, PL/pgSQL bodies included


def test_kinds_filter(semantic_dir: Path) -> None:
    only = generate_mutants(semantic_dir, [DROP_WINDOW, RLS_OFF])
    assert {m.kind for m in only} == {DROP_WINDOW, RLS_OFF}
    assert only == [m for m in generate_mutants(semantic_dir) if m.kind in (DROP_WINDOW, RLS_OFF)]
    with pytest.raises(MutationError, match="unknown mutant kind widen"):
        generate_mutants(semantic_dir, ["widen"])
