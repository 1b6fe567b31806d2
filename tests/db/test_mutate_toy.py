"""`schemactl rls mutate` end to end on a toy SQL dir and toy test suites (real PostgreSQL).

A strong toy suite kills every mutant; a deliberately weak one (it only counts rows as
superuser) lets them survive, and the command then exits 1. A policy that a later
statement names (COMMENT ON POLICY) makes its drop-policy mutant stillborn. Each semantic
operator's mutant of a second toy applies and changes what it says it changes.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.core.plan import build_plan
from schemactl.rls.mutate import (
    KILLED,
    STILLBORN,
    STRUCTURAL_KINDS,
    SURVIVED,
    MutationError,
    generate_mutants,
    run_mutants,
)
from schemactl.testing import TestServer

pytestmark = pytest.mark.db

TABLE = (
    "CREATE TABLE public.mutate_notes (id int PRIMARY KEY, owner_id uuid NOT NULL, body text);\n"
)

POLICIES = textwrap.dedent(
    """\
    ALTER TABLE public.mutate_notes ENABLE ROW LEVEL SECURITY;

    GRANT SELECT, INSERT ON public.mutate_notes TO authenticated;

    CREATE POLICY notes_select ON public.mutate_notes FOR SELECT TO authenticated
      USING (owner_id = (SELECT auth.uid()));

    -- the comment names the policy: without the policy this file no longer applies
    COMMENT ON POLICY notes_select ON public.mutate_notes IS 'own rows (only)';

    CREATE POLICY notes_insert ON public.mutate_notes FOR INSERT TO authenticated
      WITH CHECK (owner_id = (SELECT auth.uid()));
    """
)

STRONG_TESTS = textwrap.dedent(
    """\
    import psycopg
    import pytest

    A = "00000000-0000-4000-8000-00000000000a"
    B = "00000000-0000-4000-8000-00000000000b"


    def test_reads_only_own_rows(schemactl_db, as_user):
        schemactl_db.execute(
            "INSERT INTO public.mutate_notes VALUES (1, %s, 'a'), (2, %s, 'b')", (A, B)
        )
        with as_user(A) as cur:
            assert cur.execute("SELECT id FROM public.mutate_notes").fetchall() == [(1,)]


    def test_inserts_own_rows(schemactl_db, as_user):
        with as_user(A) as cur:
            cur.execute("INSERT INTO public.mutate_notes VALUES (3, %s, 'mine')", (A,))
            assert cur.rowcount == 1


    def test_cannot_insert_for_another_user(schemactl_db, as_user):
        with as_user(A) as cur, pytest.raises(psycopg.errors.InsufficientPrivilege):
            cur.execute("INSERT INTO public.mutate_notes VALUES (4, %s, 'theirs')", (B,))


    def test_policies_are_for_signed_in_users_only(schemactl_db):
        rows = schemactl_db.execute(
            "SELECT polroles::regrole[]::text[] FROM pg_policy"
            " WHERE polrelid = 'public.mutate_notes'::regclass"
        ).fetchall()
        assert rows and all(roles == ["authenticated"] for (roles,) in rows)
    """
)

# Only checks something irrelevant to the policies: every mutant survives it.
WEAK_TESTS = textwrap.dedent(
    """\
    def test_table_starts_empty(schemactl_db):
        assert schemactl_db.execute("SELECT count(*) FROM public.mutate_notes").fetchone() == (0,)
    """
)


def _write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.sql"))
    }


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    """The toy SQL dir: one table, RLS on, two policies (7 mutants)."""
    return _write(tmp_path / "sql", {"tables/notes.sql": TABLE, "policies/notes.sql": POLICIES})


@pytest.fixture
def test_env(schemactl_server: TestServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The mutants' test runs use this session's server (no embedded server of their own)."""
    env = {"SCHEMACTL_TEST_DSN": schemactl_server.admin_url}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _args(tests: Path) -> list[str]:
    return ["-x", "-q", "-p", "no:cacheprovider", str(tests)]


def test_strong_suite_kills_every_mutant(
    sql_dir: Path, tmp_path: Path, test_env: dict[str, str]
) -> None:
    tests = _write(tmp_path / "strong", {"test_strong.py": STRONG_TESTS})
    before = _digest(sql_dir)
    seen: list[str] = []
    report = run_mutants(
        sql_dir,
        _args(tests),
        jobs=4,
        cwd=tmp_path,
        env=test_env,
        on_result=lambda r: seen.append(r.mutant.id),
    )
    status = {r.mutant.id: r.status for r in report.results}
    assert status == {
        "rls-off:public.mutate_notes": KILLED,
        "using-true:public.mutate_notes.notes_select": KILLED,
        # COMMENT ON POLICY notes_select fails without the policy: proves nothing
        "drop-policy:public.mutate_notes.notes_select": STILLBORN,
        "check-true:public.mutate_notes.notes_insert": KILLED,
        "drop-policy:public.mutate_notes.notes_insert": KILLED,
        # TO authenticated, anon: anon holds no privilege, only the catalog test sees it
        "widen-roles:public.mutate_notes.notes_select": KILLED,
        "widen-roles:public.mutate_notes.notes_insert": KILLED,
    }
    assert sorted(seen) == sorted(status)
    assert report.generated == 7 and not report.survived and not report.errors
    assert all(r.returncode == 1 for r in report.results)
    # the mutants worked on copies: the SQL dir itself is untouched
    assert _digest(sql_dir) == before


