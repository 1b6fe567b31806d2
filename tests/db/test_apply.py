"""`schemactl apply` against a real server: one transaction, ledger, errors, lock."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest

from schemactl import api
from schemactl.errors import ApplyError, ConfigError, DatabaseError, SourceError
from schemactl.testing.server import TestServer

REPO_SQL = Path(__file__).resolve().parents[2] / "sql"

SPEC_TABLES = {
    "companies", "projects", "user_profiles", "company_members", "project_members",
    "agents", "agent_heartbeats", "transfers", "transfer_chunks", "agent_telemetry",
    "active_transfers", "transfer_schedules", "automation_rules", "api_keys",
    "api_key_usage", "external_shares", "bandwidth_policies", "cloud_connections",
    "audit_log", "permission_delegations",
}  # fmt: skip


def write_sql(root: Path, files: dict[str, str]) -> Path:
    """Create a SQL dir under ``root`` from {relpath: text}."""
    sql_dir = root / "sql"
    for rel, text in files.items():
        path = sql_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sql_dir


def relations(url: str, schema: str = "public") -> dict[str, str]:
    """name -> relkind of every relation in ``schema``."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.relkind FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            (schema,),
        ).fetchall()
    return {name: kind for name, kind in rows}


def scalar(url: str, query: str, params: tuple[object, ...] = ()) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


TWO_TABLES = {
    # b.sql sorts first but depends on a.sql's table: order comes from the graph
    "tables/b.sql": "CREATE TABLE b (\n  id int PRIMARY KEY,\n  a_id int REFERENCES a (id)\n);\n",
    "tables/a.sql": "CREATE TABLE a (id int PRIMARY KEY);\nCREATE INDEX a_id_idx ON a (id);\n",
}


def test_platform_schema_applies_and_second_run_is_a_no_op(schemactl_empty_db: str) -> None:
    result = api.apply(REPO_SQL, database_url=schemactl_empty_db)
    assert result.status == "applied"
    rels = relations(schemactl_empty_db)
    tables = {name for name, kind in rels.items() if kind in ("r", "p")}
    assert tables >= SPEC_TABLES
    assert rels["agent_telemetry"] == "p"
    assert rels["agent_telemetry_2025_01"] == "r"
    assert rels["agent_telemetry_default"] == "r"
    assert rels["project_realtime_stats"] == "m"
    assert scalar(schemactl_empty_db, "SELECT to_regprocedure('public.refresh_realtime_stats()')")
    runs = scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs")
    files = scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.applied_files")
    assert runs == 1
    assert files == len(list(REPO_SQL.rglob("*.sql")))

    again = api.apply(REPO_SQL, database_url=schemactl_empty_db)
    assert again.status == "up_to_date"
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 1


def test_platform_schema_works_after_apply(schemactl_empty_db: str) -> None:
    api.apply(REPO_SQL, database_url=schemactl_empty_db)
    with psycopg.connect(schemactl_empty_db) as conn:
        # telemetry for the current month lands in the default partition
        uid = conn.execute("INSERT INTO auth.users (id) VALUES (gen_random_uuid()) RETURNING id")
        assert uid.fetchone()
        company = conn.execute(
            "INSERT INTO companies (name, slug) VALUES ('c', 'c') RETURNING id"
        ).fetchone()
        assert company
        project = conn.execute(
            "INSERT INTO projects (company_id, name, slug) VALUES (%s, 'p', 'p') RETURNING id",
            (company[0],),
        ).fetchone()
        assert project
        agent = conn.execute(
            "INSERT INTO agents (project_id, name, api_key_hash) VALUES (%s, 'a', 'h') RETURNING id",
            (project[0],),
        ).fetchone()
        assert agent
        conn.execute(
            "INSERT INTO agent_telemetry (agent_id, project_id, metrics)"
            " VALUES (%s, %s, '{\"bytes_transferred\": 42}')",
            (agent[0], project[0]),
        )
        conn.commit()
        conn.execute("SELECT public.refresh_realtime_stats()")
        conn.commit()
        row = conn.execute(
            "SELECT bytes_today FROM project_realtime_stats WHERE project_id = %s", (project[0],)
        ).fetchone()
        assert row is not None and row[0] == 42
        where = conn.execute(
            "SELECT tableoid::regclass::text FROM agent_telemetry WHERE agent_id = %s", (agent[0],)
        ).fetchone()
        assert where == ("agent_telemetry_default",)


