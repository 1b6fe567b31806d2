"""core/refuse.py: which statements apply refuses before anything runs (no server)."""

from __future__ import annotations

import hashlib

import pytest

from schemactl.core.refuse import check_plan, copy_data_error, refusal
from schemactl.errors import SourceError
from schemactl.model import Plan, SqlFile, Statement


def sql_file(text: str, relpath: str = "x.sql") -> SqlFile:
    return SqlFile(relpath, f"sql/{relpath}", text, hashlib.sha256(text.encode()).hexdigest())


def statement(text: str, relpath: str = "x.sql", offset: int = 0, line: int = 1) -> Statement:
    return Statement(
        file=sql_file(text, relpath),
        index=0,
        offset=offset,
        line=line,
        col=1,
        sql=text,
        kind=text.split()[0].upper() if text.split() else "",
    )


REFUSED = [
    # transaction control, any spelling
    ("BEGIN", "BEGIN"),
    ("begin isolation level serializable", "BEGIN"),
    ("start transaction isolation level serializable", "START"),
    ("COMMIT", "COMMIT"),
    ("end", "END"),
    ("ABORT", "ABORT"),
    ("ROLLBACK TO SAVEPOINT s", "ROLLBACK"),
    ("SAVEPOINT s", "SAVEPOINT"),
    ("RELEASE SAVEPOINT s1", "RELEASE"),
    ("release s1", "RELEASE"),
    ("PREPARE TRANSACTION 'x'", "PREPARE"),
    # who runs the statements
    ("SET ROLE anon", "SET ROLE"),
    ("set local role anon", "SET LOCAL ROLE"),
    ("SET SESSION ROLE anon", "SET SESSION ROLE"),
    ("SET role = 'anon'", "SET ROLE"),
    ('SET "role" TO anon', "SET ROLE"),
    ("SET SESSION AUTHORIZATION x", "SET SESSION AUTHORIZATION"),
    ("SET LOCAL SESSION AUTHORIZATION x", "SET LOCAL SESSION AUTHORIZATION"),
    ("SET session_authorization = x", "SET session_authorization"),
    ("RESET ROLE", "RESET ROLE"),
    ("reset session authorization", "RESET SESSION AUTHORIZATION"),
    ("RESET ALL", "RESET ALL"),
    # how names resolve
    ("SET search_path = app, public", "SET search_path"),
    ("SET search_path TO DEFAULT", "SET search_path"),
    ("set local SEARCH_PATH = x", "SET LOCAL search_path"),
    ('SET "search_path" = x', "SET search_path"),
    ("SET SCHEMA 'app'", "SET SCHEMA"),
    ("RESET search_path", "RESET search_path"),
    # set_config with the same effect, pg_dump's spelling included
    ("SELECT pg_catalog.set_config('search_path', '', false)", "set_config('search_path', ...)"),
    ("select set_config($$ROLE$$, 'x', true)", "set_config('role', ...)"),
    ("select set_config(E'search\\x5fpath', 'x', true)", "set_config('search_path', ...)"),
    ("SELECT 1 FROM set_config('session_authorization', 'x', false)", "set_config("),
    ("CREATE TABLE t AS SELECT set_config('role', 'x', true)", "set_config('role', ...)"),
    # psql data streams
    ("COPY a FROM stdin", "COPY ... FROM STDIN"),
    ("copy a (id) from STDIN with (format csv)", "COPY ... FROM STDIN"),
    ("COPY (SELECT 1) TO STDOUT", "COPY ... TO STDOUT"),
    # not in a transaction block, or the whole server
    ("VACUUM a", "VACUUM"),
    ("vacuum (analyze) a", "VACUUM"),
    ("CREATE INDEX CONCURRENTLY i ON a (id)", "CREATE INDEX CONCURRENTLY"),
    ("create unique index concurrently i on a (id)", "CREATE INDEX CONCURRENTLY"),
    ("DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"),
    ("REINDEX TABLE CONCURRENTLY a", "REINDEX ... CONCURRENTLY"),
    ("REINDEX (CONCURRENTLY) TABLE a", "REINDEX ... CONCURRENTLY"),
    ("REINDEX DATABASE x", "REINDEX DATABASE"),
    ("REINDEX SYSTEM", "REINDEX SYSTEM"),
    ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", "ALTER TABLE ... DETACH PARTITION"),
    ("CREATE DATABASE x", "CREATE DATABASE"),
    ("drop database if exists x", "DROP DATABASE"),
    ("ALTER SYSTEM SET work_mem = '8MB'", "ALTER SYSTEM"),
    ("CREATE TABLESPACE ts LOCATION '/tmp'", "CREATE TABLESPACE"),
    ("DROP TABLESPACE ts", "DROP TABLESPACE"),
    ("DISCARD ALL", "DISCARD ALL"),
]


@pytest.mark.parametrize(("sql", "what"), REFUSED)
def test_refused(sql: str, what: str) -> None:
    found = refusal(statement(sql))
    assert found is not None, sql
    assert found.what.startswith(what)
    assert found.why and found.hint