def test_weak_suite_reports_survivors_and_exits_1(
    sql_dir: Path, tmp_path: Path, test_env: dict[str, str]
) -> None:
    tests = _write(tmp_path / "weak", {"test_weak.py": WEAK_TESTS})
    # a sample of 2 (one using-true, one check-true) keeps this test short
    result = CliRunner().invoke(
        main,
        ["rls", "mutate", str(sql_dir), "--sample", "2", "--jobs", "2", "--", *_args(tests)],
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    # one line per mutant (in the order they finished), then the summary and the survivors
    assert sorted(line.split()[:4] for line in lines[:2]) == [
        ["SURVIVED", "check-true", "public.mutate_notes.notes_insert", "policies/notes.sql:11"],
        ["SURVIVED", "using-true", "public.mutate_notes.notes_select", "policies/notes.sql:5"],
    ]
    assert lines[2].startswith("2 of 7 mutants run: 0 killed, 2 survived;")
    assert lines[3:] == [
        "killed/total per operator:",
        "  using-true  0/1 killed, 1 survived",
        "  check-true  0/1 killed, 1 survived",
        "survivor: using-true public.mutate_notes.notes_select at policies/notes.sql:5",
        "survivor: check-true public.mutate_notes.notes_insert at policies/notes.sql:11",
    ]
    assert "schemactl: rls mutate: 2 mutants survived" in result.stderr


def test_failing_baseline_stops_with_exit_2(
    sql_dir: Path, tmp_path: Path, test_env: dict[str, str]
) -> None:
    tests = _write(tmp_path / "failing", {"test_fail.py": "def test_no():\n    assert False\n"})
    result = CliRunner().invoke(main, ["rls", "mutate", str(sql_dir), "--", *_args(tests)])
    assert result.exit_code == 2, result.output
    assert "baseline: the test command exited 1" in result.stderr
    assert result.stdout == ""  # no mutant ran


def test_no_tests_is_an_error_not_a_kill(
    sql_dir: Path, tmp_path: Path, test_env: dict[str, str]
) -> None:
    empty = _write(tmp_path / "empty", {"README": "no tests here\n"})
    with pytest.raises(MutationError, match="exited 5"):
        run_mutants(sql_dir, _args(empty), cwd=tmp_path, env=test_env)


def test_timeout_interrupts_the_run(
    sql_dir: Path, tmp_path: Path, test_env: dict[str, str]
) -> None:
    tests = _write(
        tmp_path / "slow",
        {"test_slow.py": "import time\n\ndef test_slow():\n    time.sleep(60)\n"},
    )
    started = time.perf_counter()
    with pytest.raises(MutationError, match="timed out"):
        run_mutants(sql_dir, _args(tests), cwd=tmp_path, env=test_env, timeout=3)
    # SIGINT ends pytest at once; far below the test's own 60 s
    assert time.perf_counter() - started < 20


def test_list_runs_nothing(sql_dir: Path) -> None:
    result = CliRunner().invoke(main, ["rls", "mutate", str(sql_dir), "--list"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(generate_mutants(sql_dir)) == 7


def test_one_shared_server_when_no_dsn_is_given(
    sql_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHEMACTL_TEST_DSN", raising=False)
    monkeypatch.delenv("SCHEMACTL_TEST_BACKEND", raising=False)
    tests = _write(tmp_path / "weak", {"test_weak.py": WEAK_TESTS})
    report = run_mutants(sql_dir, _args(tests), sample=1, cwd=tmp_path)
    (result,) = report.results
    assert result.status == SURVIVED, result.output_tail
    # the plugin's summary names its server: the URL run_mutants handed over, not one
    # embedded server per test run
    assert "server: dsn, server_version_num 18" in result.output_tail


# ---------------------------------------------------------------------------- semantic toy

SEMANTIC_SQL = {
    "tables/docs.sql": (
        "CREATE TABLE public.mut_docs (\n"
        "  id int PRIMARY KEY, role text NOT NULL, secret text, valid_until timestamptz\n"
        ");\n"
    ),
    "functions/docs.sql": textwrap.dedent(
        """\
        CREATE FUNCTION public.mut_doc_ids(roles text[]) RETURNS SETOF int
        LANGUAGE sql STABLE AS $$
          SELECT d.id FROM public.mut_docs AS d
          WHERE d.role = ANY (roles) AND now() < d.valid_until
        $$;

        CREATE FUNCTION public.mut_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.role = 'owner' THEN
            RAISE EXCEPTION 'no new owners' USING ERRCODE = '42501';
          END IF;
          RETURN NEW;
        END;
        $$;
        """
    ),
    "policies/docs.sql": textwrap.dedent(
        """\
        ALTER TABLE public.mut_docs ENABLE ROW LEVEL SECURITY;

        GRANT SELECT (id, role, valid_until), INSERT ON public.mut_docs TO authenticated;

        CREATE POLICY mut_docs_select ON public.mut_docs FOR SELECT TO authenticated
          USING (
            id IN (SELECT public.mut_doc_ids(ARRAY['owner', 'editor', 'viewer']))
            AND role IN ('owner', 'editor')
          );

        CREATE TRIGGER mut_docs_guard BEFORE INSERT ON public.mut_docs
          FOR EACH ROW EXECUTE FUNCTION public.mut_guard();
        """
    ),
}


def _holds(conn: psycopg.Connection[Any], sql: str) -> bool:
    row = conn.execute(sql).fetchone()
    return bool(row and row[0])


def _owner_inserted(conn: psycopg.Connection[Any]) -> bool:
    try:
        with conn.transaction():
            conn.execute("INSERT INTO public.mut_docs VALUES (10, 'owner', NULL, NULL)")
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


def _expired_listed(conn: psycopg.Connection[Any]) -> bool:
    with conn.transaction(force_rollback=True):
        conn.execute(
            "INSERT INTO public.mut_docs VALUES (9, 'editor', NULL, now() - interval '1 day')"
        )
        return _holds(conn, "SELECT 9 IN (SELECT public.mut_doc_ids(ARRAY['editor']))")


# what each weakening changes in the database, looked at after applying the mutated dir
PROBES: dict[str, Callable[[psycopg.Connection[Any]], bool]] = {
    "anon has a policy": lambda c: _holds(
        c,
        "SELECT bool_or('anon'::regrole = ANY (polroles)) FROM pg_policy"
        " WHERE polrelid = 'public.mut_docs'::regclass",
    ),
    "viewer passes the role test": lambda c: _holds(
        c,
        "SELECT pg_get_expr(polqual, polrelid) LIKE '%role = ANY (ARRAY[''owner''::text,"
        " ''editor''::text, ''viewer''::text])%' FROM pg_policy WHERE polname = 'mut_docs_select'",
    ),
    "an expired row is listed": _expired_listed,
    "the secret is readable": lambda c: _holds(
        c, "SELECT has_column_privilege('authenticated', 'public.mut_docs', 'secret', 'SELECT')"
    ),
    "an owner row gets in": _owner_inserted,
}

# in file order: functions/, then policies/
EFFECTS = {
    "drop-window:public.mut_doc_ids": {"an expired row is listed"},
    "loosen-guard:public.mut_guard": {"an owner row gets in"},
    "widen-grant:public.mut_docs.secret": {"the secret is readable"},
    "widen-roles:public.mut_docs.mut_docs_select": {"anon has a policy"},
    "widen-roles:public.mut_docs.mut_docs_select#2": {"viewer passes the role test"},
    "loosen-guard:public.mut_docs.mut_docs_guard": {"an owner row gets in"},
}


def _applied_effects(conn: psycopg.Connection[Any], sql_dir: Path) -> set[str]:
    """Apply the dir in a transaction, probe, roll back: which probes hold."""
    plan = build_plan(sql_dir, display_root=sql_dir)
    with conn.transaction(force_rollback=True):
        for st in plan.statements:
            conn.execute(st.sql.encode())  # as apply runs it: the text, no parameters
        return {name for name, probe in PROBES.items() if probe(conn)}


def test_each_semantic_mutant_applies_and_weakens_what_it_says(
    schemactl_db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    """Every semantic mutant of a toy dir is SQL the server accepts, and changes exactly the
    rule it names (the unmutated dir holds none of the probes: each one can fail)."""
    root = _write(tmp_path / "sql", SEMANTIC_SQL)
    assert _applied_effects(schemactl_db, root) == set()
    mutants = [m for m in generate_mutants(root) if m.kind not in STRUCTURAL_KINDS]
    assert [m.id for m in mutants] == list(EFFECTS)
    for i, mutant in enumerate(mutants):
        copy = tmp_path / f"m{i}"
        shutil.copytree(root, copy)
        mutant.write(copy)
        assert _applied_effects(schemactl_db, copy) == EFFECTS[mutant.id], mutant.description
