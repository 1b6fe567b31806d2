"""A full catalog snapshot of one database: two snapshots are equal when the schemas are.

Written for the tests (the shuffle property test compares the schema an ordered apply built
with the one the files build in their written order; fault tests compare a database before
and after a failed run) and kept independent of the diff engine, so it can judge it.

One packaged query per object kind (``db/queries/snapshot_<kind>.sql``), a fixed number of
round trips whatever the size of the schema. Every object is named, never identified by OID
(``regclass::text``, ``format_type``, ``pg_identify_object``...), so snapshots of two
databases compare. What is left out on purpose:

* the built-in schemas (``pg_*``, ``information_schema``), the excluded schemas (by default
  schemactl's ledger, and ``auth`` when the ledger says apply installed the auth shim) and
  every object that belongs to an extension (the extension itself is kept);
* the position of table columns (compared by name: the order of ``ALTER TABLE ... ADD COLUMN``
  statements is not a property of the schema files), the order of ACL items and of other
  lists PostgreSQL keeps in the order statements ran;
* roles, which are cluster-wide, unless ``roles`` names the ones that belong to the schema.

Each kind is a sorted list of tuples, so a failed ``assert a == b`` in pytest points at the
differing rows; :func:`snapshot_diff` lists only what differs, one line per row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import psycopg

from schemactl.db.resources import query

__all__ = [
    "SNAPSHOT_KINDS",
    "CatalogSnapshot",
    "catalog_snapshot",
    "default_excluded_schemas",
    "snapshot_diff",
]

# Each kind has its query in db/queries/snapshot_<kind>.sql.
SNAPSHOT_KINDS: tuple[str, ...] = (
    "schemas",
    "extensions",
    "enum_types",
    "composite_types",
    "domains",
    "range_types",
    "base_types",
    "sequences",
    "tables",
    "columns",
    "constraints",
    "indexes",
    "views",
    "functions",
    "aggregates",
    "triggers",
    "event_triggers",
    "policies",
    "rules",
    "default_privileges",
    "comments",
    "roles",
    "role_memberships",
    "publications",
    "publication_members",
    "foreign_data_wrappers",
    "foreign_servers",
    "user_mappings",
    "collations",
    "operators",
    "operator_classes",
    "operator_families",
    "operator_family_members",
    "casts",
    "text_search_configurations",
    "text_search_dictionaries",
    "statistics",
    "other_objects",
)

# schemactl's ledger is bookkeeping, not the user's schema
LEDGER_SCHEMA = "schemactl"
AUTH_SHIM_SCHEMA = "auth"

CatalogSnapshot = dict[str, list[tuple[Any, ...]]]


def default_excluded_schemas(conn: psycopg.Connection[Any]) -> tuple[str, ...]:
    """The ledger schema, and ``auth`` when the ledger records a run that installed the shim."""
    row = conn.execute("SELECT to_regclass('schemactl.runs') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return (LEDGER_SCHEMA,)
    row = conn.execute("SELECT coalesce(bool_or(auth_shim), false) FROM schemactl.runs").fetchone()
    shim = bool(row and row[0])
    return (LEDGER_SCHEMA, AUTH_SHIM_SCHEMA) if shim else (LEDGER_SCHEMA,)


def _frozen(value: Any) -> Any:
    """Lists (SQL arrays) as tuples, so rows are hashable and compare as values."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _sort_key(row: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    # NULLs sort last and are never compared with a value of the column
    return tuple((v is None, "" if v is None else v) for v in row)


def catalog_snapshot(
    conn: psycopg.Connection[Any],
    *,
    exclude_schemas: Iterable[str] | None = None,
    roles: str | None = None,
) -> CatalogSnapshot:
    """Every object of the database's schema, per kind, as sorted lists of tuples of names.

    ``exclude_schemas`` defaults to :func:`default_excluded_schemas`; the built-in schemas
    are always left out. ``roles`` is a LIKE pattern (e.g. ``'app\\_%'``) of the roles that
    belong to the schema: their attributes, memberships and comments are included (grants,
    owners and policies name any role regardless). The queries run with ``search_path`` set
    to ``pg_catalog`` (every other name comes out schema-qualified) in a transaction, or a
    savepoint of the caller's, that is rolled back.
    """
    with conn.transaction(force_rollback=True):
        excluded = (
            default_excluded_schemas(conn) if exclude_schemas is None else tuple(exclude_schemas)
        )
        conn.execute("SELECT set_config('search_path', 'pg_catalog', true)")
        params = {"exclude_schemas": list(excluded), "roles": roles}
        snapshot: CatalogSnapshot = {}
        for kind in SNAPSHOT_KINDS:
            text = query(f"snapshot_{kind}")
            used = {k: v for k, v in params.items() if f"%({k})s" in text}
            rows = conn.execute(text, used or None).fetchall()
            snapshot[kind] = sorted((tuple(_frozen(v) for v in r) for r in rows), key=_sort_key)
    return snapshot


def snapshot_diff(
    expected: CatalogSnapshot, actual: CatalogSnapshot, *, limit: int | None = 200
) -> list[str]:
    """What differs, one line per row: ``- kind: row`` only expected, ``+ kind: row`` only actual.

    Empty when the snapshots are equal. At most ``limit`` lines (then a count of the rest).
    """
    lines: list[str] = []
    for kind in sorted(set(expected) | set(actual), key=_kind_position):
        want = Counter(expected.get(kind, ()))
        got = Counter(actual.get(kind, ()))
        missing = sorted((want - got).elements(), key=_sort_key)
        extra = sorted((got - want).elements(), key=_sort_key)
        lines.extend(f"- {kind}: {row!r}" for row in missing)
        lines.extend(f"+ {kind}: {row!r}" for row in extra)
    if limit is not None and len(lines) > limit:
        rest = len(lines) - limit
        lines = [*lines[:limit], f"... and {rest} more differing rows"]
    return lines


def _kind_position(kind: str) -> tuple[int, str]:
    try:
        return (SNAPSHOT_KINDS.index(kind), kind)
    except ValueError:
        return (len(SNAPSHOT_KINDS), kind)