ALLOWED = [
    "CREATE TABLE a (id int)",
    "SET check_function_bodies = false",
    "SET client_min_messages = warning",
    "set local statement_timeout = '1s'",
    "SET app.role = 'x'",  # a custom setting, not the role
    "RESET client_min_messages",
    "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
    "COPY a FROM '/tmp/a.csv'",
    "ANALYZE a",
    "CREATE INDEX i ON a (id)",
    "REINDEX TABLE a",
    "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
    "DISCARD PLANS",
    "ALTER DATABASE app SET search_path = app, public",  # for later sessions, not this one
    "ALTER ROLE app SET role = 'x'",
    "ALTER FUNCTION f() SET search_path = ''",  # scoped to the function
    "CREATE FUNCTION f() RETURNS void LANGUAGE sql SET search_path = '' AS $$ SELECT 1 $$",
    "CREATE FUNCTION f() RETURNS void LANGUAGE sql"
    " BEGIN ATOMIC SELECT set_config('search_path', 'x', true); END",
    "CREATE VIEW v AS SELECT set_config('role', 'x', true)",
    "select set_config('app.tenant', 'x', true)",
    "select 'set_config(''search_path'', 1); SET ROLE x; VACUUM'",
    "COMMENT ON TABLE t IS 'BEGIN; SET ROLE x; VACUUM; CREATE DATABASE x'",
    "DO $$ BEGIN PERFORM set_config('role', 'x', false); END $$",  # inside a body: unseen
    "-- SET ROLE x\nCREATE TABLE b (id int)",
    'CREATE TABLE "set" (database int, system int, tablespace int, "begin" int)',
    "CREATE TABLE t (id int DEFAUL 0",  # unscannable or wrong: the server names it
]


@pytest.mark.parametrize("sql", ALLOWED)
def test_allowed(sql: str) -> None:
    assert refusal(statement(sql)) is None


def test_error_is_one_line_at_the_statement() -> None:
    text = "CREATE TABLE a (id int);\n  SET ROLE anon;\n"
    st = Statement(
        file=sql_file(text), index=1, offset=27, line=2, col=3, sql="SET ROLE anon", kind="SET"
    )
    found = refusal(st)
    assert found is not None
    error = found.error(st)
    assert isinstance(error, SourceError)
    assert error.message == (
        "sql/x.sql:2:3: SET ROLE is not allowed: apply orders statements across files by "
        "dependency, so a session setting would leak into statements of other files"
    )
    assert error.exit_code == 2
    assert "--owner" in (error.hint or "") and "schema-qualify" in (error.hint or "")


def test_check_plan_names_the_first_refusal_in_file_order() -> None:
    late = statement("VACUUM", relpath="b.sql")
    early = statement("SET ROLE anon", relpath="a.sql", offset=30, line=3)
    fine = statement("CREATE TABLE t (id int)", relpath="a.sql")
    plan = Plan(
        sql_dir="sql",
        files=(late.file, early.file),
        statements=(fine, late, early),
        depends_on=((), (), ()),
    )
    with pytest.raises(SourceError) as caught:
        check_plan(plan)
    assert caught.value.message.startswith("sql/a.sql:3:1: SET ROLE is not allowed")


def test_check_plan_passes_a_clean_plan() -> None:
    st = statement("CREATE TABLE t (id int)")
    check_plan(Plan(sql_dir="sql", files=(st.file,), statements=(st,), depends_on=((),)))


PG_DUMP = (
    "SET statement_timeout = 0;\n"
    "CREATE TABLE public.t (id integer, name text);\n"
    "\n"
    "COPY public.t (id, name) FROM stdin;\n"
    "1\tone\n"
    "2\ttwo; or three\n"
    "\\.\n"
    "\n"
    "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n"
)


def test_copy_data_error_names_the_copy_not_its_rows() -> None:
    error = copy_data_error(sql_file(PG_DUMP, "dump.sql"))
    assert error is not None
    assert error.message.startswith("sql/dump.sql:4:1: COPY ... FROM STDIN is not allowed: ")
    assert "INSERT" in (error.hint or "")


def test_copy_data_error_with_data_to_the_end_of_the_file() -> None:
    text = "CREATE TABLE t (id int);\n  copy t from STDIN;\n1\n2\n"
    error = copy_data_error(sql_file(text))
    assert error is not None
    assert error.message.startswith("sql/x.sql:2:3: COPY ... FROM STDIN")


@pytest.mark.parametrize(
    "text",
    [
        "CREATE TABLE t (id int);\n",
        "COPY t FROM '/tmp/t.csv';\n\\.\n",  # a marker, but no COPY FROM STDIN before it
        "\\.\nCOPY t FROM stdin;\n",  # the COPY comes after the first marker
    ],
)
def test_copy_data_error_none(text: str) -> None:
    assert copy_data_error(sql_file(text)) is None
