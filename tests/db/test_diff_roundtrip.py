"""The diff engine round trip on a real server, both directions, per object kind.

Each case is two schemas ``a`` and ``b``: load them into two databases, diff a -> b, apply
the diff to a, and check that the catalogs are now equal (by db.snapshot, written for the
tests and independent of the diff engine) and that a second diff is empty. Then the same
from b to a. The fixture corpus in tests/cases/diff is another engineer's; these are the
engine's own smoke cases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from schemactl.db.snapshot import catalog_snapshot, snapshot_diff
from schemactl.diff import apply_diff, diff_databases
from schemactl.testing.server import DatabaseReaper, TestServer, create_database, unique_name

pytestmark = pytest.mark.db

BASE = """
CREATE TABLE parent (id int PRIMARY KEY, name text);
CREATE TABLE child (id int PRIMARY KEY, parent_id int, qty int);
"""

CASES: dict[str, tuple[str, str]] = {
    "domain_base_type_and_sequence_range": (
        "CREATE DOMAIN short AS varchar(10) CHECK (VALUE <> '');"
        "CREATE TABLE t (s short DEFAULT 'x'); CREATE VIEW tv AS SELECT s FROM t;"
        "CREATE SEQUENCE n;",
        "CREATE DOMAIN short AS varchar(40) CHECK (VALUE <> '');"
        "CREATE TABLE t (s short DEFAULT 'x'); CREATE VIEW tv AS SELECT s FROM t;"
        "CREATE SEQUENCE n MINVALUE 10 START 10 MAXVALUE 1000;",
    ),
    "retyped_column_under_policy_and_generated_column": (
        "CREATE TABLE t (id int, tenant int, price int, total int GENERATED ALWAYS AS"
        " (price * 2) STORED); ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
        "CREATE POLICY p ON t USING (tenant > 0);",
        "CREATE TABLE t (id int, tenant bigint, price bigint, total bigint GENERATED ALWAYS AS"
        " (price * 2) STORED); ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
        "CREATE POLICY p ON t USING (tenant > 0);",
    ),
    "trigger_state_storage_unlogged_sequence": (
        "CREATE TABLE t (id int); CREATE SEQUENCE s;"
        "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
        "CREATE TRIGGER tt BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();",
        "CREATE TABLE t (id int) WITH (fillfactor = 70); CREATE UNLOGGED SEQUENCE s;"
        "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
        "CREATE TRIGGER tt BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();"
        "ALTER TABLE t DISABLE TRIGGER tt;",
    ),
    "foreign_key_cycle_dropped": (
        "CREATE TABLE d (id int PRIMARY KEY, boss int); CREATE TABLE e (id int PRIMARY KEY,"
        " d int REFERENCES d(id)); ALTER TABLE d ADD FOREIGN KEY (boss) REFERENCES e(id);",
        "CREATE TABLE other (id int);",
    ),
    "identity_options_and_enum_label_used": (
        "CREATE TYPE st AS ENUM ('new', 'done');"
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, s st DEFAULT 'new');",
        "CREATE TYPE st AS ENUM ('new', 'active', 'done');"
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5),"
        " s st DEFAULT 'active');",
    ),
    "column_added_and_dropped": (
        "CREATE TABLE t (id int, old text);",
        "CREATE TABLE t (id int, new_col text DEFAULT 'x' NOT NULL);",
    ),
    "column_type_default_not_null": (
        "CREATE TABLE t (id int, n int DEFAULT 1, s varchar(10));",
        'CREATE TABLE t (id bigint NOT NULL, n bigint DEFAULT 2, s text COLLATE "C");',
    ),
    "identity_and_generated": (
        "CREATE TABLE t (id int NOT NULL, a int, g int GENERATED ALWAYS AS (a * 2) STORED);",
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, a int,"
        " g int GENERATED ALWAYS AS (a * 3) STORED);",
    ),
    "constraints": (
        BASE + "ALTER TABLE child ADD CONSTRAINT q CHECK (qty > 0);",
        BASE
        + "ALTER TABLE child ADD CONSTRAINT q CHECK (qty >= 0);"
        + "ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE"
        " DEFERRABLE INITIALLY DEFERRED;" + "ALTER TABLE parent ADD UNIQUE (name);",
    ),
    "primary_key_changed_under_fk": (
        BASE + "ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent(id);",
        "CREATE TABLE parent (id int, name text, PRIMARY KEY (id) INCLUDE (name));"
        "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent(id), qty int);",
    ),
    "indexes": (
        BASE + "CREATE INDEX child_qty ON child (qty); CREATE INDEX gone ON parent (name);",
        BASE + "CREATE INDEX child_qty ON child (qty) WHERE qty > 0;"
        "CREATE UNIQUE INDEX parent_lower ON parent (lower(name)) INCLUDE (id);",
    ),
    "views_replace_and_rebuild": (
        BASE + "CREATE VIEW v1 AS SELECT id FROM parent;CREATE VIEW v2 AS SELECT id FROM v1;",
        BASE + "CREATE VIEW v1 WITH (security_invoker = true) AS SELECT id, name FROM parent;"
        "CREATE VIEW v2 WITH (security_barrier) AS SELECT id, 1 AS one FROM v1;",
    ),
    "view_over_retyped_column": (
        "CREATE TABLE t (id int, v int); CREATE VIEW tv AS SELECT id, v FROM t;"
        "CREATE MATERIALIZED VIEW tm AS SELECT id FROM tv; CREATE UNIQUE INDEX ON tm (id);"
        "GRANT SELECT ON tv TO PUBLIC; COMMENT ON VIEW tv IS 'the view';",
        "CREATE TABLE t (id int, v bigint); CREATE VIEW tv AS SELECT id, v FROM t;"
        "CREATE MATERIALIZED VIEW tm AS SELECT id FROM tv; CREATE UNIQUE INDEX ON tm (id);"
        "GRANT SELECT ON tv TO PUBLIC; COMMENT ON VIEW tv IS 'the view';",
    ),
    "materialized_view_changed": (
        BASE + "CREATE MATERIALIZED VIEW m AS SELECT id FROM parent;CREATE INDEX m_id ON m (id);",
        BASE + "CREATE MATERIALIZED VIEW m AS SELECT id, name FROM parent;"
        "CREATE INDEX m_id ON m (id); CREATE INDEX m_name ON m (name);",
    ),
    "functions": (
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';"
        "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        "CREATE FUNCTION gone(x text) RETURNS text LANGUAGE sql AS 'SELECT x';"
        "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';",
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql STABLE AS 'SELECT a + 1';"
        "CREATE FUNCTION g() RETURNS bigint LANGUAGE sql AS 'SELECT 1';"
        "CREATE FUNCTION h(x int, y int DEFAULT 2) RETURNS int LANGUAGE sql SECURITY DEFINER"
        " SET search_path = '' AS 'SELECT x + y';"
        "REVOKE EXECUTE ON FUNCTION h(int, int) FROM PUBLIC;"
        "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 2';",
    ),
    "triggers": (
        BASE + "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS"
        " 'BEGIN RETURN NEW; END';"
        "CREATE TRIGGER t1 BEFORE INSERT ON parent FOR EACH ROW EXECUTE FUNCTION tf();",
        BASE + "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS"
        " 'BEGIN RETURN NEW; END';"
        "CREATE TRIGGER t1 BEFORE INSERT OR UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION tf();"
        "CREATE TRIGGER t2 AFTER DELETE ON child FOR EACH ROW EXECUTE FUNCTION tf();",
    ),
    "rls_and_policies": (
        BASE + "ALTER TABLE parent ENABLE ROW LEVEL SECURITY;"
        "CREATE POLICY sel ON parent FOR SELECT USING (id > 0);"
        "CREATE POLICY ins ON parent FOR INSERT WITH CHECK (true);"
        "CREATE POLICY gone ON child USING (true);",
        BASE + "ALTER TABLE parent ENABLE ROW LEVEL SECURITY;"
        "ALTER TABLE parent FORCE ROW LEVEL SECURITY;"
        "ALTER TABLE child ENABLE ROW LEVEL SECURITY;"
        "CREATE POLICY sel ON parent FOR SELECT TO pg_monitor, pg_read_all_data USING (id > 1);"
        "CREATE POLICY ins ON parent AS RESTRICTIVE FOR INSERT WITH CHECK (id > 0);"
        "CREATE POLICY upd ON parent FOR UPDATE USING (true) WITH CHECK (name IS NOT NULL);",
    ),
    "grants_and_comments": (
        BASE + "CREATE SEQUENCE s; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        "GRANT SELECT ON parent TO pg_monitor; COMMENT ON TABLE parent IS 'p';"
        "COMMENT ON COLUMN child.qty IS 'q';",
        BASE + "CREATE SEQUENCE s; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        "GRANT SELECT, INSERT ON parent TO pg_read_all_data WITH GRANT OPTION;"
        "GRANT UPDATE (qty) ON child TO pg_monitor; GRANT USAGE ON SEQUENCE s TO pg_monitor;"
        "REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC; GRANT EXECUTE ON FUNCTION f() TO pg_monitor;"
        "REVOKE USAGE ON SCHEMA public FROM PUBLIC;"
        "COMMENT ON TABLE parent IS 'parent''s'; COMMENT ON FUNCTION f() IS 'eff';"
        "COMMENT ON SCHEMA public IS 'pub';",
    ),
    "default_privileges": (
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO pg_monitor;",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT ON TABLES TO pg_monitor;"
        "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO pg_monitor;"
        "CREATE TABLE t (id int);",
    ),
    "types": (
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN pos AS int CHECK (VALUE > 0);"
        "CREATE TYPE pair AS (x int); CREATE TYPE gone AS ENUM ('x');"
        "CREATE TABLE t (m mood, p pos);",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
        "CREATE DOMAIN pos AS int DEFAULT 1 NOT NULL CHECK (VALUE >= 0)"
        " CONSTRAINT small CHECK (VALUE < 1000);"
        "CREATE TYPE pair AS (x int, y text); CREATE TABLE t (m mood, p pos, q pair);",
    ),
    "sequences": (
        "CREATE SEQUENCE s1; CREATE TABLE t (id int); CREATE SEQUENCE gone;",
        "CREATE SEQUENCE s1 INCREMENT BY 5 CACHE 10 CYCLE; CREATE TABLE t (id int);"
        "ALTER SEQUENCE s1 OWNED BY t.id; CREATE TABLE u (id serial, b bigserial);",
    ),
    "schemas_and_tables": (
        "CREATE SCHEMA old; CREATE TABLE old.x (id int); CREATE TABLE keep (id int);",
        "CREATE SCHEMA app; CREATE TABLE app.y (id int PRIMARY KEY);"
        "CREATE TABLE app.x (id int REFERENCES app.y(id));"
        " CREATE UNLOGGED TABLE keep (id int);"
        'CREATE TABLE "Mixed Case" ("Col" int);',
    ),
    "partitions": (
        "CREATE TABLE m (ts date NOT NULL, v int) PARTITION BY RANGE (ts);"
        "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
        "CREATE TABLE m_old PARTITION OF m FOR VALUES FROM ('2000-01-01') TO ('2001-01-01');",
        "CREATE TABLE m (ts date NOT NULL, v int) PARTITION BY RANGE (ts);"
        "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2026-01-01');"
        "CREATE TABLE m_default PARTITION OF m DEFAULT; CREATE INDEX ON m (v);"
        "ALTER TABLE m ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON m USING (v > 0);"
        "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
        "CREATE TRIGGER mt BEFORE UPDATE ON m FOR EACH ROW EXECUTE FUNCTION tf();",
    ),
}


@pytest.fixture
def make_db(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> Iterator[Callable[[str], str]]:
    """Create a fresh database with ``schema`` loaded as written; its URL."""
    created: list[str] = []
    urls: list[str] = []

    def make(schema: str) -> str:
        name = unique_name("sct_diff")
        create_database(schemactl_admin, name, template="template0")
        created.append(name)
        url = schemactl_server.url_for(name)
        urls.append(url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(schema.encode())
        return url

    make.created_urls = urls  # type: ignore[attr-defined]
    yield make
    for name in created:
        schemactl_reaper.drop(name)


_OWNER_ACL = re.compile(r"^(?P<role>[^=]+)=[a-zA-Z*]+/(?P=role)$")
_PUBLIC_DEFAULT = {"functions": "=X/", "enum_types": "=U/", "domains": "=U/",
                   "composite_types": "=U/"}  # fmt: skip


def _default_acl(kind: str, value: Any) -> bool:
    """An explicit ACL equal to the default one (what a NULL ACL means): revoking every
    grant leaves the owner's privileges spelled out, which is the same schema."""
    if not isinstance(value, tuple) or not value or not all(isinstance(v, str) for v in value):
        return False
    owners = [v for v in value if _OWNER_ACL.match(v)]
    others = [v for v in value if v not in owners]
    if len(owners) != 1:
        return False
    owner = owners[0].split("=", 1)[0]
    public = _PUBLIC_DEFAULT.get(kind)
    return others == ([public + owner] if public else [])


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        snap = catalog_snapshot(conn)
    snap.pop("roles", None)
    return {
        kind: sorted(
            (tuple(None if _default_acl(kind, v) else v for v in row) for row in rows),
            key=repr,
        )
        for kind, rows in snap.items()
    }


