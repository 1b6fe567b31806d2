"""A throwaway clone of a target database: its schema from its catalog model, a sample of rows.

The schema is rendered by the diff engine (what makes a fresh database equal to the target's
model), after the auth compat layer when the target has ``auth.uid()`` and the roles the
model names. Rows are copied with ``COPY ... TO STDOUT`` / ``COPY ... FROM STDIN`` between the
two connections, at most ``rows`` per table (all with ``rows=None``), read in one
REPEATABLE READ, read-only transaction of the target. The sample is made consistent: for
every foreign key (of the target or of the desired model) the parent rows the sampled
children reference are fetched too, until nothing is missing, so that a foreign key fails
on the clone only over rows that are orphans in the target as well. Rows are loaded with
``session_replication_role = replica`` (no trigger fires while loading).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from schemactl.core.catalog import CatalogModel, Constraint
from schemactl.core.diff import committed_first, diff_catalogs
from schemactl.db.connect import connect, database_error
from schemactl.db.introspect import introspect
from schemactl.db.scratch import create_scratch_database, drop_scratch_database, scratch_name
from schemactl.errors import DatabaseError

__all__ = ["Clone", "ForeignKey", "clone_database", "foreign_keys", "leaf_tables", "open_target"]

# role names a policy or grant may use that are no role to create
_NOT_ROLES = frozenset({"PUBLIC", "public", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE"})

# FOREIGN KEY (a, b) REFERENCES s.p(x, y) ... as pg_get_constraintdef renders it
_FK = re.compile(r"^FOREIGN KEY \((?P<cols>[^)]*)\) REFERENCES (?P<ref>.+?)\((?P<refcols>[^)]*)\)")

QName = tuple[str, str]


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key read from a constraint definition: child columns -> parent columns."""

    child: QName
    columns: tuple[str, ...]  # as rendered (quoted where needed)
    parent: str  # rendered qualified name, e.g. public.projects or auth.users
    parent_columns: tuple[str, ...]


def _split(cols: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in cols.split(","))


def foreign_keys(*models: CatalogModel) -> list[ForeignKey]:
    """Every foreign key of ``models`` (each once)."""
    seen: dict[tuple[Any, ...], ForeignKey] = {}
    for model in models:
        for c in model.constraints.values():
            fk = parse_foreign_key(c)
            if fk is not None:
                seen.setdefault((fk.child, fk.columns, fk.parent, fk.parent_columns), fk)
    return list(seen.values())


def parse_foreign_key(c: Constraint) -> ForeignKey | None:
    """The foreign key ``c`` defines, or None if it is another kind of constraint."""
    if c.kind != "f":
        return None
    match = _FK.match(c.definition)
    if match is None:
        return None
    return ForeignKey(
        (c.schema, c.table),
        _split(match["cols"]),
        match["ref"].strip(),
        _split(match["refcols"]),
    )


def leaf_tables(model: CatalogModel) -> list[QName]:
    """Tables that hold rows (partitioned parents left out), sorted."""
    return sorted(k for k, t in model.tables.items() if t.partition_key is None)


def _table(name: QName) -> sql.Composable:
    return sql.Identifier(*name)


@contextmanager
def open_target(url: str) -> Iterator[psycopg.Connection[Any]]:
    """A read-only REPEATABLE READ session on the target: nothing can be written through it."""
    conn = connect(url, lock_timeout=None, application_name="schemactl-prove")
    try:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        yield conn
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()


@dataclass
class Clone:
    """A clone database being built; ``url`` connects to it."""

    server: str
    name: str
    url: str
    sampled: dict[QName, int] = field(default_factory=dict)  # rows copied per table
    closure_rows: int = 0  # parent rows fetched so that foreign keys hold
    drop_seconds: float = 0.0  # DROP DATABASE of the clone (a checkpoint: can be long)
    warnings: list[str] = field(default_factory=list)


