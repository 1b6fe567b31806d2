"""A typed snapshot of a live database's catalog: tables, columns, policies, indexes, ...

One packaged query per object kind (``db/queries/catalog_*.sql``) reads the WHOLE database in
one round trip per kind; each row becomes a frozen dataclass. The lint rules read this model
and the diff engine is meant to reuse it, so it knows nothing about either.

Privileges are probed for a small set of roles (by default the API roles ``anon`` and
``authenticated``) with PostgreSQL's own ``has_*_privilege`` functions, so grants to PUBLIC,
column grants and role membership are all taken into account. Roles that do not exist on the
server are skipped, not an error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import psycopg
from psycopg.rows import dict_row

from schemactl.db.resources import query

API_ROLES: tuple[str, ...] = ("anon", "authenticated")
# schemactl's own ledger is not part of the user's schema
DEFAULT_EXCLUDED_SCHEMAS: tuple[str, ...] = ("information_schema", "schemactl")

_TRUE_OPTION_VALUES = frozenset({"true", "on", "yes", "1"})


def qualify(schema: str, name: str) -> str:
    """``schema.name`` as schemactl shows names (no quoting, like ``ObjectRef`` names)."""
    return f"{schema}.{name}"


def _options(raw: Sequence[str]) -> dict[str, str]:
    """``reloptions`` (``['security_barrier=true']``) as a mapping."""
    result: dict[str, str] = {}
    for item in raw:
        key, _, value = item.partition("=")
        result[key.lower()] = value
    return result


def _privileges(raw: Sequence[str]) -> frozenset[tuple[str, str]]:
    """``['anon SELECT', ...]`` as ``{('anon', 'SELECT'), ...}``."""
    pairs = (item.rsplit(" ", 1) for item in raw)
    return frozenset((role, privilege) for role, privilege in pairs)


@dataclass(frozen=True)
class Schema:
    """A schema and the probed roles that have USAGE on it."""

    name: str
    owner: str
    usage_roles: frozenset[str]


@dataclass(frozen=True)
class Table:
    """An ordinary (``kind='r'``) or partitioned (``kind='p'``) table, partitions included."""

    schema: str
    name: str
    kind: str
    owner: str
    rls_enabled: bool
    rls_forced: bool
    is_partition: bool
    parent: str | None  # qualified name of the partition parent
    options: Mapping[str, str] = field(hash=False)
    privileges: frozenset[tuple[str, str]]  # (role, SELECT|INSERT|UPDATE|DELETE)

    @property
    def qualname(self) -> str:
        """``schema.name``."""
        return qualify(self.schema, self.name)

    @property
    def is_partitioned(self) -> bool:
        """A partitioned parent (holds no rows itself)."""
        return self.kind == "p"

    def has_privilege(self, role: str, privilege: str) -> bool:
        """Whether ``role`` holds ``privilege`` (on the table or on some of its columns)."""
        return (role, privilege.upper()) in self.privileges


@dataclass(frozen=True)
class View:
    """A view (``kind='v'``) or materialized view (``kind='m'``)."""

    schema: str
    name: str
    kind: str
    owner: str
    options: Mapping[str, str] = field(hash=False)
    definition: str
    privileges: frozenset[tuple[str, str]]

    @property
    def qualname(self) -> str:
        """``schema.name``."""
        return qualify(self.schema, self.name)

    @property
    def is_materialized(self) -> bool:
        """A materialized view (a snapshot table: row level security cannot apply)."""
        return self.kind == "m"

    @property
    def security_invoker(self) -> bool:
        """The view runs with the caller's rights (PostgreSQL 15+ ``security_invoker``)."""
        return self.options.get("security_invoker", "false").lower() in _TRUE_OPTION_VALUES

    @property
    def security_barrier(self) -> bool:
        """The view's own conditions run before any user-supplied function (no leaks)."""
        return self.options.get("security_barrier", "false").lower() in _TRUE_OPTION_VALUES

    def has_privilege(self, role: str, privilege: str) -> bool:
        """Whether ``role`` holds ``privilege`` (on the view or on some of its columns)."""
        return (role, privilege.upper()) in self.privileges


@dataclass(frozen=True)
class Column:
    """A column of a table, partition, view or materialized view."""

    schema: str
    relation: str
    name: str
    position: int
    data_type: str
    not_null: bool
    default: str | None
    select_roles: frozenset[str]  # probed roles with SELECT on this column (table or column grant)

    @property
    def relation_qualname(self) -> str:
        """``schema.relation``."""
        return qualify(self.schema, self.relation)