def _round_trip(source: str, target: str) -> None:
    result = diff_databases(source, target)
    assert result.has_drift
    apply_diff(result, source, allow_destructive=True)
    assert snapshot_diff(_snapshot(target), _snapshot(source)) == []
    again = diff_databases(source, target)
    assert again.statements == (), again.statements
    assert not again.has_drift


@pytest.mark.parametrize("case", sorted(CASES))
def test_round_trip_both_ways(case: str, make_db: Callable[[str], str]) -> None:
    a_sql, b_sql = CASES[case]
    _round_trip(make_db(a_sql), make_db(b_sql))
    _round_trip(make_db(b_sql), make_db(a_sql))


def test_rows_survive_a_migration(make_db: Callable[[str], str]) -> None:
    source = make_db(
        "CREATE TABLE t (id int PRIMARY KEY, n int, s varchar(5));"
        "INSERT INTO t SELECT g, g, 'x' || g FROM generate_series(1, 50) AS g;"
    )
    target = make_db(
        "CREATE TABLE t (id int PRIMARY KEY, n bigint NOT NULL, s text, extra int DEFAULT 7,"
        " CHECK (n > 0)); CREATE INDEX ON t (n);"
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (n > 0);"
    )
    result = diff_databases(source, target)
    assert not result.destructive  # widening types, new column and constraint: nothing lost
    apply_diff(result, source)
    with psycopg.connect(source) as conn:
        rows = conn.execute("SELECT count(*), sum(n), min(extra), max(s) FROM t").fetchone()
    assert rows == (50, 1275, 7, "x9")
    assert diff_databases(source, target).statements == ()


