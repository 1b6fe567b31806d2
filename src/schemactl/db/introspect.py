"""Read the managed schemas of a database into a :class:`~schemactl.core.catalog.CatalogModel`.

One packaged query per object kind (``db/queries/introspect_<kind>.sql``) for the whole
database: a fixed number of round trips whatever the size of the schema. The queries run in
a transaction that is rolled back, with ``search_path = pg_catalog`` so that every name in a
rendered expression or definition is schema-qualified.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

from schemactl.core.catalog import (
    CatalogModel,
    Column,
    Comment,
    CompositeType,
    Constraint,
    DefaultPrivilege,
    Domain,
    DomainCheck,
    EnumType,
    Extension,
    Function,
    Grant,
    Index,
    Ownership,
    Policy,
    Schema,
    Table,
    Trigger,
    View,
)
from schemactl.core.catalog import (
    Sequence as SequenceObject,
)
from schemactl.db.resources import query

__all__ = [
    "KINDS",
    "UNMANAGED_SCHEMAS",
    "introspect",
    "introspect_each",
    "list_schemas",
    "managed_schemas",
]

# Never drift unless named with --schema: schemactl's ledger, the auth schema (Supabase's
# own, or the compat shim apply installs on plain PostgreSQL) and the schemas platforms own.
UNMANAGED_SCHEMAS = frozenset(
    {
        "schemactl",
        "auth",
        "storage",
        "realtime",
        "graphql",
        "graphql_public",
        "extensions",
        "vault",
        "pgsodium",
        "pgsodium_masks",
        "supabase_functions",
        "supabase_migrations",
        "net",
        "cron",
        "partman",
        "pgbouncer",
    }
)


# One catalog query per kind (``db/queries/introspect_<kind>.sql``), whatever the schema size.
KINDS = (
    "schemas", "extensions", "enums", "domains", "composites", "sequences",
    "tables", "constraints", "indexes", "views", "functions", "triggers",
    "policies", "grants", "default_privileges", "comments", "owners", "unsupported",
)  # fmt: skip


def list_schemas(conn: psycopg.Connection[Any]) -> tuple[str, ...]:
    """Every schema that is neither PostgreSQL's own nor an extension's."""
    return tuple(row[0] for row in conn.execute(query("introspect_schemas")).fetchall())


def managed_schemas(
    present: Iterable[str], schemas: Sequence[str] | None = None
) -> tuple[str, ...]:
    """The schemas a diff compares: ``schemas`` if given, else every present one not unmanaged."""
    if schemas is not None:
        return tuple(dict.fromkeys(schemas))
    return tuple(sorted({s for s in present if s not in UNMANAGED_SCHEMAS}))


def require_schemas(present: Iterable[str], schemas: Sequence[str] | None) -> None:
    """Refuse (exit 2) a given schema that is not ``present`` or is PostgreSQL's own.

    A misspelled ``--schema`` read nothing and said so quietly: "no drift", an empty
    snapshot, no files pulled.
    """
    from schemactl.errors import ConfigError

    if schemas is None:
        return
    there = set(present)
    own = [s for s in schemas if s in ("pg_catalog", "information_schema") or s[:3] == "pg_"]
    missing = [s for s in schemas if s not in there]
    if own or missing:
        why = "is PostgreSQL's own" if own else "does not exist there"
        raise ConfigError(
            f"schema {(own or missing)[0]!r} (--schema or the schemas setting) {why}",
            hint="schemas there: "
            + (", ".join(managed_schemas(there)) or "none")
            + " (a schema an extension owns is never compared)",
        )


def _send(conn: psycopg.Connection[Any], kind: str, schemas: Sequence[str]) -> psycopg.Cursor[Any]:
    text = query(f"introspect_{kind}")
    params = {"schemas": list(schemas)} if "%(schemas)s" in text else None
    return conn.execute(text, params)


def _strip_not_valid(definition: str) -> str:
    return definition.removesuffix(" NOT VALID")


def introspect_each(
    conns: Sequence[psycopg.Connection[Any]], schemas: Sequence[str]
) -> list[CatalogModel]:
    """:func:`introspect` of each connection, all at once (one thread per connection).

    A diff reads two databases: their servers run the catalog queries at the same time,
    and one side's rows become a model while the other side's queries still run (psycopg
    releases the GIL while it waits). Each connection is used by one thread only; the
    first error is raised here.
    """
    if len(conns) < 2:
        return [introspect(conn, schemas) for conn in conns]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(conns), thread_name_prefix="introspect") as pool:
        return list(pool.map(lambda conn: introspect(conn, schemas), conns))


def introspect(conn: psycopg.Connection[Any], schemas: Sequence[str]) -> CatalogModel:
    """The catalog model of ``schemas`` (their objects; objects of extensions left out)."""
    with conn.transaction(force_rollback=True):
        # pipeline mode: every query is sent at once and the server runs them back to back,
        # instead of one round trip (and two wake-ups on a busy machine) per query
        with conn.pipeline():
            conn.execute("SELECT set_config('search_path', 'pg_catalog', true)")
            cursors = {kind: _send(conn, kind, schemas) for kind in KINDS}
        rows = {kind: cursor.fetchall() for kind, cursor in cursors.items()}
    wanted = set(schemas)
    unsupported = {(label, definition or "") for label, definition in rows["unsupported"]}
    tables: dict[tuple[str, str], Table] = {}
    for r in rows["tables"]:
        schema, name, persistence, key, parent, bound, rls, force, columns, inherits, opts = r
        if inherits:
            continue  # plain inheritance: reported as unsupported
        tables[(schema, name)] = Table(
            schema=schema,
            name=name,
            persistence=persistence,
            partition_key=key,
            parent=(parent[0], parent[1]) if parent else None,
            partition_bound=bound,
            rls_enabled=rls,
            rls_forced=force,
            options=tuple(opts),
            columns=tuple(
                Column(
                    name=c[0],
                    data_type=c[1],
                    not_null=c[2] == "true",
                    default=c[3],
                    identity=c[4],
                    generated=c[5],
                    collation=c[6],
                    virtual=c[7] == "true",
                    not_null_name=c[8],
                )
                for c in columns
            ),
        )
    return CatalogModel(
        schemas={name: Schema(name) for (name,) in rows["schemas"] if name in wanted},
        extensions={
            name: Extension(name, schema, v, tuple(reachable))
            for name, schema, v, reachable in rows["extensions"]
        },
        enums={(s, n): EnumType(s, n, tuple(labels)) for s, n, labels in rows["enums"]},
        domains={
            (s, n): Domain(
                s,
                n,
                base,
                default,
                not_null,
                collation,
                tuple(DomainCheck(c[0], _strip_not_valid(c[1]), c[2] == "true") for c in checks),
            )
            for s, n, base, default, not_null, collation, checks in rows["domains"]
        },
        composites={
            (s, n): CompositeType(s, n, tuple((a[0], a[1]) for a in attributes))
            for s, n, attributes in rows["composites"]
        },
        sequences={
            (r[0], r[1]): SequenceObject(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                (r[9][0], r[9][1], r[9][2]) if r[9] else None,
                r[10],
                r[11],
                r[12],
            )
            for r in rows["sequences"]
        },
        tables=tables,
        constraints={
            (s, t, n): Constraint(s, t, n, kind, _strip_not_valid(definition), validated)
            for s, t, n, kind, definition, validated in rows["constraints"]
            if (s, t) in tables
        },
        indexes={
            (s, n): Index(s, n, (ts, t), definition, valid)
            for s, n, ts, t, definition, valid in rows["indexes"]
        },
        views={
            (s, n): View(
                s,
                n,
                definition.strip(),
                materialized,
                tuple(options),
                tuple((c[0], c[1]) for c in columns),
                tuple(sorted((d[0], d[1]) for d in depends_on)),
            )
            for s, n, definition, materialized, options, columns, depends_on in rows["views"]
        },
        functions={
            (s, n, args): Function(s, n, args, kind, result, definition.strip())
            for s, n, args, kind, result, definition in rows["functions"]
        },
        triggers={(s, t, n): Trigger(s, t, n, d, e) for s, t, n, d, e in rows["triggers"]},
        policies={
            (s, t, n): Policy(s, t, n, cmd, permissive, tuple(roles), using, check)
            for s, t, n, cmd, permissive, roles, using, check in rows["policies"]
        },
        grants=frozenset(Grant(*r) for r in rows["grants"]),
        default_privileges=frozenset(DefaultPrivilege(*r) for r in rows["default_privileges"]),
        comments={target: Comment(target, text, key) for target, text, key in rows["comments"]},
        owners={key: Ownership(target, role) for key, target, role in rows["owners"]},
        unsupported=frozenset(unsupported),
    )
