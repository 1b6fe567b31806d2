"""db.introspect on a real server: what is read, what is left out, and the platform schema's
round trip (files -> database -> diff says nothing) on this server."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemactl import api
from schemactl.core.catalog import Column, Grant, Policy
from schemactl.db.introspect import UNMANAGED_SCHEMAS, introspect, list_schemas, managed_schemas
from schemactl.diff import diff_databases, diff_files
from schemactl.testing.server import TestServer

pytestmark = pytest.mark.db

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def load(url: str, text: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


def test_reads_each_kind_by_name(schemactl_empty_db: str) -> None:
    load(
        schemactl_empty_db,
        """
        CREATE SCHEMA app;
        CREATE TABLE app.t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                            "Name" text COLLATE "C" NOT NULL DEFAULT 'x');
        ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own ON app.t AS RESTRICTIVE FOR UPDATE TO pg_monitor
            USING ("Name" <> '') WITH CHECK (true);
        GRANT SELECT ("Name") ON app.t TO pg_monitor;
        CREATE FUNCTION app.f(a int, b text DEFAULT 'x') RETURNS int LANGUAGE sql AS 'SELECT a';
        """,
    )
    with psycopg.connect(schemactl_empty_db) as conn:
        model = introspect(conn, ["app"])
        # the session's search_path is left as it was
        assert conn.execute("SHOW search_path").fetchone() == ('"$user", public',)
    table = model.tables[("app", "t")]
    assert table.rls_enabled and not table.rls_forced
    assert table.columns == (
        Column("id", "integer", not_null=True, identity="a"),
        Column("Name", "text", not_null=True, default="'x'::text", collation='"C"'),
    )
    assert model.policies[("app", "t", "own")] == Policy(
        "app", "t", "own", "UPDATE", False, ("pg_monitor",), "(\"Name\" <> ''::text)", "true"
    )
    assert set(model.constraints) == {("app", "t", "t_pkey")}
    # the identity's sequence is read (its options and grants), marked as the column's
    (sequence,) = model.sequences.values()
    assert sequence.identity and sequence.owned_by == ("app", "t", "id")
    assert set(model.functions) == {("app", "f", "a integer, b text")}
    assert Grant("TABLE", "app.t", '"Name"', "pg_monitor", "SELECT", False) in model.grants
    # a new function's default EXECUTE for PUBLIC is part of the model
    assert any(g.object == "app.f(a integer, b text)" and g.grantee == "PUBLIC"
               for g in model.grants)  # fmt: skip


def test_scope_leaves_out_ledger_auth_platform_and_extension_objects(
    schemactl_empty_db: str,
) -> None:
    load(
        schemactl_empty_db,
        """
        CREATE SCHEMA schemactl; CREATE TABLE schemactl.runs (id int);
        CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid);
        CREATE SCHEMA storage; CREATE TABLE storage.objects (id int);
        CREATE SCHEMA mine; CREATE TABLE mine.t (id int);
        """,
    )
    with psycopg.connect(schemactl_empty_db) as conn:
        present = list_schemas(conn)
    assert {"schemactl", "auth", "storage", "mine", "public"} <= set(present)
    assert managed_schemas(present) == ("mine", "public")
    assert managed_schemas(present, ["auth"]) == ("auth",)
    assert {"schemactl", "auth", "storage", "extensions", "vault"} <= UNMANAGED_SCHEMAS


def test_extension_objects_are_never_drift(
    schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    from schemactl.testing.server import create_database, drop_database, unique_name

    with psycopg.connect(schemactl_empty_db) as conn:
        available = conn.execute(
            "SELECT name FROM pg_available_extensions WHERE name IN ('citext', 'pg_trgm')"
        ).fetchall()
    assert available, "citext or pg_trgm must be available (contrib) on the test server"
    ext = available[0][0]
    other = unique_name("sct_ext")
    with psycopg.connect(schemactl_server.admin_url, autocommit=True) as admin:
        create_database(admin, other, template="template0")
        try:
            target = schemactl_server.url_for(other)
            load(target, f"CREATE EXTENSION {ext}")
            result = diff_databases(schemactl_empty_db, target)
            assert [(c.action, c.kind, c.name) for c in result.changes] == [
                ("create", "extension", ext)
            ]
            load(schemactl_empty_db, f"CREATE EXTENSION {ext}")
            assert not diff_databases(schemactl_empty_db, target).has_drift
        finally:
            drop_database(admin, other)


def test_unsupported_kinds_are_reported(schemactl_empty_db: str) -> None:
    load(
        schemactl_empty_db,
        """
        CREATE TABLE base (id int); CREATE TABLE kid () INHERITS (base);
        CREATE RULE r AS ON INSERT TO base DO ALSO NOTIFY base;
        CREATE COLLATION my_c (locale = 'C');
        CREATE AGGREGATE my_sum (int) (sfunc = int4pl, stype = int);
        """,
    )
    with psycopg.connect(schemactl_empty_db) as conn:
        model = introspect(conn, ["public"])
    labels = {label for label, _ in model.unsupported}
    assert labels == {
        "inheriting table public.kid",
        "rule r on public.base",
        "collation public.my_c",
        "aggregate public.my_sum(integer)",
    }
    assert ("public", "kid") not in model.tables


def test_platform_schema_round_trips(schemactl_empty_db: str, schemactl_server: TestServer) -> None:
    """sql/ applied to a fresh database, then diffed against sql/ itself: no drift."""
    api.apply(SQL_DIR, database_url=schemactl_empty_db)
    result = diff_files(SQL_DIR, schemactl_empty_db, shadow_url=schemactl_server.admin_url)
    assert result.statements == ()
    assert result.unsupported == ()
    assert not result.has_drift


def test_platform_schema_built_by_diff_alone(
    schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """From a database with only the auth shim, the diff creates the whole platform schema
    in an order the server accepts, and a second diff is empty."""
    from schemactl.db.resources import script
    from schemactl.diff import apply_diff
    from schemactl.testing.server import create_database, drop_database, unique_name

    load(schemactl_empty_db, script("auth_shim"))
    other = unique_name("sct_platform")
    with psycopg.connect(schemactl_server.admin_url, autocommit=True) as admin:
        create_database(admin, other, template="template0")
        try:
            target = schemactl_server.url_for(other)
            api.apply(SQL_DIR, database_url=target)
            result = diff_databases(schemactl_empty_db, target)
            assert len(result.changes) > 100 and not result.destructive
            apply_diff(result, schemactl_empty_db)
            assert not diff_databases(schemactl_empty_db, target).has_drift
            assert not diff_databases(target, schemactl_empty_db).has_drift
        finally:
            drop_database(admin, other)
