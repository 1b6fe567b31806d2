"""Frozen dataclasses shared by every layer (core, db, features, CLI)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum

# A line ends at \r\n, \n or a lone \r (as editors count them).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` start (the first is 0)."""
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of character ``offset`` of ``text``, in characters."""
    starts = line_starts(text)
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


class Namespace(StrEnum):
    """Name spaces in which PostgreSQL object names must be unique.

    Tables, partitions, views, materialized views, indexes and sequences share
    ``pg_class`` and so one name space, ``RELATION``. Parts of a table (columns,
    constraints, keys) are objects of their own, named ``schema.table.part``, so a
    statement can depend on the one ``ALTER TABLE`` that added the part it uses.
    """

    SCHEMA = "schema"
    RELATION = "relation"
    TYPE = "type"
    FUNCTION = "function"
    POLICY = "policy"
    TRIGGER = "trigger"
    EXTENSION = "extension"
    ROLE = "role"
    COLUMN = "column"  # schema.table.column
    CONSTRAINT = "constraint"  # schema.table.constraint (domain constraints: schema.domain.name)
    KEY = "key"  # schema.table(col,col): a unique key a foreign key can reference; "()": the PK
    ENUM_LABEL = "enum label"  # schema.type.label
    RULE = "rule"  # schema.table.rule
    PARTITION = "partition"  # schema.table: the table is (made or attached as) a partition
    COLLATION = "collation"
    OPERATOR = "operator"
    OPERATOR_CLASS = "operator class"  # schema.name (the access method is not part of it)
    OPERATOR_FAMILY = "operator family"
    STATISTICS = "statistics"
    CONVERSION = "conversion"
    TEXT_SEARCH = "text search"  # configurations, dictionaries, parsers, templates
    FOREIGN_DATA_WRAPPER = "foreign-data wrapper"
    SERVER = "server"
    USER_MAPPING = "user mapping"  # role@server
    PUBLICATION = "publication"
    SUBSCRIPTION = "subscription"
    EVENT_TRIGGER = "event trigger"
    LANGUAGE = "language"
    ACCESS_METHOD = "access method"
    CAST = "cast"  # (source AS target)
    TRANSFORM = "transform"
    TABLESPACE = "tablespace"
    DATABASE = "database"


# Name spaces whose objects are not in a schema: their names are never qualified.
GLOBAL_NAMESPACES = frozenset(
    {
        Namespace.SCHEMA,
        Namespace.EXTENSION,
        Namespace.ROLE,
        Namespace.FOREIGN_DATA_WRAPPER,
        Namespace.SERVER,
        Namespace.USER_MAPPING,
        Namespace.PUBLICATION,
        Namespace.SUBSCRIPTION,
        Namespace.EVENT_TRIGGER,
        Namespace.LANGUAGE,
        Namespace.ACCESS_METHOD,
        Namespace.CAST,
        Namespace.TRANSFORM,
        Namespace.TABLESPACE,
        Namespace.DATABASE,
    }
)


@dataclass(frozen=True, order=True)
class ObjectRef:
    """A database object by name space and normalised name.

    ``name`` is lower-cased unless quoted in the source and schema-qualified
    for schema-scoped objects (an unqualified name means ``public``).
    Policies and triggers are named ``schema.table.name``. Functions are named
    without their argument list (overloads share one node).
    """

    namespace: Namespace
    name: str

    def __str__(self) -> str:
        return f"{self.namespace.value} {self.name}"


@dataclass(frozen=True)
class SqlFile:
    """One ``.sql`` file of the SQL directory."""

    relpath: str  # POSIX path relative to the SQL directory: ledger key and tie-breaker
    display: str  # path as shown to the user (SQL dir as given + relpath)
    text: str
    sha256: str


@dataclass(frozen=True)
class Statement:
    """One SQL statement of a file, with what it creates and references."""

    file: SqlFile
    index: int  # 0-based position within the file
    offset: int  # character offset of the first token in ``file.text``
    line: int  # 1-based
    col: int  # 1-based
    sql: str  # exact source text, executed as is (no trailing semicolon)
    kind: str  # upper-case statement kind, e.g. "CREATE TABLE", "CREATE POLICY", "ENABLE RLS"
    creates: tuple[ObjectRef, ...] = ()
    references: tuple[ObjectRef, ...] = ()
    # Names that are a dependency only if some file creates them (unqualified
    # function calls and types: most are built in, e.g. now(), uuid).
    optional_references: tuple[ObjectRef, ...] = ()
    # Objects whose definition this statement changes without creating them
    # (ALTER TABLE, CREATE INDEX / TRIGGER / POLICY on a table, COMMENT, GRANT...).
    alters: tuple[ObjectRef, ...] = ()
    # Run after every statement that creates or alters these objects, where that
    # makes no cycle: the statement copies or freezes their current definition
    # (LIKE, INHERITS, SELECT * in a view, INSERT firing triggers, GRANT ON ALL
    # TABLES IN SCHEMA). A name ``schema.*`` (or ``*``) matches a whole schema.
    after_all: tuple[ObjectRef, ...] = ()
    # Run before every statement that creates objects matching these patterns
    # (ALTER DEFAULT PRIVILEGES covers only objects created after it).
    before_all: tuple[ObjectRef, ...] = ()
    # What a function's body uses when it runs (PL/pgSQL bodies are not checked at
    # creation): statements that execute code calling it run after these.
    runtime_references: tuple[ObjectRef, ...] = ()
    # True when running the statement executes code (DML, DO, CALL, SELECT f(), CREATE
    # MATERIALIZED VIEW, REFRESH): it needs what the functions it calls use at run time.
    executes: bool = False
    # Why the order of this statement cannot be fully known from the files (dynamic
    # SQL in EXECUTE, IMPORT FOREIGN SCHEMA): ``order --strict`` reports these.
    blind_spots: tuple[str, ...] = ()
    # Things worth a word that do not stop the run (an identifier PostgreSQL truncates).
    warnings: tuple[str, ...] = ()
    # Creating what already exists is no error (OR REPLACE, IF NOT EXISTS, a DO block).
    idempotent: bool = False

    @property
    def location(self) -> str:
        """``path:line:col`` of the statement's first token."""
        return f"{self.file.display}:{self.line}:{self.col}"

    def position_to_location(self, position: int) -> tuple[int, int]:
        """Map a 1-based character position inside ``sql`` to a file (line, col)."""
        return line_col(self.file.text, self.offset + max(position - 1, 0))