@dataclass(frozen=True)
class Policy:
    """A row level security policy as ``pg_policies`` shows it."""

    schema: str
    table: str
    name: str
    command: str  # ALL | SELECT | INSERT | UPDATE | DELETE
    permissive: bool
    roles: tuple[str, ...]  # "public" means every role
    using: str | None  # USING expression as deparsed by the server
    check: str | None  # WITH CHECK expression as deparsed by the server

    @property
    def table_qualname(self) -> str:
        """``schema.table``."""
        return qualify(self.schema, self.table)

    @property
    def qualname(self) -> str:
        """``schema.table.name``, as :class:`~schemactl.model.ObjectRef` names policies."""
        return f"{self.schema}.{self.table}.{self.name}"

    def applies_to(self, role: str) -> bool:
        """Whether the policy is attached to ``role`` directly or through PUBLIC."""
        return role in self.roles or "public" in self.roles

    def covers(self, command: str) -> bool:
        """Whether the policy applies to ``command`` (an ``ALL`` policy covers every one)."""
        return self.command in ("ALL", command.upper())


@dataclass(frozen=True)
class Index:
    """An index; ``columns`` are its key columns in order (``None`` for an expression)."""

    schema: str
    table: str
    name: str
    method: str
    unique: bool
    primary: bool
    valid: bool
    columns: tuple[str | None, ...]
    predicate: str | None
    definition: str

    @property
    def qualname(self) -> str:
        """``schema.name`` (indexes live in the schema of their table)."""
        return qualify(self.schema, self.name)

    @property
    def table_qualname(self) -> str:
        """``schema.table``."""
        return qualify(self.schema, self.table)

    def leads_with(self, columns: Iterable[str]) -> bool:
        """Whether the first key columns are exactly ``columns`` (in any order)."""
        wanted = set(columns)
        head = self.columns[: len(wanted)]
        return len(head) == len(wanted) and set(head) == wanted


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key constraint (declared on a table or a partitioned parent)."""

    schema: str
    table: str
    name: str
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str  # pg_constraint.confdeltype: a, r, c, n, d
    on_update: str
    definition: str

    @property
    def table_qualname(self) -> str:
        """``schema.table`` of the referencing table."""
        return qualify(self.schema, self.table)

    @property
    def ref_qualname(self) -> str:
        """``schema.table`` of the referenced table."""
        return qualify(self.ref_schema, self.ref_table)


@dataclass(frozen=True)
class Function:
    """A function or procedure (``kind`` f, p, a, w as in ``pg_proc.prokind``)."""

    schema: str
    name: str
    identity_arguments: str
    result: str | None
    kind: str
    language: str
    volatility: str  # i, s, v
    security_definer: bool
    config: tuple[str, ...]  # proconfig, e.g. ("search_path=",)
    owner: str
    execute_roles: frozenset[str] = frozenset()  # probed roles that may call it

    @property
    def qualname(self) -> str:
        """``schema.name`` without arguments, as ``ObjectRef`` names functions."""
        return qualify(self.schema, self.name)

    @property
    def signature(self) -> str:
        """``schema.name(arguments)``."""
        return f"{self.qualname}({self.identity_arguments})"

    def setting(self, name: str) -> str | None:
        """The value of a ``SET name = value`` clause of the function, if any."""
        for item in self.config:
            key, sep, value = item.partition("=")
            if sep and key.strip().lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class CatalogSnapshot:
    """Everything the catalog queries read, as tuples of frozen records in catalog order."""

    roles: tuple[str, ...]  # the roles whose privileges were probed
    schemas: tuple[Schema, ...]
    tables: tuple[Table, ...]
    columns: tuple[Column, ...]
    policies: tuple[Policy, ...]
    indexes: tuple[Index, ...]
    foreign_keys: tuple[ForeignKey, ...]
    functions: tuple[Function, ...]
    views: tuple[View, ...]

    def table(self, qualname: str) -> Table | None:
        """The table (or partition) named ``schema.name``, if any."""
        return self._tables_by_name.get(qualname)

    def schema(self, name: str) -> Schema | None:
        """The schema named ``name``, if any."""
        return self._schemas_by_name.get(name)

    def policies_of(self, qualname: str) -> tuple[Policy, ...]:
        """The policies of table ``schema.name``."""
        return self._grouped("policies", qualname)

    def indexes_of(self, qualname: str) -> tuple[Index, ...]:
        """The indexes of table ``schema.name``."""
        return self._grouped("indexes", qualname)

    def columns_of(self, qualname: str) -> tuple[Column, ...]:
        """The columns of relation ``schema.name`` in position order."""
        return self._grouped("columns", qualname)

    def schema_usable_by(self, schema: str, role: str) -> bool:
        """Whether ``role`` has USAGE on ``schema`` (unknown schemas: no)."""
        found = self.schema(schema)
        return found is not None and role in found.usage_roles

    def can_select(self, relation: Table | View, role: str) -> bool:
        """Whether ``role`` can read some columns of ``relation``: schema USAGE and SELECT."""
        return self.schema_usable_by(relation.schema, role) and relation.has_privilege(
            role, "SELECT"
        )

    def column_readable_by(self, column: Column, role: str) -> bool:
        """Whether ``role`` can read ``column``: schema USAGE and column SELECT."""
        return role in column.select_roles and self.schema_usable_by(column.schema, role)

    # lookups are built on first use; cached_property writes the instance __dict__ directly,
    # which a frozen dataclass allows (these are derived state, not fields)
    @cached_property
    def _tables_by_name(self) -> dict[str, Table]:
        return {t.qualname: t for t in self.tables}

    @cached_property
    def _schemas_by_name(self) -> dict[str, Schema]:
        return {s.name: s for s in self.schemas}

    @cached_property
    def _by_relation(self) -> dict[tuple[str, str], tuple[Any, ...]]:
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for column in self.columns:
            groups["columns", column.relation_qualname].append(column)
        for policy in self.policies:
            groups["policies", policy.table_qualname].append(policy)
        for index in self.indexes:
            groups["indexes", index.table_qualname].append(index)
        return {key: tuple(value) for key, value in groups.items()}

    def _grouped(self, kind: str, qualname: str) -> tuple[Any, ...]:
        return self._by_relation.get((kind, qualname), ())


def _rows(
    conn: psycopg.Connection[Any], name: str, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query(name), params)
        return cur.fetchall()


def load_catalog(
    conn: psycopg.Connection[Any],
    *,
    roles: Sequence[str] = API_ROLES,
    exclude_schemas: Sequence[str] = DEFAULT_EXCLUDED_SCHEMAS,
) -> CatalogSnapshot:
    """Read the catalog of the database ``conn`` is connected to into a :class:`CatalogSnapshot`.

    ``roles`` are the roles whose privileges are probed (missing roles are skipped);
    ``exclude_schemas`` are left out besides ``pg_*``. Objects that belong to an extension
    are left out. The queries run in the connection's current transaction.
    """
    params = {"roles": list(roles), "exclude_schemas": list(exclude_schemas)}
    schemas = tuple(
        Schema(name=r["name"], owner=r["owner"], usage_roles=frozenset(r["usage_roles"]))
        for r in _rows(conn, "catalog_schemas", params)
    )
    tables = tuple(
        Table(
            schema=r["schema"],
            name=r["name"],
            kind=r["kind"],
            owner=r["owner"],
            rls_enabled=r["rls_enabled"],
            rls_forced=r["rls_forced"],
            is_partition=r["is_partition"],
            parent=qualify(r["parent_schema"], r["parent_name"]) if r["parent_name"] else None,
            options=_options(r["options"]),
            privileges=_privileges(r["privileges"]),
        )
        for r in _rows(conn, "catalog_tables", params)
    )
    columns = tuple(
        Column(
            schema=r["schema"],
            relation=r["relation"],
            name=r["name"],
            position=r["position"],
            data_type=r["data_type"],
            not_null=r["not_null"],
            default=r["default_expr"],
            select_roles=frozenset(r["select_roles"]),
        )
        for r in _rows(conn, "catalog_columns", params)
    )
    policies = tuple(
        Policy(
            schema=r["schema"],
            table=r["table"],
            name=r["name"],
            command=r["command"],
            permissive=r["permissive"],
            roles=tuple(r["roles"]),
            using=r["using_expr"],
            check=r["check_expr"],
        )
        for r in _rows(conn, "catalog_policies", params)
    )
    indexes = tuple(
        Index(
            schema=r["schema"],
            table=r["table"],
            name=r["name"],
            method=r["method"],
            unique=r["is_unique"],
            primary=r["is_primary"],
            valid=r["is_valid"],
            columns=tuple(r["columns"]),
            predicate=r["predicate"],
            definition=r["definition"],
        )
        for r in _rows(conn, "catalog_indexes", params)
    )
    foreign_keys = tuple(
        ForeignKey(
            schema=r["schema"],
            table=r["table"],
            name=r["name"],
            columns=tuple(r["columns"]),
            ref_schema=r["ref_schema"],
            ref_table=r["ref_table"],
            ref_columns=tuple(r["ref_columns"]),
            on_delete=r["on_delete"],
            on_update=r["on_update"],
            definition=r["definition"],
        )
        for r in _rows(conn, "catalog_foreign_keys", params)
    )
    functions = tuple(
        Function(
            schema=r["schema"],
            name=r["name"],
            identity_arguments=r["identity_arguments"],
            result=r["result"],
            kind=r["kind"],
            language=r["language"],
            volatility=r["volatility"],
            security_definer=r["security_definer"],
            config=tuple(r["config"]),
            owner=r["owner"],
            execute_roles=frozenset(r["execute_roles"]),
        )
        for r in _rows(conn, "catalog_functions", params)
    )
    views = tuple(
        View(
            schema=r["schema"],
            name=r["name"],
            kind=r["kind"],
            owner=r["owner"],
            options=_options(r["options"]),
            definition=r["definition"],
            privileges=_privileges(r["privileges"]),
        )
        for r in _rows(conn, "catalog_views", params)
    )
    return CatalogSnapshot(
        roles=tuple(roles),
        schemas=schemas,
        tables=tables,
        columns=columns,
        policies=policies,
        indexes=indexes,
        foreign_keys=foreign_keys,
        functions=functions,
        views=views,
    )