def test_enum_labels_added_in_place_removed_reported(make_db: Callable[[str], str]) -> None:
    a_sql = "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (m mood);"
    b_sql = "CREATE TYPE mood AS ENUM ('meh', 'sad', 'ok', 'happy'); CREATE TABLE t (m mood);"
    source, target = make_db(a_sql + "INSERT INTO t VALUES ('ok');"), make_db(b_sql)
    result = diff_databases(source, target)
    assert [c.kind for c in result.changes] == ["enum"]
    assert any("same transaction" in h for h in result.changes[0].hazards)
    _round_trip(source, target)
    with psycopg.connect(source) as conn:
        assert conn.execute("SELECT m::text FROM t").fetchall() == [("ok",)]
    # removing labels rebuilds the type: refused while a row holds a removed one
    from schemactl.errors import DatabaseError

    held = make_db(b_sql + "INSERT INTO t VALUES ('meh'), ('ok');")
    back = diff_databases(held, make_db(a_sql))
    assert [c.kind for c in back.destructive] == ["enum"]
    with pytest.raises(DatabaseError, match="invalid input value for enum"):
        apply_diff(back, held, allow_destructive=True)
    with psycopg.connect(held) as conn:  # rolled back: the rows and the type are as they were
        assert conn.execute("SELECT m::text FROM t ORDER BY 1").fetchall() == [("meh",), ("ok",)]
    free = make_db(b_sql + "INSERT INTO t VALUES ('ok');")
    _round_trip(free, make_db(a_sql))