@dataclass(frozen=True)
class Plan:
    """Statements of a SQL directory in a valid execution order."""

    sql_dir: str
    files: tuple[SqlFile, ...]
    statements: tuple[Statement, ...]  # execution order
    # depends_on[i] = indexes (into ``statements``) that statement i depends on
    depends_on: tuple[tuple[int, ...], ...]
    # (statement index, reference) for references that no file creates
    unresolved: tuple[tuple[int, ObjectRef], ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """``file:line:col: ...`` warnings of every statement, in execution order."""
        return tuple(w for st in self.statements for w in st.warnings)


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply`` did (or would do, for a dry run)."""

    status: str  # "applied" | "migrated" (a diff or a plan ran) | "up_to_date" | "dry_run"
    target: str  # masked DSN
    statements: int
    files: tuple[str, ...]
    created: tuple[ObjectRef, ...] = ()
    auth_shim_installed: bool = False
    seconds: float = 0.0
    sql: tuple[str, ...] = field(default=())  # dry run: the SQL that would run
    # statements that ran after the others because an object they need did not exist
    # yet: "path:line:col: waited for role "r": order has no edge for it"
    deferred: tuple[str, ...] = ()
    # a migration (status "migrated", or its dry run): "+ column public.t.note", in order
    changes: tuple[str, ...] = ()
    # things worth a word that did not stop the run (data statements a diff cannot carry)
    warnings: tuple[str, ...] = ()
