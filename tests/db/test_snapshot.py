"""``schemactl.db.snapshot``: what a full catalog snapshot keeps, leaves out and calls equal."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemactl import api
from schemactl.db.snapshot import SNAPSHOT_KINDS, catalog_snapshot, snapshot_diff

pytestmark = pytest.mark.db


def test_every_kind_has_a_sorted_list(schemactl_empty_db: str) -> None:
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("CREATE TABLE t (b int, a text)")
        snapshot = catalog_snapshot(conn)
    assert tuple(snapshot) == SNAPSHOT_KINDS
    assert [row[1] for row in snapshot["columns"]] == ["a", "b"]  # by name, not position
    assert snapshot["tables"][0][0] == "public.t"  # names, schema-qualified


def test_grant_order_and_column_position_are_not_schema(schemactl_empty_db: str) -> None:
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("CREATE TABLE t1 (a int, b int)")
        conn.execute("CREATE TABLE t2 (b int)")
        conn.execute("ALTER TABLE t2 ADD COLUMN a int")
        conn.execute("GRANT SELECT ON t1 TO pg_monitor")
        conn.execute("GRANT UPDATE ON t1 TO pg_read_all_data")
        conn.execute("GRANT UPDATE ON t2 TO pg_read_all_data")
        conn.execute("GRANT SELECT ON t2 TO pg_monitor")
        snapshot = catalog_snapshot(conn)
    t1, t2 = snapshot["tables"]
    assert t1[1:] == t2[1:]  # everything but the name, the ACL included
    columns = {(row[0], row[1]): row[2:] for row in snapshot["columns"]}
    assert columns["public.t1", "a"] == columns["public.t2", "a"]


def test_extension_members_ledger_and_auth_shim_are_left_out(
    schemactl_empty_db: str, tmp_path: Path
) -> None:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "kv.sql").write_text(
        "CREATE EXTENSION IF NOT EXISTS hstore;\n"
        "CREATE TABLE kv (id int PRIMARY KEY, owner uuid REFERENCES auth.users, tags hstore);\n"
    )
    api.apply(sql_dir, database_url=schemactl_empty_db, auth_shim="always")
    with psycopg.connect(schemactl_empty_db) as conn:
        snapshot = catalog_snapshot(conn)  # default: the ledger says the shim ran
        with_auth = catalog_snapshot(conn, exclude_schemas=())
    assert [row[0] for row in snapshot["extensions"]] == ["hstore", "plpgsql"]
    assert snapshot["base_types"] == []  # hstore's type belongs to the extension
    assert not [row for row in snapshot["functions"] if "hstore" in row[0]]
    assert [row[0] for row in snapshot["tables"]] == ["public.kv"]
    assert {row[0] for row in with_auth["schemas"]} >= {"auth", "schemactl"}
    assert "auth.users" in {row[0] for row in with_auth["tables"]}


def test_diff_names_each_differing_row(schemactl_empty_db: str) -> None:
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute("CREATE TABLE t (a int)")
        before = catalog_snapshot(conn)
        conn.execute("COMMENT ON TABLE t IS 'x'")
        conn.execute("CREATE INDEX t_a_idx ON t (a)")
        after = catalog_snapshot(conn)
    assert snapshot_diff(before, before) == []
    diff = snapshot_diff(before, after)
    assert diff[0].startswith("+ indexes: ('public.t', 'public.t_a_idx', 'CREATE INDEX t_a_idx")
    assert diff[1] == "+ comments: ('table', 'public.t', 'x')"
    assert snapshot_diff(after, before)[0].startswith("- indexes: ")