def _roles(model: CatalogModel) -> set[str]:
    names: set[str] = set()
    for g in model.grants:
        names.add(g.grantee)
    for p in model.policies.values():
        names.update(p.roles)
    for d in model.default_privileges:
        names.add(d.grantee)
        if d.role:
            names.add(d.role)
    return {n for n in names if n not in _NOT_ROLES}


def _create_missing_roles(conn: psycopg.Connection[Any], roles: Iterable[str]) -> None:
    """NOLOGIN roles for names the schema grants to, where the clone server lacks them.

    Roles are cluster-wide; like the shadow's auth compat layer, they stay.
    """
    for role in sorted(roles):
        exists = conn.execute("SELECT FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists is None:
            # DuplicateObject: created at the same time by another session
            with contextlib.suppress(psycopg.errors.DuplicateObject):
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))


def _has_auth_uid(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regprocedure('auth.uid()') IS NOT NULL").fetchone()
    return bool(row and row[0])


def _build_schema(
    conn: psycopg.Connection[Any], target_model: CatalogModel, schemas: tuple[str, ...], shim: bool
) -> list[str]:
    """Make the clone's schema equal to ``target_model``; differences left (should be none)."""
    from schemactl.db import resources

    _create_missing_roles(conn, _roles(target_model))
    if shim:
        conn.execute(resources.script("auth_shim").encode())
    fresh = introspect(conn, schemas)
    build = diff_catalogs(fresh, target_model)
    first, rest = committed_first(build)
    for batch in (first, rest):
        if batch:
            with conn.transaction():
                # one round trip: the statements are the diff engine's own, run as a script
                conn.execute(";\n".join(batch).encode())
    built = introspect(conn, schemas)
    if built == target_model:
        return []
    left = diff_catalogs(built, target_model)
    return [f"{c.action} {c.kind} {c.name}" for c in left.changes] + list(left.unsupported)


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str] | None:
    """Columns a row can be copied into (generated ones left out); None: no such table."""
    row = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    if row is None or row[0] is None:
        return None
    rows = conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0"
        " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        (table,),
    ).fetchall()
    return [r[0] for r in rows]


def _copy(
    source: psycopg.Connection[Any],
    clone: psycopg.Connection[Any],
    table: sql.Composable,
    columns: list[str],
    where: sql.Composable,
    params: Any = None,
) -> int:
    """COPY the rows of ``table`` matching ``where`` from source to clone; rows copied."""
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    out = sql.SQL("COPY (SELECT {cols} FROM {table} {where}) TO STDOUT").format(
        cols=cols, table=table, where=where
    )
    into = sql.SQL("COPY {table} ({cols}) FROM STDIN").format(table=table, cols=cols)
    with source.cursor() as scur, clone.cursor() as ccur:
        with scur.copy(out, params) as reader, ccur.copy(into) as writer:
            for chunk in reader:
                writer.write(chunk)
        return max(ccur.rowcount, 0)


def _common_columns(
    source: psycopg.Connection[Any], clone: psycopg.Connection[Any], table: str
) -> list[str]:
    src = _columns(source, table) or []
    dst = _columns(clone, table) or []
    return [c for c in dst if c in src]


def _sample(
    source: psycopg.Connection[Any],
    clone: psycopg.Connection[Any],
    tables: list[QName],
    rows: int | None,
) -> dict[QName, int]:
    sampled: dict[QName, int] = {}
    for name in tables:
        qualified = sql.Identifier(*name).as_string(clone)
        columns = _common_columns(source, clone, qualified)
        if not columns:
            sampled[name] = 0
            continue
        limit = sql.SQL("") if rows is None else sql.SQL("LIMIT {}").format(sql.Literal(rows))
        sampled[name] = _copy(source, clone, _table(name), columns, limit)
    return sampled


