"""Generate a large SQL directory: N tables, each with an index, RLS enabled and one policy.

One file per table, four statements each (about 8,000 statements for 2,000 tables). Table
``i`` references table ``i + 1`` by foreign key unless ``i % 5 == 4`` (chains of five), and
file ``i`` sorts BEFORE file ``i + 1``: applying the files in name order fails, so the
benchmark exercises the dependency ordering and not just the file listing.

Why lean tables (no identity sequence, no text column, so no sequence and no TOAST table):
every relation created in a transaction holds a lock until commit, and the server's lock
table has room for max_locks_per_transaction x max_connections (64 x 100 by default)
objects. 2,000 tables with a sequence and a TOAST table each (6 relations per table) ran
out of it ("out of shared memory") at table ~1,400 on a default PostgreSQL 15, for psql
--single-transaction and schemactl alike; 3 relations per table fit.
"""

from __future__ import annotations

from pathlib import Path

CHAIN = 5  # tables per foreign-key chain


def table_name(i: int) -> str:
    """Name of generated table ``i``."""
    return f"gen_{i:05d}"


def table_sql(i: int, tables: int) -> str:
    """The four statements of generated table ``i`` (of ``tables``)."""
    name = table_name(i)
    has_parent = i % CHAIN != CHAIN - 1 and i + 1 < tables
    parent = f"  parent_id bigint REFERENCES {table_name(i + 1)} (id),\n" if has_parent else ""
    return (
        f"-- generated table {i}: depends on the table of the NEXT file\n"
        f"CREATE TABLE {name} (\n"
        f"  id bigint PRIMARY KEY,\n"
        f"  tenant_id uuid NOT NULL,\n"
        f"{parent}"
        f"  created_at timestamptz NOT NULL DEFAULT now()\n"
        f");\n\n"
        f"CREATE INDEX {name}_tenant_idx ON {name} (tenant_id, created_at);\n\n"
        f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;\n\n"
        f"CREATE POLICY {name}_tenant ON {name}\n"
        f"  FOR SELECT TO authenticated\n"
        f"  USING (tenant_id = (SELECT auth.uid()));\n"
    )


def generate(target: Path, tables: int = 2000) -> int:
    """Write ``tables`` files into ``target`` (created if needed); the number of statements."""
    target.mkdir(parents=True, exist_ok=True)
    for i in range(tables):
        (target / f"{table_name(i)}.sql").write_text(table_sql(i, tables), encoding="utf-8")
    return 4 * tables
