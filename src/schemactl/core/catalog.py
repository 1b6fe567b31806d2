"""The typed catalog model a diff compares: one frozen dataclass per object kind.

Pure data, filled by :mod:`schemactl.db.introspect` (or by hand in unit tests). Every object
is keyed by a stable identity made of names (``("public", "t")``, ``("public", "t", "c")``,
``("public", "f", "integer, text")``), never an OID, so the models of two databases compare.
Expressions and definitions are the server's own renderings (``format_type``,
``pg_get_expr``, ``pg_get_constraintdef``, ``pg_get_indexdef``, ``pg_get_viewdef``,
``pg_get_functiondef``, ``pg_get_triggerdef``), read with ``search_path = pg_catalog`` so every
name in them is schema-qualified and can be run from any session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (schema, name): the identity of every schema-scoped object
QualifiedName = tuple[str, str]


@dataclass(frozen=True, order=True)
class Grant:
    """One privilege (from ``aclexplode``) on one object, the owner's implicit ones left out.

    ``target`` is how GRANT names the object (``TABLE``, ``SEQUENCE``, ``FUNCTION``,
    ``PROCEDURE``, ``SCHEMA``, ``TYPE``) and ``object`` its rendered, quoted name
    (``public.t``, ``public.f(integer)``); ``column`` is set for column privileges.
    ``grantee`` is a role name, or ``PUBLIC``.
    """

    target: str
    object: str
    column: str | None
    grantee: str
    privilege: str
    grantable: bool
    # what the grant hangs on, to re-grant when that object is recreated ("rel public.t")
    owner_key: str = field(default="", compare=False)


@dataclass(frozen=True, order=True)
class DefaultPrivilege:
    """One grant of an ``ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s]`` entry.

    ``object_type`` is the keyword of the statement (TABLES, SEQUENCES, FUNCTIONS, TYPES,
    SCHEMAS). ``role`` is None for the role that builds the schema (an entry written
    without FOR ROLE), else the role named by FOR ROLE.
    """

    role: str | None
    schema: str | None
    object_type: str
    grantee: str
    privilege: str
    grantable: bool
    # a global entry that takes away one of PostgreSQL's defaults (REVOKE EXECUTE ON
    # FUNCTIONS FROM PUBLIC): this row is the default it took away
    revoked: bool = False


@dataclass(frozen=True, order=True)
class Comment:
    """``COMMENT ON <target> IS <text>``; ``target`` is rendered by the server (quoted names)."""

    target: str  # e.g. "TABLE public.t", "COLUMN public.t.c", "POLICY p ON public.t"
    text: str
    owner_key: str = field(default="", compare=False)


@dataclass(frozen=True)
class Ownership:
    """Who owns an object; ``target`` is how ALTER names it (``TABLE public.t``)."""

    target: str
    role: str


@dataclass(frozen=True)
class Schema:
    """A schema."""

    name: str


@dataclass(frozen=True)
class Extension:
    """An extension, the schema its objects live in, and its version."""

    name: str
    schema: str
    version: str = ""
    # versions ALTER EXTENSION ... UPDATE TO can reach from this one (None: not known)
    reachable: tuple[str, ...] | None = None


@dataclass(frozen=True)
class EnumType:
    """An enum type and its labels, in sort order."""

    schema: str
    name: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class DomainCheck:
    """A named CHECK constraint of a domain."""

    name: str
    definition: str  # pg_get_constraintdef, e.g. "CHECK ((VALUE > 0))"
    validated: bool = True


@dataclass(frozen=True)
class Domain:
    """A domain over a base type, with its default, NOT NULL and checks."""

    schema: str
    name: str
    base_type: str
    default: str | None = None
    not_null: bool = False
    collation: str | None = None
    checks: tuple[DomainCheck, ...] = ()


@dataclass(frozen=True)
class CompositeType:
    """A composite type (``CREATE TYPE t AS (...)``): attributes in order."""

    schema: str
    name: str
    attributes: tuple[tuple[str, str], ...]  # (name, format_type)


@dataclass(frozen=True)
class Sequence:
    """A sequence, or the sequence of an identity column (its options are the column's)."""

    schema: str
    name: str
    data_type: str = "bigint"
    start: int = 1
    increment: int = 1
    minimum: int = 1
    maximum: int = 9223372036854775807
    cache: int = 1
    cycle: bool = False
    owned_by: tuple[str, str, str] | None = None  # (schema, table, column)
    identity: bool = False  # the sequence of an identity column (owned_by): comes with it
    unlogged: bool = False
    # its current value (data, never compared): None if nextval never ran
    last_value: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Column:
    """A column of a table, in its table's column order."""

    name: str
    data_type: str  # format_type
    not_null: bool = False
    default: str | None = None
    identity: str | None = None  # "a" ALWAYS, "d" BY DEFAULT
    generated: str | None = None  # the expression of a generated column
    virtual: bool = False  # a VIRTUAL generated column (PostgreSQL 18), else STORED
    collation: str | None = None  # only when it differs from the type's
    # the NOT NULL constraint's name (PostgreSQL 18); not compared, followed by renames
    not_null_name: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Table:
    """A plain or partitioned table, or a partition of one."""

    schema: str
    name: str
    columns: tuple[Column, ...] = ()
    persistence: str = "p"  # "p" permanent, "u" unlogged
    partition_key: str | None = None  # pg_get_partkeydef of a partitioned table
    parent: QualifiedName | None = None  # the partitioned table of a partition
    partition_bound: str | None = None  # e.g. "FOR VALUES FROM (...) TO (...)", "DEFAULT"
    rls_enabled: bool = False
    rls_forced: bool = False
    options: tuple[str, ...] = ()  # storage parameters (reloptions), e.g. "fillfactor=70"

    def column(self, name: str) -> Column | None:
        """The column ``name``, if the table has it."""
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class Constraint:
    """A table constraint (p, u, f, c, x), NOT NULL ones excluded (they are column facts)."""

    schema: str
    table: str
    name: str
    kind: str  # pg_constraint.contype
    definition: str  # pg_get_constraintdef without " NOT VALID"
    validated: bool = True


@dataclass(frozen=True)
class Index:
    """An index that does not back a constraint; ``definition`` is pg_get_indexdef."""

    schema: str
    name: str
    table: QualifiedName
    definition: str
    # False for an index a failed CREATE INDEX CONCURRENTLY left behind: the diff rebuilds it
    valid: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class View:
    """A view or materialized view; ``columns`` are (name, format_type) in order."""

    schema: str
    name: str
    definition: str  # pg_get_viewdef, without the final semicolon
    materialized: bool = False
    options: tuple[str, ...] = ()  # reloptions, e.g. "security_invoker=true"
    columns: tuple[tuple[str, str], ...] = ()
    depends_on: tuple[QualifiedName, ...] = ()  # relations its query reads


@dataclass(frozen=True)
class Function:
    """A function or procedure, by name and identity arguments."""

    schema: str
    name: str
    arguments: str  # pg_get_function_identity_arguments
    kind: str  # "f" function, "p" procedure, "w" window
    result: str | None  # pg_get_function_result (None for procedures)
    definition: str  # pg_get_functiondef: a complete CREATE OR REPLACE statement

    @property
    def signature(self) -> str:
        """``schema.name(arguments)`` for messages."""
        return f"{self.schema}.{self.name}({self.arguments})"


@dataclass(frozen=True)
class Trigger:
    """A trigger of a table (clones on partitions left out); ``definition`` is pg_get_triggerdef."""

    schema: str
    table: str
    name: str
    definition: str
    enabled: str = "O"  # tgenabled: O origin, D disabled, R replica, A always


@dataclass(frozen=True)
class Policy:
    """A row level security policy."""

    schema: str
    table: str
    name: str
    command: str = "ALL"  # ALL, SELECT, INSERT, UPDATE, DELETE
    permissive: bool = True
    roles: tuple[str, ...] = ("PUBLIC",)  # sorted
    using: str | None = None
    with_check: str | None = None


@dataclass(frozen=True)
class CatalogModel:
    """Every object of the managed schemas of one database, keyed by names."""

    schemas: dict[str, Schema] = field(default_factory=dict)
    extensions: dict[str, Extension] = field(default_factory=dict)
    enums: dict[QualifiedName, EnumType] = field(default_factory=dict)
    domains: dict[QualifiedName, Domain] = field(default_factory=dict)
    composites: dict[QualifiedName, CompositeType] = field(default_factory=dict)
    sequences: dict[QualifiedName, Sequence] = field(default_factory=dict)
    tables: dict[QualifiedName, Table] = field(default_factory=dict)
    constraints: dict[tuple[str, str, str], Constraint] = field(default_factory=dict)
    indexes: dict[QualifiedName, Index] = field(default_factory=dict)
    views: dict[QualifiedName, View] = field(default_factory=dict)
    functions: dict[tuple[str, str, str], Function] = field(default_factory=dict)
    triggers: dict[tuple[str, str, str], Trigger] = field(default_factory=dict)
    policies: dict[tuple[str, str, str], Policy] = field(default_factory=dict)
    grants: frozenset[Grant] = frozenset()
    default_privileges: frozenset[DefaultPrivilege] = frozenset()
    comments: dict[str, Comment] = field(default_factory=dict)  # by target
    owners: dict[str, Ownership] = field(default_factory=dict)  # by owner key ("rel s.t")
    # objects of kinds the diff does not handle: (label, definition or "")
    unsupported: frozenset[tuple[str, str]] = frozenset()