def test_owners_compared_only_when_asked(
    make_db: Callable[[str], str], schemactl_admin: psycopg.Connection[Any]
) -> None:
    role = unique_name("sct_owner")
    schemactl_admin.execute(f'CREATE ROLE "{role}" NOLOGIN'.encode())
    try:
        base = (
            "CREATE SCHEMA app; CREATE TYPE app.mood AS ENUM ('ok'); CREATE TABLE app.t (id int);"
            "CREATE SEQUENCE app.s; CREATE VIEW app.v AS SELECT id FROM app.t;"
            "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        )
        owned = base + "".join(
            f'ALTER {what} OWNER TO "{role}";'
            for what in ("SCHEMA app", "TYPE app.mood", "TABLE app.t", "SEQUENCE app.s",
                         "VIEW app.v", "FUNCTION app.f()")
        )  # fmt: skip
        source, target = make_db(base), make_db(owned)
        assert not diff_databases(source, target).has_drift
        result = diff_databases(source, target, owners=True)
        assert {c.kind for c in result.changes} == {"owner"}
        assert len(result.changes) == 6
        apply_diff(result, source)
        assert not diff_databases(source, target, owners=True).has_drift
        with psycopg.connect(source) as conn:
            row = conn.execute("SELECT pg_get_userbyid(relowner) FROM pg_class"
                               " WHERE oid = 'app.v'::regclass").fetchone()  # fmt: skip
        assert row == (role,)
    finally:
        for url in make_db.created_urls:  # type: ignore[attr-defined]
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP OWNED BY "{role}"'.encode())
        schemactl_admin.execute(f'DROP ROLE "{role}"'.encode())
