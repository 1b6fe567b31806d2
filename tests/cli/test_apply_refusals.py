"""`schemactl apply` refuses what would break its one transaction or leak session state.

Each refusal: exit 2, one line naming the statement's file:line:col, and the database
untouched (the refusal comes before anything runs). Also: the deferral safety net as the
CLI shows it, and the ledger written as the session user whatever a DO block did.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from schemactl.cli import main


def make_sql(root: Path, files: dict[str, str]) -> Path:
    sql_dir = root / "sql"
    for rel, text in files.items():
        (sql_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (sql_dir / rel).write_text(text)
    return sql_dir


def state(url: str) -> dict[str, object]:
    """What an apply would have changed: relations, schemas, roles, databases."""
    with psycopg.connect(url) as conn:
        relations = conn.execute(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
        ).fetchall()
        schemas = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname IN ('schemactl', 'auth')"
        ).fetchall()
        databases = conn.execute(
            "SELECT datname FROM pg_database WHERE datname = 'refused_db'"
        ).fetchall()
        tablespaces = conn.execute(
            "SELECT spcname FROM pg_tablespace WHERE spcname = 'refused_ts'"
        ).fetchall()
    return {
        "relations": sorted(relations),
        "schemas": sorted(schemas),
        "databases": databases,
        "tablespaces": tablespaces,
    }


def apply(sql_dir: Path, url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["apply", str(sql_dir), "--database-url", url, *args])


# (statement placed at line 2, column 3 of a.sql; what the error line must name)
REFUSED = {
    # transaction control: the same message as BEGIN
    "release_savepoint": ("RELEASE SAVEPOINT s1;", "RELEASE is not allowed"),
    "start_transaction": (
        "start transaction isolation level serializable;",
        "START is not allowed",
    ),
    "begin_lowercase": ("begin;", "BEGIN is not allowed"),
    # session state
    "set_role": ("SET ROLE anon;", "SET ROLE is not allowed"),
    "set_local_role": ("set local role anon;", "SET LOCAL ROLE is not allowed"),
    "set_session_authorization": (
        "SET SESSION AUTHORIZATION postgres;",
        "SET SESSION AUTHORIZATION is not allowed",
    ),
    "reset_role": ("RESET ROLE;", "RESET ROLE is not allowed"),
    "reset_session_authorization": (
        "RESET SESSION AUTHORIZATION;",
        "RESET SESSION AUTHORIZATION is not allowed",
    ),
    "reset_all": ("RESET ALL;", "RESET ALL is not allowed"),
    "set_search_path": ("SET search_path = app, public;", "SET search_path is not allowed"),
    "set_local_search_path": (
        "SET LOCAL search_path TO app;",
        "SET LOCAL search_path is not allowed",
    ),
    "set_config_search_path": (
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "set_config('search_path', ...) is not allowed",
    ),
    "set_config_role": (
        "SELECT set_config('role', 'anon', true);",
        "set_config('role', ...) is not allowed",
    ),
    # psql data streams
    "copy_from_stdin": (
        "COPY a (id) FROM stdin;\n1\n2\n\\.\n",
        "COPY ... FROM STDIN is not allowed",
    ),
    "copy_to_stdout": ("COPY a TO STDOUT;", "COPY ... TO STDOUT is not allowed"),
    # cannot run in a transaction block / whole server
    "vacuum": ("VACUUM a;", "VACUUM is not allowed"),
    "create_index_concurrently": (
        "CREATE INDEX CONCURRENTLY a_idx ON a (id);",
        "CREATE INDEX CONCURRENTLY is not allowed",
    ),
    "reindex_concurrently": (
        "REINDEX TABLE CONCURRENTLY a;",
        "REINDEX ... CONCURRENTLY is not allowed",
    ),
    "create_database": ("CREATE DATABASE refused_db;", "CREATE DATABASE is not allowed"),
    "drop_database": ("DROP DATABASE refused_db;", "DROP DATABASE is not allowed"),
    "alter_system": ("ALTER SYSTEM SET work_mem = '8MB';", "ALTER SYSTEM is not allowed"),
    "create_tablespace": (
        "CREATE TABLESPACE refused_ts LOCATION '/tmp';",
        "CREATE TABLESPACE is not allowed",
    ),
    "drop_tablespace": ("DROP TABLESPACE refused_ts;", "DROP TABLESPACE is not allowed"),
}

@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_before_anything_runs(tmp_path: Path, schemactl_empty_db: str, case: str) -> None:
    statement, expected = REFUSED[case]
    sql_dir = make_sql(
        tmp_path,
        {
            "a.sql": f"CREATE TABLE a (id int);\n  {statement}\n",
            "b.sql": "CREATE TABLE b (id int);\n",
        },
    )
    before = state(schemactl_empty_db)
    result = apply(sql_dir, schemactl_empty_db)
    assert result.exit_code == 2, result.output
    stderr = result.stderr
    first, *rest = stderr.splitlines()
    assert first.startswith(f"schemactl: {sql_dir}/a.sql:2:3: {expected}: "), stderr
    assert all(line.startswith("  hint: ") for line in rest), stderr
    assert "Traceback" not in result.output + stderr
    assert state(schemactl_empty_db) == before


def test_dry_run_refuses_too(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path, {"a.sql": "CREATE TABLE a (id int);\nVACUUM a;\n"})
    result = apply(sql_dir, schemactl_empty_db, "--dry-run")
    assert result.exit_code == 2, result.output
    assert "a.sql:2:1: VACUUM is not allowed" in result.stderr


def test_harmless_settings_stay_allowed(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(
        tmp_path,
        {
            "f.sql": "SET check_function_bodies = false;\n"
            "SET client_min_messages = warning;\n"
            "CREATE FUNCTION later() RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM t $$;\n"
            "COMMENT ON FUNCTION later() IS 'SET ROLE anon; VACUUM; BEGIN';\n",
        },
    )
    result = apply(sql_dir, schemactl_empty_db, "--auth-shim", "never")
    assert result.exit_code == 0, result.output
    with psycopg.connect(schemactl_empty_db) as conn:
        assert conn.execute("SELECT to_regprocedure('later()') IS NOT NULL").fetchone() == (True,)


def test_ledger_is_written_as_the_session_user_after_a_do_block_changed_role(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    # a DO block can change the role where apply cannot see it; the ledger must not be
    # written as anon (who may not create schema schemactl)
    sql_dir = make_sql(
        tmp_path,
        {
            "a.sql": "CREATE TABLE a (id int);\n"
            "DO $$ BEGIN PERFORM set_config('role', 'anon', false); END $$;\n",
        },
    )
    result = apply(sql_dir, schemactl_empty_db)  # the auth shim creates role anon
    assert result.exit_code == 0, result.output
    with psycopg.connect(schemactl_empty_db) as conn:
        user = conn.execute("SELECT session_user::text").fetchone()
        ledger = conn.execute(
            "SELECT role::text, session_role::text FROM schemactl.runs"
        ).fetchall()
        owner = conn.execute(
            "SELECT relowner::regrole::text FROM pg_class WHERE oid = 'schemactl.runs'::regclass"
        ).fetchone()
    assert user is not None
    assert ledger == [(user[0], user[0])]
    assert owner == user


# order cannot see a table made by dynamic SQL it cannot evaluate: the index on it is
# ordered first (files sort by name where no edge says otherwise) and has to wait for it
DYNAMIC = {
    "a_index.sql": "CREATE INDEX dyn_id_idx ON dyn (id);\n",
    "b_dynamic.sql": "DO $$ BEGIN EXECUTE reverse(')tni di( nyd ELBAT ETAERC'); END $$;\n",
}


def test_a_deferral_is_a_warning_on_stderr(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path, DYNAMIC)
    result = apply(sql_dir, schemactl_empty_db, "--auth-shim", "never")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"schemactl: warning: {sql_dir}/a_index.sql:1:1: waited for relation"
        ' "dyn": order has no edge for it'
    ]
    with psycopg.connect(schemactl_empty_db) as conn:
        assert conn.execute("SELECT to_regclass('dyn_id_idx') IS NOT NULL").fetchone() == (True,)


def test_strict_makes_a_deferral_exit_2_and_changes_nothing(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    sql_dir = make_sql(tmp_path, DYNAMIC)
    before = state(schemactl_empty_db)
    result = apply(sql_dir, schemactl_empty_db, "--auth-shim", "never", "--strict")
    assert result.exit_code == 2, result.output
    first = result.stderr.splitlines()[0]
    assert first == (
        f'schemactl: {sql_dir}/a_index.sql:1:1: waited for relation "dyn": order has no edge for it'
    )
    assert state(schemactl_empty_db) == before


def test_strict_from_the_environment(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = make_sql(tmp_path, DYNAMIC)
    result = CliRunner().invoke(
        main,
        ["apply", str(sql_dir), "--database-url", schemactl_empty_db, "--auth-shim", "never"],
        env={"SCHEMACTL_STRICT": "true"},
    )
    assert result.exit_code == 2, result.output
    assert "waited for relation" in result.stderr
