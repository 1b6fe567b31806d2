"""The shipped pytest fixtures really isolate tests and really drop privileges."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from schemactl.testing import (
    ImpersonationError,
    TestServer,
    as_role,
    assert_denied,
    assert_visible,
)

pytestmark = pytest.mark.db

# A table no fixture or other test creates: if a second test sees it, isolation is broken.
_MARKER_TABLE = "fixture_isolation_marker"


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_gets_a_fresh_empty_database(schemactl_empty_db: str, round_: int) -> None:
    # both rounds create the marker table: the second would fail if it saw the first's
    assert _tables(schemactl_empty_db) == set()
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} (round int)").format(sql.Identifier(_MARKER_TABLE)))
        conn.execute(
            sql.SQL("INSERT INTO {} VALUES (%s)").format(sql.Identifier(_MARKER_TABLE)), [round_]
        )
    assert _tables(schemactl_empty_db) == {f"public.{_MARKER_TABLE}"}


def test_empty_database_is_dropped_after_the_test(
    schemactl_server: TestServer, schemactl_admin: psycopg.Connection[Any]
) -> None:
    # drive the fixture's own create/drop helpers the way the fixture does
    from schemactl.testing.server import create_database, drop_database, unique_name

    name = unique_name("sct_probe")
    create_database(schemactl_admin, name, template="template0")
    held = psycopg.connect(schemactl_server.url_for(name), autocommit=True)
    try:
        # an open session must not prevent the drop (WITH (FORCE))
        held.execute("SELECT 1")
        drop_database(schemactl_admin, name)
    finally:
        held.close()
    row = schemactl_admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    assert row.fetchone() is None


def test_server_is_described(schemactl_server: TestServer) -> None:
    assert schemactl_server.kind in {"dsn", "docker", "embedded"}
    assert schemactl_server.version_num >= 150000
    with psycopg.connect(schemactl_server.url_for("postgres")) as conn:
        assert conn.info.dbname == "postgres"
        assert conn.info.server_version == schemactl_server.version_num


# --- impersonation on a hand-made schema (independent of sql/) -------------------------------


@pytest.fixture
def rls_world(
    schemactl_empty_db: str, schemactl_admin: psycopg.Connection[Any]
) -> Iterator[tuple[psycopg.Connection[Any], dict[str, str]]]:
    """A database with an RLS-protected table and three throwaway roles (unique names)."""
    tag = uuid.uuid4().hex[:8]
    roles = {
        "user": f"sct_user_{tag}",  # plain role: RLS applies
        "bypass": f"sct_bypass_{tag}",  # BYPASSRLS: must be refused by as_role
        "super": f"sct_super_{tag}",  # SUPERUSER: must be refused by as_role
    }
    schemactl_admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(roles["user"])))
    schemactl_admin.execute(
        sql.SQL("CREATE ROLE {} NOLOGIN BYPASSRLS").format(sql.Identifier(roles["bypass"]))
    )
    schemactl_admin.execute(
        sql.SQL("CREATE ROLE {} NOLOGIN SUPERUSER").format(sql.Identifier(roles["super"]))
    )
    conn = psycopg.connect(schemactl_empty_db)
    try:
        conn.execute(
            """
            CREATE TABLE notes (owner text NOT NULL, body text NOT NULL);
            ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_notes ON notes
              USING (owner = current_setting('request.jwt.claim.sub', true))
              WITH CHECK (owner = current_setting('request.jwt.claim.sub', true));
            INSERT INTO notes VALUES ('alice', 'a1'), ('alice', 'a2'), ('bob', 'b1');
            """
        )
        for role in roles.values():
            conn.execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO {}").format(
                    sql.Identifier(role)
                )
            )
        conn.commit()
        yield conn, roles
    finally:
        conn.close()
        # privileges live in the database: drop it before the roles can go
        with psycopg.connect(schemactl_empty_db, autocommit=True) as c:
            for role in roles.values():
                c.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        for role in roles.values():
            schemactl_admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_as_role_drops_superuser_and_sets_claims(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]],
) -> None:
    conn, roles = rls_world
    with as_role(conn, roles["user"], sub="alice") as cur:
        row = cur.execute(
            "SELECT current_user::text, r.rolsuper, r.rolbypassrls,"
            " current_setting('request.jwt.claim.sub'),"
            " current_setting('request.jwt.claims')::jsonb ->> 'sub',"
            " current_setting('request.jwt.claims')::jsonb ->> 'role'"
            " FROM pg_roles r WHERE r.rolname = current_user"
        ).fetchone()
        assert row == (roles["user"], False, False, "alice", "alice", roles["user"])
        assert_visible(cur, "SELECT body FROM notes", {"a1", "a2"})
    # outside the block the session is the superuser again, without claims
    row = conn.execute(
        "SELECT current_user = session_user, coalesce(current_setting('request.jwt.claim.sub',"
        " true), '')"
    ).fetchone()
    assert row == (True, "")


def test_as_role_always_rolls_back(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]],
) -> None:
    conn, roles = rls_world
    with as_role(conn, roles["user"], sub="alice") as cur:
        cur.execute("INSERT INTO notes VALUES ('alice', 'a3')")
        assert cur.rowcount == 1
    with pytest.raises(RuntimeError), as_role(conn, roles["user"], sub="alice") as cur:
        cur.execute("DELETE FROM notes")
        raise RuntimeError("boom")
    conn.rollback()
    with conn.cursor() as cur:
        assert_visible(cur, "SELECT body FROM notes", {"a1", "a2", "b1"})


def test_as_role_nests_as_a_savepoint(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]],
) -> None:
    conn, roles = rls_world
    conn.execute("INSERT INTO notes VALUES ('bob', 'b2')")  # opens the outer transaction
    with as_role(conn, roles["user"], sub="bob") as cur:
        assert_visible(cur, "SELECT body FROM notes", {"b1", "b2"})
        cur.execute("DELETE FROM notes")
    # the savepoint is gone, the outer transaction and its insert are intact
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    with conn.cursor() as cur:
        assert_visible(cur, "SELECT body FROM notes", {"a1", "a2", "b1", "b2"})
    conn.rollback()


@pytest.mark.parametrize("kind", ["super", "bypass"])
def test_as_role_refuses_roles_that_bypass_rls(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]], kind: str
) -> None:
    conn, roles = rls_world
    with pytest.raises(ImpersonationError, match="prove nothing"), as_role(conn, roles[kind]):
        pass
    # and the session was left clean
    assert conn.execute("SELECT current_user = session_user").fetchone() == (True,)


def test_as_role_bypass_allowed_for_service(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]],
) -> None:
    conn, roles = rls_world
    with as_role(conn, roles["bypass"], allow_bypassrls=True) as cur:
        assert_visible(cur, "SELECT body FROM notes", {"a1", "a2", "b1"})


def test_as_role_names_a_missing_role(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]],
) -> None:
    conn, _ = rls_world
    with pytest.raises(ImpersonationError, match="no_such_role"), as_role(conn, "no_such_role"):
        pass


def test_assert_denied_and_visible(
    rls_world: tuple[psycopg.Connection[Any], dict[str, str]],
) -> None:
    conn, roles = rls_world
    with as_role(conn, roles["user"], sub="alice") as cur:
        # WITH CHECK violation: 42501
        assert_denied(cur, "INSERT INTO notes VALUES ('bob', 'forged')", expect="error")
        # RLS filters bob's row: zero rows, no error
        assert_denied(cur, "UPDATE notes SET body = 'x' WHERE owner = 'bob'", expect="zero_rows")
        assert_denied(cur, "SELECT * FROM notes WHERE owner = %s", ("bob",), expect="zero_rows")
        # the transaction is still usable after the failed statement
        assert_visible(cur, "SELECT body FROM notes", ["a1", "a2"])

        # each helper fails, and says what it expected and what happened
        with pytest.raises(AssertionError, match=r"expected a permission error.*succeeded"):
            assert_denied(cur, "UPDATE notes SET body = 'x' WHERE owner = 'bob'", expect="error")
        with pytest.raises(AssertionError, match=r"expected zero rows.*SQLSTATE 42501"):
            assert_denied(cur, "INSERT INTO notes VALUES ('bob', 'f')", expect="zero_rows")
        with pytest.raises(AssertionError, match=r"expected zero rows.*succeeded with 2"):
            assert_denied(cur, "SELECT * FROM notes", expect="zero_rows")
        with pytest.raises(AssertionError, match=r"expected a permission error.*SQLSTATE 22012"):
            assert_denied(cur, "SELECT 1/0", expect="error")
        with pytest.raises(AssertionError, match=r"not visible \(1\): 'b1'") as info:
            assert_visible(cur, "SELECT body FROM notes", {"a1", "a2", "b1"})
        assert "visible but not expected (0)" in str(info.value)

        # a denied statement that had succeeded was rolled back with its savepoint
        assert_visible(cur, "SELECT body FROM notes WHERE body = 'x'", set())


# --- the template path: SQL dir applied once, cloned per test ---------------------------------


def test_sql_dir_env_is_honoured_and_template_cloned(
    pytester: pytest.Pytester, schemactl_server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A separate test file, as a user writes one, on a SQL dir named by SCHEMACTL_SQL_DIR."""
    sql_dir = pytester.path / "my_sql"
    (sql_dir / "tables").mkdir(parents=True)
    (sql_dir / "tables" / "widgets.sql").write_text(
        "CREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL);\n"
        "INSERT INTO widgets VALUES (1, 'seed');\n"
    )
    monkeypatch.setenv("SCHEMACTL_SQL_DIR", str(sql_dir))
    # reuse this session's server instead of starting a second embedded one
    monkeypatch.setenv("SCHEMACTL_TEST_DSN", schemactl_server.admin_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    pytester.makepyfile(
        test_user=textwrap.dedent(
            """
            import os
            from pathlib import Path

            import pytest

            def test_sql_dir(schemactl_sql_dir):
                assert schemactl_sql_dir == Path(os.environ["SCHEMACTL_SQL_DIR"]).resolve()

            @pytest.mark.parametrize("n", [1, 2])
            def test_clone(schemactl_db, n):
                # each clone starts from the template: the other test's insert is invisible
                rows = schemactl_db.execute("select id, name from widgets order by id").fetchall()
                assert rows == [(1, "seed")]
                schemactl_db.execute("insert into widgets values (%s, 'mine')", (n + 1,))
                schemactl_db.commit()
            """
        )
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*clone of the template: 2 created*"])


def test_template_is_dropped_after_the_session(
    pytester: pytest.Pytester,
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sql_dir = pytester.path / "s"
    sql_dir.mkdir()
    (sql_dir / "t.sql").write_text("CREATE TABLE t (id int);\n")
    monkeypatch.setenv("SCHEMACTL_SQL_DIR", str(sql_dir))
    monkeypatch.setenv("SCHEMACTL_TEST_DSN", schemactl_server.admin_url)
    pytester.makepyfile(
        test_t="def test_t(schemactl_db_url, schemactl_template):\n"
        "    open('names.txt', 'w').write(schemactl_template + ' ' + schemactl_db_url)\n"
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q").assert_outcomes(passed=1)
    template, url = (pytester.path / "names.txt").read_text().split()
    dbname = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    left = schemactl_admin.execute(
        "SELECT datname FROM pg_database WHERE datname IN (%s, %s)", (template, dbname)
    ).fetchall()
    assert left == []


def test_sql_dir_defaults_to_the_configured_one(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHEMACTL_SQL_DIR", raising=False)
    monkeypatch.delenv("SCHEMACTL_PROJECT_DIR", raising=False)
    pytester.makefile(".toml", schemactl='sql_dir = "db/schema"\n')
    pytester.makepyfile(
        test_d="def test_d(schemactl_sql_dir, pytestconfig):\n"
        "    assert schemactl_sql_dir == pytestconfig.rootpath / 'db' / 'schema'\n"
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q").assert_outcomes(passed=1)


def test_repo_sql_dir_is_the_default_here(schemactl_sql_dir: Path, pytestconfig: Any) -> None:
    import os

    if os.environ.get("SCHEMACTL_SQL_DIR"):  # the mutation tester points elsewhere
        assert schemactl_sql_dir == Path(os.environ["SCHEMACTL_SQL_DIR"]).resolve()
    else:
        assert schemactl_sql_dir == (pytestconfig.rootpath / "sql").resolve()


# --- the shipped fixtures on the project's own schema (auth shim roles) ----------------------


def test_impersonation_fixtures_on_the_project_schema(
    schemactl_db: psycopg.Connection[Any], as_user: Any, as_anon: Any, as_service: Any
) -> None:
    probe = (
        "SELECT current_user::text, auth.uid(), r.rolsuper, r.rolbypassrls,"
        " current_setting('request.jwt.claims')::jsonb ->> 'role'"
        " FROM pg_roles r WHERE r.rolname = current_user"
    )
    uid = uuid.uuid4()
    with as_user(uid) as cur:
        assert cur.execute(probe).fetchone() == (
            "authenticated",
            uid,
            False,
            False,
            "authenticated",
        )
        # a session-level setting made while impersonating is rolled back with the block
        cur.execute("SELECT set_config('schemactl.probe', 'leaked', false)")
    with as_anon() as cur:
        assert cur.execute(probe).fetchone() == ("anon", None, False, False, "anon")
    with as_service() as cur:
        user, sub, is_super, _bypass, role = cur.execute(probe).fetchone()
        assert (user, sub, is_super, role) == ("service_role", None, False, "service_role")
    row = schemactl_db.execute(
        "SELECT current_user = session_user, coalesce(current_setting('schemactl.probe', true), '')"
    ).fetchone()
    assert row == (True, "")


def test_reaper_drops_scheduled_databases(
    schemactl_server: TestServer, schemactl_admin: psycopg.Connection[Any]
) -> None:
    from schemactl.testing.server import DatabaseReaper, create_database, unique_name

    reaper = DatabaseReaper(schemactl_server.admin_url, workers=2, backlog=2)
    names = [unique_name("sct_reap") for _ in range(4)]
    held = []
    for name in names:
        create_database(schemactl_admin, name, template="template0")
        # a session left open on the database must not stop the drop
        held.append(psycopg.connect(schemactl_server.url_for(name), autocommit=True))
        reaper.drop(name)
    assert reaper.close() == []
    late = unique_name("sct_reap")
    create_database(schemactl_admin, late, template="template0")
    reaper.drop(late)  # after close: dropped inline, at once
    for conn in held:
        conn.close()
    left = schemactl_admin.execute(
        "SELECT datname FROM pg_database WHERE datname = ANY(%s)", ([*names, late],)
    ).fetchall()
    assert left == []