def _close_foreign_keys(
    source: psycopg.Connection[Any],
    clone: psycopg.Connection[Any],
    keys: list[ForeignKey],
    max_rounds: int = 50,
) -> int:
    """Fetch from the target the parent rows the clone's children reference; rows fetched."""
    fetched = 0
    usable: list[tuple[ForeignKey, str, list[str]]] = []
    for fk in keys:
        child = sql.Identifier(*fk.child).as_string(clone)
        if _columns(clone, child) is None or _columns(clone, fk.parent) is None:
            continue
        columns = _common_columns(source, clone, fk.parent)
        if columns:
            usable.append((fk, child, columns))
    for _ in range(max_rounds):
        added = 0
        for fk, child, columns in usable:
            child_cols = sql.SQL(", ").join(sql.SQL(c) for c in fk.columns)
            parent_cols = sql.SQL(", ").join(sql.SQL(c) for c in fk.parent_columns)
            missing_query = sql.SQL(
                "SELECT DISTINCT ROW({cc})::text FROM {child} AS c"
                " WHERE ROW({cc}) IS NOT NULL AND NOT EXISTS"
                " (SELECT FROM {parent} AS p WHERE ROW({pc}) = ROW({ccq}))"
            ).format(
                cc=child_cols,
                child=sql.SQL(child),
                parent=sql.SQL(fk.parent),
                pc=sql.SQL(", ").join(
                    sql.SQL("p.{}").format(sql.SQL(c)) for c in fk.parent_columns
                ),
                ccq=sql.SQL(", ").join(sql.SQL("c.{}").format(sql.SQL(c)) for c in fk.columns),
            )
            missing = [r[0] for r in clone.execute(missing_query).fetchall()]
            if not missing:
                continue
            # the parent's key as a row, compared in text form with the children's
            where = sql.SQL("WHERE ROW({pc})::text = ANY(%s)").format(pc=parent_cols)
            added += _copy(source, clone, sql.SQL(fk.parent), columns, where, (missing,))
        fetched += added
        if not added:
            break
    return fetched


def _set_sequences(clone: psycopg.Connection[Any], model: CatalogModel) -> None:
    for seq in model.sequences.values():
        if seq.last_value is not None:
            clone.execute(
                "SELECT setval(%s::regclass, %s)",
                (sql.Identifier(seq.schema, seq.name).as_string(clone), seq.last_value),
            )


@contextmanager
def clone_database(
    source: psycopg.Connection[Any],
    target_model: CatalogModel,
    desired_model: CatalogModel,
    schemas: tuple[str, ...],
    *,
    server: str,
    rows: int | None,
) -> Iterator[Clone]:
    """A clone of the target behind ``source`` on ``server``; always dropped on exit.

    Dropped also on error and Ctrl-C (the ``finally`` of this context manager).
    """
    name = scratch_name("prove")
    admin = connect(server, lock_timeout=None, autocommit=True)
    try:
        url = create_scratch_database(
            admin,
            server,
            name,
            what="clone",
            hint="the clone server's role must be a superuser (--clone-url)",
            template="template0",
        )
        clone = Clone(server, name, url)
        try:
            conn = connect(clone.url, lock_timeout=None, autocommit=True)
            try:
                try:
                    left = _build_schema(conn, target_model, schemas, _has_auth_uid(source))
                except psycopg.Error as exc:
                    error = database_error(exc)
                    raise DatabaseError(
                        f"cannot build the clone's schema: {error.message}",
                        hint="the clone server needs the extensions the target uses",
                        sqlstate=error.sqlstate,
                    ) from None
                clone.warnings.extend(f"the clone differs from the target: {d}" for d in left)
                with conn.transaction():
                    conn.execute("SET LOCAL session_replication_role = replica")
                    with source.transaction():
                        clone.sampled = _sample(source, conn, leaf_tables(target_model), rows)
                        if rows is not None:
                            keys = foreign_keys(target_model, desired_model)
                            clone.closure_rows = _close_foreign_keys(source, conn, keys)
                    _set_sequences(conn, target_model)
            finally:
                conn.close()
            yield clone
        finally:
            dropping = time.perf_counter()
            drop_scratch_database(admin, name)
            clone.drop_seconds = time.perf_counter() - dropping
    finally:
        admin.close()
