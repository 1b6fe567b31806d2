"""apply's execution: pipeline attribution (issue 8) and the deferral safety net (issue 10).

The plans here are built by hand, in a chosen order, so the tests do not depend on what
the dependency graph knows today: a misordered plan stands for an edge the graph misses.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from schemactl.db.apply import (
    BATCH_STATEMENTS,
    MAX_SAVEPOINTS,
    apply_plan,
    batch_size,
)
from schemactl.errors import ApplyError, LockTimeoutError
from schemactl.model import Plan, SqlFile, Statement


def manual_plan(
    root: Path, steps: Sequence[tuple[str, str]], kinds: dict[str, str] | None = None
) -> Plan:
    """A plan that runs ``steps`` ((relpath, sql), one statement a line) in the order given."""
    texts: dict[str, list[str]] = {}
    for relpath, text in steps:
        texts.setdefault(relpath, []).append(text)
    sql_dir = root / "sql"
    files: dict[str, SqlFile] = {}
    for relpath, lines in texts.items():
        body = "".join(f"{line};\n" for line in lines)
        (sql_dir / relpath).parent.mkdir(parents=True, exist_ok=True)
        (sql_dir / relpath).write_text(body)
        files[relpath] = SqlFile(
            relpath=relpath,
            display=f"sql/{relpath}",
            text=body,
            sha256=hashlib.sha256(body.encode()).hexdigest(),
        )
    seen: dict[str, int] = {}
    statements = []
    for relpath, text in steps:
        index = seen.get(relpath, 0)
        seen[relpath] = index + 1
        body = files[relpath].text
        offset = sum(len(line) + 2 for line in texts[relpath][:index])
        assert body[offset : offset + len(text)] == text
        words = text.split()
        kind = (kinds or {}).get(text) or " ".join(w.upper() for w in words[:2])
        if words[0].upper() in ("INSERT", "UPDATE", "DELETE", "SELECT", "DO", "GRANT"):
            kind = words[0].upper()
        statements.append(
            Statement(
                file=files[relpath],
                index=index,
                offset=offset,
                line=index + 1,
                col=1,
                sql=text,
                kind=kind,
            )
        )
    return Plan(
        sql_dir="sql",
        files=tuple(files.values()),
        statements=tuple(statements),
        depends_on=tuple(() for _ in statements),
    )


def rows(url: str, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()  # type: ignore[arg-type]


def user_relations(url: str) -> list[tuple[Any, ...]]:
    return rows(
        url,
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
        " ORDER BY 1, 2",
    )


# Everything a schema is made of, by definition text: two databases with equal snapshots
# hold the same schema (the ledger schema is left out: its timestamps differ).
SNAPSHOT = {
    "schemas": "SELECT nspname, nspacl::text FROM pg_namespace"
    " WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'schemactl')",
    "relations": "SELECT n.nspname, c.relname, c.relkind, c.relacl::text, c.relrowsecurity"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl')",
    "columns": "SELECT a.attrelid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod),"
    " a.attnotnull, pg_get_expr(d.adbin, d.adrelid)"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
    " WHERE a.attnum > 0 AND NOT a.attisdropped"
    " AND n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl')",
    "indexes": "SELECT schemaname, indexname, indexdef FROM pg_indexes"
    " WHERE schemaname !~ '^pg_' AND schemaname NOT IN ('information_schema', 'schemactl')",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(c.oid)"
    " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
    " WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl')",
    "triggers": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "functions": "SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid), p.proacl::text"
    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl')",
    "types": "SELECT t.oid::regtype::text, t.typtype,"
    " (SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl')"
    " AND t.typtype IN ('e', 'd', 'c') AND (t.typrelid = 0 OR"
    " (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')",
    "policies": "SELECT schemaname, tablename, policyname, cmd, roles::text, qual, with_check"
    " FROM pg_policies",
}


def catalog_snapshot(url: str) -> dict[str, Any]:
    """The schema of ``url`` (every kind in SNAPSHOT) and the rows of every user table."""
    snapshot: dict[str, Any] = {
        name: sorted(map(str, rows(url, q))) for name, q in SNAPSHOT.items()
    }
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
            " AND n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'schemactl')"
        ).fetchall()
        for (table,) in tables:
            data = conn.execute(
                sql.SQL("SELECT t::text FROM {} t ORDER BY 1").format(sql.SQL(table))
            ).fetchall()
            snapshot[f"rows {table}"] = [r[0] for r in data]
    return snapshot


@pytest.fixture
def other_db(schemactl_server: Any, schemactl_admin: Any, schemactl_reaper: Any) -> Any:
    """A second fresh database, for applying the same statements in another order."""
    from schemactl.testing.server import create_database, unique_name

    name = unique_name("sct_other")
    create_database(
        schemactl_admin, name, template="template0", strategy=schemactl_server.clone_strategy
    )
    try:
        yield schemactl_server.url_for(name)
    finally:
        schemactl_reaper.drop(name)


@pytest.fixture
def role_name(schemactl_empty_db: str, other_db: str) -> Any:
    """A role name of this test's own (roles are cluster-wide); dropped afterwards."""
    name = "r_" + str(conninfo_to_dict(schemactl_empty_db)["dbname"])[-40:]
    yield name
    role = sql.Identifier(name)
    for url in (schemactl_empty_db, other_db):
        with psycopg.connect(url, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                conn.execute(sql.SQL("DROP OWNED BY {}").format(role))
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


# ---------------------------------------------------------------- pipeline attribution


def test_statement_the_server_parser_rejects_is_named_at_its_position(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    # deep in the second batch; before pipeline mode the whole batch failed before its
    # SAVEPOINT ran and the user read 'savepoint "schemactl_batch" does not exist'
    steps = [("many.sql", f"CREATE TABLE t{i} (id int)") for i in range(BATCH_STATEMENTS + 30)]
    steps[BATCH_STATEMENTS + 10] = ("many.sql", "CREATE TABLE bad (id int DEFAUL 0)")
    plan = manual_plan(tmp_path, steps)
    with pytest.raises(ApplyError) as caught:
        apply_plan(plan, schemactl_empty_db, auth_shim="never")
    line = BATCH_STATEMENTS + 11
    # the server's position (the word after the typo) mapped onto the file
    assert caught.value.message.startswith(
        f'sql/many.sql:{line}:26: syntax error at or near "DEFAUL"'
    ), caught.value.message
    assert caught.value.sqlstate == "42601"
    assert "savepoint" not in caught.value.format()
    assert user_relations(schemactl_empty_db) == []


def test_a_failing_batch_is_not_run_twice(tmp_path: Path, schemactl_empty_db: str) -> None:
    # nextval is not rolled back: the sequence counts how often its statement ran
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE runs")
    steps = [
        ("a.sql", "CREATE TABLE a (id int)"),
        ("a.sql", "SELECT nextval('runs')"),
        ("a.sql", "CREATE TABLE b (id int)"),
        ("a.sql", "INSERT INTO a VALUES (1 / 0)"),  # fails when it runs, not when parsed
        ("a.sql", "CREATE TABLE c (id int)"),
    ]
    with pytest.raises(ApplyError) as caught:
        apply_plan(manual_plan(tmp_path, steps), schemactl_empty_db, auth_shim="never")
    assert caught.value.message.startswith("sql/a.sql:4:"), caught.value.message
    assert rows(schemactl_empty_db, "SELECT last_value, is_called FROM runs") == [(1, True)]
    assert user_relations(schemactl_empty_db) == [("public", "runs")]


def test_a_lock_wait_is_paid_once(tmp_path: Path, schemactl_empty_db: str) -> None:
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE busy (id int)")
    steps = [
        ("a.sql", "CREATE TABLE a (id int)"),
        ("b.sql", "ALTER TABLE busy ADD COLUMN note text"),
        ("c.sql", "CREATE TABLE c (id int)"),
    ]
    plan = manual_plan(tmp_path, steps)
    with psycopg.connect(schemactl_empty_db) as holder:
        holder.execute("LOCK TABLE busy IN ACCESS SHARE MODE")
        started = time.perf_counter()
        with pytest.raises(LockTimeoutError) as caught:
            apply_plan(plan, schemactl_empty_db, auth_shim="never", lock_timeout="1s")
        elapsed = time.perf_counter() - started
        holder.rollback()
    assert caught.value.message.startswith("sql/b.sql:1:1: "), caught.value.message
    assert caught.value.sqlstate == "55P03"
    # one wait of 1 s, not two (the old batch re-run waited 2 x lock_timeout)
    assert 1.0 <= elapsed < 1.8, elapsed
    assert user_relations(schemactl_empty_db) == [("public", "busy")]


def test_batches_are_few_and_bounded() -> None:
    assert batch_size(10) == BATCH_STATEMENTS
    for statements in (1, 199, 200, 6_400, 6_401, 8_000, 100_000):
        batches = -(-statements // batch_size(statements))
        assert batches <= MAX_SAVEPOINTS, statements
    assert MAX_SAVEPOINTS < 64  # PGPROC_MAX_CACHED_SUBXIDS


def writer_subtransactions(url: str, table: str = "t") -> int:
    """How many (sub)transactions wrote the rows of ``table``: distinct ``xmin`` values.

    Each savepoint that writes gets a transaction id of its own, stamped on the rows it
    inserts; counting them on the rows is exact whatever else the server does meanwhile
    (a global xid counter moves with every other session, background drops included).
    Works on every version; pg_stat_get_backend_subxact, which reports the overflow
    itself, is PG16+.
    """
    ((count,),) = rows(url, f"SELECT count(DISTINCT xmin::text) FROM {table}")
    return int(count)


def test_a_large_run_does_not_overflow_the_subtransaction_cache(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    # more statements than MAX_SAVEPOINTS batches of the smallest size; each writes, so
    # each subtransaction gets an xid (a SAVEPOINT per statement would overflow at 64)
    count = MAX_SAVEPOINTS * BATCH_STATEMENTS + 300
    steps = [("t.sql", "CREATE TABLE t (id int)")]
    steps += [("rows.sql", f"INSERT INTO t VALUES ({i})") for i in range(count)]
    plan = manual_plan(tmp_path, steps)
    apply_plan(plan, schemactl_empty_db, auth_shim="never")
    assert rows(schemactl_empty_db, "SELECT count(*) FROM t") == [(count,)]
    subxacts = writer_subtransactions(schemactl_empty_db)
    # a SAVEPOINT per statement would be 6,700; the backend caches 64
    assert 1 <= subxacts <= MAX_SAVEPOINTS


# ------------------------------------------------------------------ deferral safety net


def deferral_steps(role: str) -> list[tuple[str, str]]:
    """Statements in an order that misses five edges, one per undefined-object SQLSTATE."""
    return [
        ("a.sql", "CREATE TABLE app.items (id int PRIMARY KEY, kind app.kind NOT NULL)"),  # 3F000
        ("b.sql", "CREATE SCHEMA app"),
        ("b.sql", "CREATE TABLE app.tags (id int, kind app.kind)"),  # 42704 type
        ("b.sql", "CREATE INDEX tags_id_idx ON app.tags (id)"),  # 42P01
        ("c.sql", "CREATE TYPE app.kind AS ENUM ('a', 'b')"),
        ("c.sql", "CREATE TABLE app.notes (id int, touched boolean NOT NULL DEFAULT false)"),
        (
            "c.sql",
            "CREATE TRIGGER notes_touch BEFORE INSERT ON app.notes"
            " FOR EACH ROW EXECUTE FUNCTION app.touch()",
        ),  # 42883
        (
            "d.sql",
            "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN NEW.touched := true; RETURN NEW; END $$",
        ),
        # runs the trigger: the deferred CREATE TRIGGER must be in place before it
        ("e.sql", "INSERT INTO app.notes (id) VALUES (1)"),
        ("f.sql", f"GRANT SELECT ON app.notes TO {role}"),  # 42704 role
        (
            "g.sql",
            f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN;"
            " EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        ),
    ]


def correct_order(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    by_index = dict(enumerate(steps))
    return [by_index[i] for i in (1, 4, 0, 2, 3, 5, 7, 6, 8, 10, 9)]


def test_deferred_apply_equals_a_correct_order(
    tmp_path: Path, schemactl_empty_db: str, other_db: str, role_name: str
) -> None:
    steps = deferral_steps(role_name)
    result = apply_plan(manual_plan(tmp_path / "x", steps), schemactl_empty_db, auth_shim="never")
    assert result.status == "applied"
    assert result.deferred == (
        'sql/a.sql:1:1: waited for schema "app": order has no edge for it',
        'sql/b.sql:2:1: waited for type "app.kind": order has no edge for it',
        'sql/b.sql:3:1: waited for relation "app.tags": order has no edge for it',
        "sql/c.sql:3:1: waited for function app.touch(): order has no edge for it",
        f'sql/f.sql:1:1: waited for role "{role_name}": order has no edge for it',
    )
    correct = apply_plan(
        manual_plan(tmp_path / "y", correct_order(steps)), other_db, auth_shim="never"
    )
    assert correct.deferred == ()
    deferred_catalog = catalog_snapshot(schemactl_empty_db)
    assert deferred_catalog == catalog_snapshot(other_db)
    # the snapshot sees what matters: the trigger fired, the grant landed, the ledger is whole
    assert deferred_catalog["rows app.notes"] == ["(1,t)"]
    assert any(role_name in str(r) for r in deferred_catalog["relations"])
    assert rows(schemactl_empty_db, "SELECT count(*) FROM schemactl.applied_files") == [(7,)]


def test_strict_turns_a_deferral_into_an_error_and_changes_nothing(
    tmp_path: Path, schemactl_empty_db: str, role_name: str
) -> None:
    plan = manual_plan(tmp_path, deferral_steps(role_name))
    with pytest.raises(ApplyError) as caught:
        apply_plan(plan, schemactl_empty_db, auth_shim="never", strict=True)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        'sql/a.sql:1:1: waited for schema "app": order has no edge for it (and 4 more)'
    )
    assert "--strict" in (caught.value.hint or "")
    assert user_relations(schemactl_empty_db) == []
    assert rows(schemactl_empty_db, "SELECT to_regnamespace('schemactl')") == [(None,)]


def test_a_missing_object_no_statement_creates_fails_with_its_own_error(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    steps = [
        ("a.sql", "CREATE TABLE a (id int)"),
        ("b.sql", "CREATE INDEX n_idx ON nope (id)"),
        ("c.sql", "CREATE TABLE c (id int)"),
        ("d.sql", "CREATE INDEX m_idx ON also_missing (id)"),
    ]
    with pytest.raises(ApplyError) as caught:
        apply_plan(manual_plan(tmp_path, steps), schemactl_empty_db, auth_shim="never")
    assert caught.value.message == 'sql/b.sql:1:1: relation "nope" does not exist'
    assert caught.value.sqlstate == "42P01"
    assert user_relations(schemactl_empty_db) == []


def test_a_real_error_is_not_deferred(tmp_path: Path, schemactl_empty_db: str) -> None:
    steps = [
        ("a.sql", "CREATE INDEX later_idx ON later (id)"),  # deferred
        ("b.sql", "CREATE TABLE later (id int)"),
        ("c.sql", "CREATE TABLE later (id int)"),  # 42P07: final at once
    ]
    with pytest.raises(ApplyError) as caught:
        apply_plan(manual_plan(tmp_path, steps), schemactl_empty_db, auth_shim="never")
    assert caught.value.message == 'sql/c.sql:1:1: relation "later" already exists'
    assert user_relations(schemactl_empty_db) == []


def test_alter_default_privileges_is_never_deferred(
    tmp_path: Path, schemactl_empty_db: str, role_name: str
) -> None:
    # deferring it would let the table below miss the grant: its error is final
    steps = [
        ("a.sql", f"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {role_name}"),
        ("b.sql", f"CREATE ROLE {role_name} NOLOGIN"),
        ("c.sql", "CREATE TABLE t (id int)"),
    ]
    plan = manual_plan(
        tmp_path,
        steps,
        kinds={steps[0][1]: "ALTER DEFAULT PRIVILEGES"},
    )
    with pytest.raises(ApplyError) as caught:
        apply_plan(plan, schemactl_empty_db, auth_shim="never")
    assert caught.value.message == f'sql/a.sql:1:1: role "{role_name}" does not exist'
    assert user_relations(schemactl_empty_db) == []


def test_deferral_reaches_back_into_an_earlier_batch_and_keeps_every_statement(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    # the deferred statement sits mid-batch: the rolled-back part before it is re-sent
    count = BATCH_STATEMENTS + 40
    steps = [("many.sql", f"CREATE TABLE t{i} (id int)") for i in range(count)]
    steps.insert(BATCH_STATEMENTS // 2, ("idx.sql", "CREATE INDEX z_idx ON z (id)"))
    steps.append(("z.sql", "CREATE TABLE z (id int)"))
    result = apply_plan(manual_plan(tmp_path, steps), schemactl_empty_db, auth_shim="never")
    assert result.deferred == (
        'sql/idx.sql:1:1: waited for relation "z": order has no edge for it',
    )
    names = {name for schema, name in user_relations(schemactl_empty_db) if schema == "public"}
    assert names == {f"t{i}" for i in range(count)} | {"z", "z_idx"}


def test_dry_run_sends_nothing_and_defers_nothing(tmp_path: Path, schemactl_empty_db: str) -> None:
    steps = [("a.sql", "CREATE INDEX z_idx ON z (id)"), ("b.sql", "CREATE TABLE z (id int)")]
    result = apply_plan(manual_plan(tmp_path, steps), schemactl_empty_db, dry_run=True)
    assert result.status == "dry_run"
    assert result.deferred == ()
    assert user_relations(schemactl_empty_db) == []


def test_a_connection_killed_mid_batch_is_one_error_and_changes_nothing(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    import threading

    from schemactl.errors import DatabaseError

    steps = [
        ("a.sql", "CREATE TABLE a (id int)"),
        ("b.sql", "SELECT pg_sleep(10)"),
        ("c.sql", "CREATE TABLE c (id int)"),
    ]
    dbname = conninfo_to_dict(schemactl_empty_db)["dbname"]
    killed: list[object] = []

    def kill() -> None:
        with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
            for _ in range(100):
                row = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND query = 'SELECT pg_sleep(10)'",
                    (dbname,),
                ).fetchone()
                if row:
                    killed.append(row[0])
                    return
                time.sleep(0.05)

    killer = threading.Thread(target=kill)
    killer.start()
    started = time.perf_counter()
    with pytest.raises(DatabaseError) as caught:
        apply_plan(manual_plan(tmp_path, steps), schemactl_empty_db, auth_shim="never")
    killer.join()
    assert killed == [True]
    assert time.perf_counter() - started < 8
    assert caught.value.message.startswith(
        "sql/b.sql:1:1: the connection to the server was lost while this statement ran ("
    ), caught.value.message
    assert caught.value.message.endswith("); nothing was changed")
    assert "\n" not in caught.value.message
    assert user_relations(schemactl_empty_db) == []


def test_rows_after_a_deferral_do_not_each_cost_a_savepoint(
    tmp_path: Path, schemactl_empty_db: str
) -> None:
    # a statement waits until the very end; 2,000 INSERTs run meanwhile. Each may be
    # affected by what the deferred statements create, but once the deferred ones were
    # retried and nothing new was created, the rows travel in full batches again
    rows_n = 2000
    steps = [("a.sql", "CREATE INDEX late_idx ON late (id)"), ("b.sql", "CREATE TABLE t (id int)")]
    steps += [("c.sql", f"INSERT INTO t VALUES ({i})") for i in range(rows_n)]
    steps += [("e.sql", "CREATE TABLE late (id int)")]
    plan = manual_plan(tmp_path, steps)
    result = apply_plan(plan, schemactl_empty_db, auth_shim="never")
    subxacts = writer_subtransactions(schemactl_empty_db)
    assert result.deferred == (
        'sql/a.sql:1:1: waited for relation "late": order has no edge for it',
    )
    assert rows(schemactl_empty_db, "SELECT count(*) FROM t") == [(rows_n,)]
    # a savepoint per row would be 2,000 after the deferral
    assert subxacts <= MAX_SAVEPOINTS