def test_order_comes_from_dependencies_not_file_names(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    sql_dir = write_sql(tmp_path, TWO_TABLES)
    result = api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    assert result.status == "applied"
    assert result.statements == 3
    assert {"a", "b", "a_id_idx"} <= set(relations(schemactl_empty_db))


def test_broken_file_reports_file_line_col_and_changes_nothing(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    files = dict(TWO_TABLES)
    files["tables/c.sql"] = (
        "CREATE TABLE c (id int PRIMARY KEY);\n"
        "-- a comment line\n"
        "CREATE TABLE d (\n"
        "    x no_such_type);\n"
    )
    sql_dir = write_sql(tmp_path, files)
    with pytest.raises(ApplyError) as caught:
        api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="always")
    message = caught.value.message
    assert message.startswith(f"{sql_dir}/tables/c.sql:4:7: "), message
    assert 'type "no_such_type" does not exist' in message
    assert caught.value.sqlstate == "42704"
    assert caught.value.exit_code == 2
    # one transaction: not the tables before it, not the shim, not the ledger
    assert relations(schemactl_empty_db) == {}
    assert scalar(schemactl_empty_db, "SELECT to_regnamespace('schemactl')") is None
    assert scalar(schemactl_empty_db, "SELECT to_regnamespace('auth')") is None


def test_changed_files_migrate_the_database(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """Files changed since the last apply: apply diffs them against the database and runs it."""
    sql_dir = write_sql(tmp_path, TWO_TABLES)
    api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("INSERT INTO a VALUES (1), (2)")
    (sql_dir / "tables/a.sql").write_text("CREATE TABLE a (id bigint PRIMARY KEY);\n")
    (sql_dir / "tables/new.sql").write_text("CREATE TABLE n (id int);\n")
    result = api.apply(
        sql_dir,
        database_url=schemactl_empty_db,
        auth_shim="never",
        shadow_url=schemactl_server.admin_url,
    )
    assert result.status == "migrated"
    assert "+ table public.n" in result.changes
    assert relations(schemactl_empty_db)["n"] == "r"
    # the index a.sql no longer creates is a drop, not destructive: it went too
    assert "a_id_idx" not in relations(schemactl_empty_db)
    assert (
        scalar(
            schemactl_empty_db,
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'a'::regclass AND attname = 'id'",
        )
        == "bigint"
    )
    assert scalar(schemactl_empty_db, "SELECT array_agg(id ORDER BY id) FROM a") == [1, 2]
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 2
    assert scalar(schemactl_empty_db, "SELECT kind FROM schemactl.runs WHERE id = 2") == "diff"
    ran = scalar(
        schemactl_empty_db,
        "SELECT array_agg(statement ORDER BY position) FROM schemactl.run_statements",
    )
    assert isinstance(ran, list) and any("CREATE TABLE" in s and '"n"' in s for s in ran)
    # the ledger now holds the new files: the next apply is a no-op, no diff needed
    assert (
        scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.applied_files WHERE run_id = 2")
        == 3
    )
    again = api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    assert again.status == "up_to_date"


def test_dry_run_changes_nothing(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = write_sql(tmp_path, TWO_TABLES)
    result = api.apply(sql_dir, database_url=schemactl_empty_db, dry_run=True)
    assert result.status == "dry_run"
    assert any("CREATE TABLE a" in text for text in result.sql)
    assert relations(schemactl_empty_db) == {}
    assert scalar(schemactl_empty_db, "SELECT to_regnamespace('schemactl')") is None


def test_apply_waits_for_the_advisory_lock_then_times_out(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    from schemactl.db.apply import APPLY_LOCK_KEY

    sql_dir = write_sql(tmp_path, TWO_TABLES)
    with psycopg.connect(schemactl_empty_db) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
        with pytest.raises(DatabaseError) as caught:
            api.apply(
                sql_dir, database_url=schemactl_empty_db, lock_wait="200ms", auth_shim="never"
            )
        assert "apply lock for longer than --lock-wait (200ms)" in caught.value.message
        holder.rollback()
    assert relations(schemactl_empty_db) == {}


def test_concurrent_applies_serialise(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = write_sql(tmp_path, TWO_TABLES)
    results: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(api.apply(sql_dir, database_url=schemactl_empty_db).status)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == ["applied", "up_to_date", "up_to_date"]
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 1


def test_auth_shim_never_replaces_an_existing_auth_uid(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("CREATE SCHEMA auth")
        conn.execute(
            "CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE"
            " AS $$ SELECT '00000000-0000-0000-0000-00000000abcd'::uuid $$"
        )
    sql_dir = write_sql(tmp_path, {"t.sql": "CREATE TABLE t (owner uuid DEFAULT auth.uid());\n"})
    always = api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="always")
    assert always.auth_shim_installed is True
    assert scalar(schemactl_empty_db, "SELECT to_regclass('auth.users')::text") == "auth.users"
    assert scalar(schemactl_empty_db, "SELECT auth.uid()::text") == (
        "00000000-0000-0000-0000-00000000abcd"
    )


def test_auth_shim_auto_skips_when_auth_uid_exists(tmp_path: Path, schemactl_empty_db: str) -> None:
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("CREATE SCHEMA auth")
        conn.execute(
            "CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS $$ SELECT NULL::uuid $$"
        )
    sql_dir = write_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    auto = api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="auto")
    assert auto.auth_shim_installed is False
    assert scalar(schemactl_empty_db, "SELECT to_regclass('auth.users')") is None


def test_auth_shim_semantics(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = write_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    result = api.apply(sql_dir, database_url=schemactl_empty_db)
    assert result.auth_shim_installed is True
    uid = "11111111-2222-3333-4444-555555555555"
    with psycopg.connect(schemactl_empty_db) as conn:
        assert conn.execute("SELECT auth.uid()").fetchone() == (None,)
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (f'{{"sub": "{uid}"}}',))
        assert str(conn.execute("SELECT auth.uid()").fetchone()[0]) == uid  # type: ignore[index]
        conn.rollback()
        # the legacy setting wins; an empty string means NULL
        conn.execute("SELECT set_config('request.jwt.claim.sub', %s, true)", (uid,))
        conn.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"x\"}', true)")
        assert str(conn.execute("SELECT auth.uid()").fetchone()[0]) == uid  # type: ignore[index]
        conn.rollback()
        conn.execute("SELECT set_config('request.jwt.claim.sub', '', true)")
        assert conn.execute("SELECT auth.uid()").fetchone() == (None,)
        conn.rollback()
        roles = conn.execute(
            "SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles"
            " WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY 1"
        ).fetchall()
    assert roles == [
        ("anon", False, False),
        ("authenticated", False, False),
        ("service_role", False, True),
    ]


def test_statement_timeout_is_reported(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = write_sql(tmp_path, {"slow.sql": "CREATE TABLE t (id int);\nSELECT pg_sleep(2);\n"})
    with pytest.raises(ApplyError) as caught:
        api.apply(
            sql_dir,
            database_url=schemactl_empty_db,
            statement_timeout="100ms",
            auth_shim="never",
        )
    assert caught.value.sqlstate == "57014"
    assert caught.value.message.startswith(f"{sql_dir}/slow.sql:2:1: ")
    assert relations(schemactl_empty_db) == {}


@pytest.mark.parametrize(
    "control",
    [
        "COMMIT",
        "begin",
        "ROLLBACK",
        "SAVEPOINT s",
        "END",
        "RELEASE SAVEPOINT s1",
        "start transaction isolation level serializable",
    ],
)
def test_transaction_control_is_refused_before_anything_runs(
    tmp_path: Path, schemactl_empty_db: str, control: str
) -> None:
    sql_dir = write_sql(tmp_path, {"a.sql": f"CREATE TABLE a (id int);\n  {control};\n"})
    with pytest.raises(SourceError) as caught:
        api.apply(sql_dir, database_url=schemactl_empty_db)
    assert caught.value.message.startswith(f"{sql_dir}/a.sql:2:3: ")
    word = control.split()[0].upper()
    assert caught.value.message == (
        f"{sql_dir}/a.sql:2:3: {word} is not allowed: schemactl applies every file in one "
        "transaction"
    )
    assert relations(schemactl_empty_db) == {}


def test_failure_deep_in_a_batch_is_located_exactly(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    from schemactl.db.apply import BATCH_STATEMENTS

    # more statements than one batch; the bad one sits in the second batch, and the
    # server gives no position for it: its own result in the pipeline names it
    count = BATCH_STATEMENTS + 50
    lines = [f"CREATE TABLE t{i} (id int);" for i in range(count)]
    lines[BATCH_STATEMENTS + 20] = "CREATE INDEX bad_idx ON t0 (no_such_column);"
    sql_dir = write_sql(tmp_path, {"many.sql": "\n".join(lines) + "\n"})
    with pytest.raises(ApplyError) as caught:
        api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    line = BATCH_STATEMENTS + 21
    assert caught.value.message.startswith(f"{sql_dir}/many.sql:{line}:1: "), caught.value.message
    assert 'column "no_such_column" does not exist' in caught.value.message
    assert relations(schemactl_empty_db) == {}


def test_many_statements_apply_in_batches(tmp_path: Path, schemactl_empty_db: str) -> None:
    from schemactl.db.apply import BATCH_STATEMENTS

    count = 2 * BATCH_STATEMENTS + 7
    text = "\n".join(f"CREATE TABLE t{i} (id int);" for i in range(count)) + "\n"
    sql_dir = write_sql(tmp_path, {"many.sql": text})
    seen: list[tuple[int, int]] = []
    result = api.apply(
        sql_dir,
        database_url=schemactl_empty_db,
        auth_shim="never",
        progress=lambda i, n, where: seen.append((i, n)),
    )
    assert result.statements == count
    assert len(relations(schemactl_empty_db)) == count
    assert seen[-1] == (count, count)
    assert [i for i, _ in seen] == sorted(i for i, _ in seen)


def test_owner_role_owns_what_apply_creates(tmp_path: Path, schemactl_empty_db: str) -> None:
    from psycopg import sql

    db = schemactl_empty_db.rsplit("/", 1)[1]
    owner = f"own_{db}"[:63]
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(owner)))
        conn.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(sql.Identifier(owner)))
    try:
        sql_dir = write_sql(
            tmp_path, {"t.sql": "CREATE TABLE t (id uuid REFERENCES auth.users (id));\n"}
        )
        api.apply(sql_dir, database_url=schemactl_empty_db, owner=owner)
        assert (
            scalar(
                schemactl_empty_db,
                "SELECT relowner::regrole::text FROM pg_class WHERE oid = 'public.t'::regclass",
            )
            == owner
        )
        # the ledger stays with the connecting role
        assert (
            scalar(
                schemactl_empty_db,
                "SELECT relowner::regrole::text FROM pg_class"
                " WHERE oid = 'schemactl.runs'::regclass",
            )
            == "postgres"
        )
    finally:
        with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(owner)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(owner)))


