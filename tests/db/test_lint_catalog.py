"""The catalog snapshot (`schemactl.db.catalog`) the lint rules and the diff engine read."""

from __future__ import annotations

import psycopg

from schemactl.db.catalog import load_catalog
from schemactl.db.connect import connect
from schemactl.db.resources import script

DDL = """
CREATE TABLE parent (id int, at date, owner_id int, note text) PARTITION BY RANGE (at);
CREATE TABLE parent_2025 PARTITION OF parent FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE parent ENABLE ROW LEVEL SECURITY;
ALTER TABLE parent FORCE ROW LEVEL SECURITY;
CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE b (id int PRIMARY KEY, ay int, ax int, secret text,
                FOREIGN KEY (ax, ay) REFERENCES a (x, y) ON DELETE CASCADE);
CREATE INDEX b_expr ON b (lower(secret), id) INCLUDE (ay) WHERE id > 0;
GRANT SELECT (id, ax) ON b TO authenticated;
GRANT DELETE ON b TO anon;
CREATE POLICY "Read own" ON parent AS RESTRICTIVE FOR UPDATE TO authenticated, anon
  USING (owner_id = 1) WITH CHECK (owner_id = 2);
CREATE FUNCTION f(n int, t text) RETURNS int LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS 'SELECT n';
CREATE VIEW v WITH (security_barrier = on) AS SELECT id FROM b;
CREATE MATERIALIZED VIEW m AS SELECT 1 AS one;
CREATE SCHEMA schemactl;
CREATE TABLE schemactl.ledger (id int);
"""


def test_snapshot_reads_every_kind(schemactl_empty_db: str) -> None:
    with connect(schemactl_empty_db, autocommit=True, lock_timeout=None) as conn:
        conn.execute(script("auth_shim"))
        conn.execute(DDL)
    with psycopg.connect(schemactl_empty_db) as conn:
        snap = load_catalog(conn, roles=("anon", "authenticated", "no_such_role_h4"))

    assert snap.roles == ("anon", "authenticated", "no_such_role_h4")
    assert "schemactl" not in {s.name for s in snap.schemas}  # the ledger is not the user's
    assert {"anon", "authenticated"} <= snap.schema("public").usage_roles  # type: ignore[union-attr]

    parent, part = snap.table("public.parent"), snap.table("public.parent_2025")
    assert parent is not None and part is not None
    assert (parent.kind, parent.rls_enabled, parent.rls_forced) == ("p", True, True)
    assert (part.is_partition, part.parent, part.rls_enabled) == (True, "public.parent", False)

    b = snap.table("public.b")
    assert b is not None
    assert b.has_privilege("authenticated", "select") and not b.has_privilege("anon", "SELECT")
    assert b.has_privilege("anon", "DELETE")
    readable = {c.name: c.select_roles for c in snap.columns_of("public.b")}
    assert readable == {
        "id": {"authenticated"},
        "ay": frozenset(),
        "ax": {"authenticated"},
        "secret": frozenset(),
    }

    (fk,) = snap.foreign_keys
    assert (fk.table_qualname, fk.columns, fk.ref_qualname, fk.ref_columns, fk.on_delete) == (
        "public.b", ("ax", "ay"), "public.a", ("x", "y"), "c",
    )  # fmt: skip
    expr = next(i for i in snap.indexes_of("public.b") if i.name == "b_expr")
    assert expr.columns == (None, "id")  # INCLUDE columns are not key columns
    assert expr.predicate == "(id > 0)" and not expr.primary
    pkey = next(i for i in snap.indexes_of("public.a") if i.primary)
    assert pkey.leads_with(["y", "x"]) and not pkey.leads_with(["y"])

    (policy,) = snap.policies_of("public.parent")
    assert (policy.name, policy.command, policy.permissive) == ("Read own", "UPDATE", False)
    assert set(policy.roles) == {"anon", "authenticated"}
    assert (policy.using, policy.check) == ("(owner_id = 1)", "(owner_id = 2)")
    assert policy.qualname == "public.parent.Read own"

    f = next(fn for fn in snap.functions if fn.qualname == "public.f")
    assert f.signature == "public.f(n integer, t text)" and f.security_definer
    assert f.setting("search_path") == "pg_catalog, pg_temp"
    assert f.execute_roles == {"anon", "authenticated"}  # PUBLIC's default EXECUTE
    uid = next(fn for fn in snap.functions if fn.qualname == "auth.uid")
    assert not uid.security_definer and uid.setting("search_path") is None

    views = {v.qualname: v for v in snap.views}
    assert views["public.v"].security_barrier and not views["public.v"].security_invoker
    assert views["public.m"].is_materialized
    assert not snap.can_select(views["public.v"], "anon")