def test_set_role_at_the_end_of_a_file_is_refused_not_a_traceback(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    # it used to run, and the ledger was then written as anon: a traceback
    sql_dir = write_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\nSET ROLE anon;\n"})
    with pytest.raises(SourceError) as caught:
        api.apply(sql_dir, database_url=schemactl_empty_db)
    assert caught.value.message.startswith(f"{sql_dir}/t.sql:2:1: SET ROLE is not allowed: ")
    assert "--owner" in (caught.value.hint or "")
    assert relations(schemactl_empty_db) == {}
    assert scalar(schemactl_empty_db, "SELECT to_regnamespace('schemactl')") is None


def test_missing_owner_role_is_one_clear_error(tmp_path: Path, schemactl_empty_db: str) -> None:
    sql_dir = write_sql(tmp_path, {"t.sql": "CREATE TABLE t (id int);\n"})
    with pytest.raises(ConfigError) as caught:
        api.apply(sql_dir, database_url=schemactl_empty_db, owner="no_such_owner_role")
    assert "owner role 'no_such_owner_role' does not exist" in caught.value.message
    assert relations(schemactl_empty_db) == {}


def test_files_changed_but_not_the_schema_update_the_ledger_only(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    from schemactl.core.render import render_apply_result

    sql_dir = write_sql(tmp_path, TWO_TABLES)
    api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    (sql_dir / "tables/a.sql").write_text(TWO_TABLES["tables/a.sql"] + "-- reviewed\n")
    result = api.apply(
        sql_dir,
        database_url=schemactl_empty_db,
        auth_shim="never",
        shadow_url=schemactl_server.admin_url,
    )
    assert (result.status, result.statements, result.changes) == ("migrated", 0, ())
    assert render_apply_result(result).startswith(
        f"{schemactl_empty_db}: the files changed, the schema already matched them"
    )
    assert (
        scalar(
            schemactl_empty_db,
            "SELECT string_agg(kind || statements, ',' ORDER BY id) FROM schemactl.runs",
        )
        == "files3,diff0"
    )
    again = api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    assert again.status == "up_to_date"


def test_a_migration_waits_lock_wait_for_another_apply_not_lock_timeout(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """Another apply holds the apply lock: a migration waits up to lock_wait, as a first apply."""
    from schemactl.db.apply import APPLY_LOCK_KEY
    from schemactl.diff.planfile import execute_plan, make_plan
    from schemactl.errors import ApplyLockTimeoutError

    sql_dir = write_sql(tmp_path, TWO_TABLES)
    api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    (sql_dir / "tables/new.sql").write_text("CREATE TABLE n (id int);\n")
    plan = make_plan(
        sql_dir, schemactl_empty_db, shadow_url=schemactl_server.admin_url, auth_shim="never"
    )
    with psycopg.connect(schemactl_empty_db) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (APPLY_LOCK_KEY,))
        with pytest.raises(ApplyLockTimeoutError) as caught:
            execute_plan(plan, schemactl_empty_db, lock_timeout="100ms", lock_wait="300ms")
        assert "held the apply lock for longer than --lock-wait (300ms)" in caught.value.message
        assert "held by pid" in caught.value.message
        # released after 1 s: ten times lock_timeout, well within lock_wait
        release = threading.Timer(1.0, holder.rollback)
        release.start()
        try:
            execute_plan(plan, schemactl_empty_db, lock_timeout="100ms", lock_wait="30s")
        finally:
            release.join()
    assert relations(schemactl_empty_db)["n"] == "r"


def test_a_table_file_removed_is_a_refused_drop_until_allowed(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    from schemactl.errors import RefusedError

    files = {**TWO_TABLES, "tables/n.sql": "CREATE TABLE n (id int);\n"}
    sql_dir = write_sql(tmp_path, files)
    api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="never")
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("INSERT INTO n VALUES (1)")
    (sql_dir / "tables/n.sql").unlink()
    options = {
        "database_url": schemactl_empty_db,
        "auth_shim": "never",
        "shadow_url": schemactl_server.admin_url,
    }
    with pytest.raises(RefusedError) as caught:
        api.apply(sql_dir, **options)  # type: ignore[arg-type]
    assert caught.value.exit_code == 3
    assert (
        "1 destructive change(s): drop table public.n; nothing was changed" in caught.value.message
    )
    assert scalar(schemactl_empty_db, "SELECT count(*) FROM n") == 1
    result = api.apply(sql_dir, allow_destructive=True, **options)  # type: ignore[arg-type]
    assert result.changes == ("- table public.n",)
    assert "n" not in relations(schemactl_empty_db)
    # the ledger forgets the removed file
    assert (
        scalar(
            schemactl_empty_db,
            "SELECT string_agg(path, ',' ORDER BY path) FROM schemactl.applied_files",
        )
        == "tables/a.sql,tables/b.sql"
    )


def test_owner_migrates_a_database_it_owns(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """With ``owner``, the migration's shadow is built as that role: the shadow database
    is owned by it (PostgreSQL 15+ lets only the database owner create in public), so the
    changed files migrate, the new column belongs to the owner, and a second diff is empty.
    """
    from psycopg import sql

    from schemactl.diff import diff_files

    db = str(scalar(schemactl_empty_db, "SELECT current_database()"))
    name = f"own_{db}"[:63]
    owner = sql.Identifier(name)
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(owner))
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(db), owner))
    try:
        shadow = schemactl_server.admin_url
        files = {"t.sql": "CREATE TABLE t (id int PRIMARY KEY);\n"}
        sql_dir = write_sql(tmp_path, files)
        api.apply(sql_dir, database_url=schemactl_empty_db, owner=name)
        with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
            conn.execute("INSERT INTO t VALUES (1), (2)")
        (sql_dir / "t.sql").write_text("CREATE TABLE t (id int PRIMARY KEY, note text);\n")
        result = api.apply(sql_dir, database_url=schemactl_empty_db, owner=name, shadow_url=shadow)
        assert result.status == "migrated", result
        assert scalar(schemactl_empty_db, "SELECT count(*) FROM t WHERE note IS NULL") == 2
        assert (
            scalar(
                schemactl_empty_db,
                "SELECT relowner::regrole::text FROM pg_class WHERE oid = 'public.t'::regclass",
            )
            == name
        )
        again = diff_files(sql_dir, schemactl_empty_db, shadow_url=shadow, owner=name)
        assert not again.has_drift, again.statements
    finally:
        with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO postgres").format(sql.Identifier(db)))
            conn.execute(sql.SQL("DROP OWNED BY {}").format(owner))
            conn.execute(sql.SQL("DROP ROLE {}").format(owner))
