"""Compare two catalog models and render the DDL that turns the first into the second.

Pure: no connection. ``diff_catalogs(source, target)`` returns the changes that, run on the
database ``source`` was read from, make its schema equal to ``target``'s. Names are quoted
with ``psycopg.sql`` (composed without a connection); expressions and definitions are the
server's own renderings, already schema-qualified.

The ordering policy, in one place (:meth:`_Diff.ordered`):

1. the renames the files' hints ask for (:mod:`schemactl.core.diff_renames`: the rest
   is computed on the model as it is once they ran), then drops of dependents, which
   never hold data: policies, triggers, views (dependents
   first), indexes, constraints (foreign keys first), the first half of every
   drop-and-recreate, then the rebuilds of enum types and domains (their dependents gone);
2. creates and alters, ordered by schemactl's own ordering engine (the statements are parsed
   like a SQL file and ordered by what they create and reference), the phase order of
   :data:`_PHASES` breaking ties; no drop is ever in this stage (the engine orders a DROP
   after whatever creates its object);
3. changes of default privileges (after the creates, so a new object's privileges follow
   the source's defaults, which :meth:`_Diff._fresh_grants` knows), then drops of objects
   that may still be referenced until the alters ran: columns, tables, sequences,
   functions, types, extensions, schemas (in that order).

:func:`committed_first` splits off the ``ALTER TYPE ... ADD VALUE`` statements, which must
commit before anything uses the new label.
"""

from __future__ import annotations

import graphlib
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from psycopg import sql

from schemactl.core.catalog import (
    CatalogModel,
    Column,
    Constraint,
    DefaultPrivilege,
    Domain,
    Function,
    Grant,
    Policy,
    QualifiedName,
    Table,
    Trigger,
    View,
)
from schemactl.core.catalog import (
    Sequence as SequenceObject,
)
from schemactl.core.diff_renames import apply_renames, possible_renames
from schemactl.core.renames import RenameHint
from schemactl.errors import SchemactlError

__all__ = [
    "Change",
    "ConcurrentForm",
    "DiffResult",
    "diff_catalogs",
    "order_changes",
    "quote_ident",
    "render",
    "with_concurrently",
]

# hazards, spelled the same everywhere
ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE lock"
SHARE_LOCK = "SHARE lock (blocks writes)"
REWRITE = "table rewrite"
SHARE_UPDATE = "SHARE UPDATE EXCLUSIVE lock (reads and writes go on)"
OUTSIDE = "runs after the transaction commits, alone"
INVALID_REBUILT = "rebuilds an INVALID index (a failed CREATE INDEX CONCURRENTLY)"
INDEX_BUILD = "index build"
VALIDATION = "validation scan"
DATA_LOSS = "data loss"
NEW_LABEL = "new enum label cannot be used in the same transaction"
POPULATES = "runs the query to populate"


@dataclass(frozen=True)
class ConcurrentForm:
    """How a change runs with ``concurrently``: part in the transaction, part after it.

    ``inside`` replaces the change's statements in the transaction; ``outside`` runs after
    the transaction commits, each statement alone (``CREATE INDEX CONCURRENTLY`` cannot run
    in a transaction block; a ``VALIDATE CONSTRAINT`` there holds only SHARE UPDATE
    EXCLUSIVE, not the lock its ``ADD ... NOT VALID`` took).
    """

    inside: tuple[str, ...]
    outside: tuple[str, ...]
    hazards: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """One change of the diff: what happens to which object, the SQL, and its risks."""

    action: str  # "create" | "alter" | "drop"
    kind: str  # "table", "column", "index", "policy", ...
    name: str  # qualified, e.g. "public.t", "public.t.c", "public.t.p", "public.f(integer)"
    sql: tuple[str, ...]
    hazards: tuple[str, ...] = ()
    destructive: bool = False
    # the change's form under ``concurrently`` (indexes and validations on existing tables)
    concurrent: ConcurrentForm | None = None
    # statements of ``sql`` that run after the transaction commits, each alone
    outside: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiffResult:
    """The changes that make the source database's schema equal to the target's."""

    changes: tuple[Change, ...] = ()  # execution order
    statements: tuple[str, ...] = ()  # the SQL to run, in order, without trailing semicolons
    unsupported: tuple[str, ...] = ()  # objects of kinds the diff does not handle
    destructive: tuple[Change, ...] = ()
    # things worth a word that are no drift: data statements of the files, not diffed;
    # rename hints that do not apply
    warnings: tuple[str, ...] = ()
    # drop + add pairs that look like renames without a hint (advice, in every format)
    possible_renames: tuple[str, ...] = ()
    # statements (the last ones of ``statements``) that run after the transaction
    # commits, each alone: CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT (``concurrently``)
    outside: tuple[str, ...] = ()

    @property
    def has_drift(self) -> bool:
        """True when the schemas differ (changes to make, or unsupported objects that differ)."""
        return bool(self.changes or self.unsupported)


# ---------------------------------------------------------------------------------------
# rendering helpers


@cache
def _keywords() -> frozenset[str]:
    from pglast import keywords

    return frozenset(
        keywords.RESERVED_KEYWORDS | keywords.COL_NAME_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS
    )


_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")


@cache  # a diff quotes the same few thousand names hundreds of thousands of times
def quote_ident(name: str) -> str:
    """``name`` quoted as PostgreSQL's ``quote_ident`` does: only when it must be."""
    if _PLAIN.match(name) and name not in _keywords():
        return name
    return '"' + name.replace('"', '""') + '"'


def _qn(*parts: str) -> str:
    """A dotted name as the server's catalog queries render it (``quote_ident`` parts)."""
    return ".".join(map(quote_ident, parts))


def render(template: str, *args: sql.Composable | str, **kwargs: sql.Composable | str) -> str:
    """``template`` formatted with psycopg.sql, composed to a string without a connection.

    A plain ``str`` argument is a server-rendered SQL fragment (a type, an expression, a
    definition) and goes in as is; names go in as :class:`psycopg.sql.Identifier`.
    """

    def fragment(value: sql.Composable | str) -> sql.Composable:
        return sql.SQL(value) if isinstance(value, str) else value

    composed = sql.SQL(template).format(
        *(fragment(a) for a in args), **{k: fragment(v) for k, v in kwargs.items()}
    )
    return composed.as_string(None).strip()


def _id(*parts: str) -> sql.Identifier:
    return sql.Identifier(*parts)


def _lit(value: str) -> sql.Composable:
    return sql.SQL(sql.Literal(value).as_string(None).strip())


def _role(name: str) -> sql.Composable:
    return sql.SQL("PUBLIC") if name == "PUBLIC" else sql.Identifier(name)


# ---------------------------------------------------------------------------------------
# ordering

# Tie-break order of creates and alters (the ordering engine's dependencies come first).
_PHASES = (
    "schema", "extension", "enum", "enum label", "domain", "composite type", "sequence",
    "function", "table", "partition", "column", "sequence owner", "constraint", "index",
    "view", "materialized view", "trigger", "rls", "policy", "owner", "grant", "default privilege",
    "comment",
)  # fmt: skip
# Order of the early drops (dependents) and of the late drops (what they depended on).
_EARLY_DROPS = (
    "rename", "policy", "trigger", "view", "index", "constraint", "column", "function", "enum",
)  # fmt: skip
_LATE_DROPS = (
    "default privilege", "column", "partition", "table", "sequence", "function", "composite type", "domain",
    "enum", "extension", "schema",
)  # fmt: skip


@dataclass
class _Planned:
    change: Change
    phase: str  # a _PHASES entry, or the drop kind
    stage: int  # 0 early drop, 1 create/alter, 2 late drop
    rank: int = 0  # order inside the phase (drops of dependents first)


def order_changes(
    planned: Sequence[tuple[Change, str]],
) -> tuple[tuple[Change, ...], tuple[str, ...]]:
    """Creates and alters in dependency order: (changes, statements).

    ``planned`` pairs each change with its phase (a :data:`_PHASES` entry). The statements
    are parsed as one synthetic SQL file in phase order and ordered by
    :func:`schemactl.core.graph.order_statements`; a change goes where its first statement
    went. If the engine cannot order them (a cycle), phase order is kept.
    """
    rank = {phase: i for i, phase in enumerate(_PHASES)}
    items = sorted(enumerate(planned), key=lambda x: (rank[x[1][1]], x[0]))
    changes = [change for _, (change, _) in items]
    flat = [(ci, stmt) for ci, change in enumerate(changes) for stmt in change.sql]
    if not flat:
        return (), ()
    # imported only when there is something to order: a no-drift diff never parses
    from schemactl.core.graph import order_statements
    from schemactl.core.parse import parse_file
    from schemactl.model import SqlFile

    text = "".join(f"{stmt};\n\n" for _, stmt in flat)
    file = SqlFile(
        relpath="<diff>",
        display="<diff>",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    try:
        parsed = parse_file(file)
        if len(parsed) != len(flat):
            raise ValueError("statement count")
        ordering = order_statements(parsed)
    except (SchemactlError, ValueError):
        return tuple(changes), tuple(stmt for _, stmt in flat)
    position = {st.index: pos for pos, st in enumerate(ordering.statements)}
    first: dict[int, int] = {}
    for index, (ci, _) in enumerate(flat):
        first.setdefault(ci, position[index])
    ordered_changes = sorted(range(len(changes)), key=lambda ci: first[ci])
    statements = tuple(flat[st.index][1] for st in ordering.statements)
    return tuple(changes[ci] for ci in ordered_changes), statements


# ---------------------------------------------------------------------------------------
# type changes

_WIDENING = {
    ("smallint", "integer"), ("smallint", "bigint"), ("integer", "bigint"),
    ("smallint", "numeric"), ("integer", "numeric"), ("bigint", "numeric"),
    ("real", "double precision"), ("character varying", "text"), ("character", "text"),
    ("character", "character varying"), ("text", "character varying"),
    ("character varying", "character varying"), ("numeric", "numeric"),
    ("timestamp without time zone", "timestamp with time zone"),
}  # fmt: skip
# changes PostgreSQL makes without rewriting the table (binary coercible)
_NO_REWRITE = {("character varying", "text"), ("character varying", "character varying"),
               ("text", "character varying"), ("numeric", "numeric")}  # fmt: skip
_TYPMOD = re.compile(r"^(?P<base>[a-z ]+?)(?:\((?P<mods>[0-9, ]+)\))?(?P<array>(\[\])*)$")


def type_change_is_safe(old: str, new: str) -> tuple[bool, bool]:
    """(keeps every value, needs no rewrite) for a column type change ``old`` -> ``new``."""
    a, b = _TYPMOD.match(old), _TYPMOD.match(new)
    if not a or not b or a["array"] != b["array"]:
        return False, False
    pair = (a["base"], b["base"])
    if pair not in _WIDENING:
        return False, False
    old_mods = [int(x) for x in (a["mods"] or "").split(",") if x.strip()]
    new_mods = [int(x) for x in (b["mods"] or "").split(",") if x.strip()]
    if b["base"] in ("character varying", "numeric") and new_mods:
        if not old_mods and a["base"] == b["base"]:
            return False, False  # unbounded -> bounded
        if pair == ("numeric", "numeric"):
            if len(old_mods) != 2 or len(new_mods) != 2 or new_mods[1] != old_mods[1]:
                return False, False
            if new_mods[0] < old_mods[0]:
                return False, False
        elif pair == ("text", "character varying") or not old_mods or new_mods[0] < old_mods[0]:
            return False, False
    if pair == ("text", "character varying") and new_mods:
        return False, False
    rewrite = pair not in _NO_REWRITE
    if a["base"] == "character" or pair[1] == "timestamp with time zone":
        rewrite = True
    return True, not rewrite


# ---------------------------------------------------------------------------------------
# the diff


def _column_sql(col: Column) -> str:
    parts = [render("{} {}", _id(col.name), col.data_type)]
    if col.collation:
        parts.append(f"COLLATE {col.collation}")
    if col.generated is not None:
        kind = "VIRTUAL" if col.virtual else "STORED"
        parts.append(f"GENERATED ALWAYS AS ({col.generated}) {kind}")
    elif col.identity:
        when = "ALWAYS" if col.identity == "a" else "BY DEFAULT"
        parts.append(f"GENERATED {when} AS IDENTITY")
    if col.default is not None and col.generated is None:
        parts.append(f"DEFAULT {col.default}")
    if col.not_null and not col.identity:
        parts.append("NOT NULL")
    return " ".join(parts)


@dataclass
class _Diff:
    source: CatalogModel
    target: CatalogModel
    compare_owners: bool = False
    renames: Sequence[RenameHint] = ()
    planned: list[_Planned] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    # owner keys of objects dropped and created again (their grants and comments go too)
    recreated: set[str] = field(default_factory=set)
    # relations whose dependents must be rebuilt (views over them)
    touched: set[QualifiedName] = field(default_factory=set)
    dropped_tables: set[QualifiedName] = field(default_factory=set)
    # tables with a column retyped or dropped: their policies are rebuilt
    retyped: set[QualifiedName] = field(default_factory=set)
    # _keys of each model (by id): grants and comments both need them
    keys_of: dict[int, set[str]] = field(default_factory=dict)

    # -- bookkeeping -------------------------------------------------------------------

    def add(
        self,
        action: str,
        kind: str,
        name: str,
        statements: Iterable[str],
        *,
        phase: str | None = None,
        stage: int = 1,
        hazards: Iterable[str] = (),
        destructive: bool = False,
        rank: int = 0,
        concurrent: ConcurrentForm | None = None,
    ) -> None:
        change = Change(
            action, kind, name, tuple(statements), tuple(hazards), destructive, concurrent
        )
        self.planned.append(_Planned(change, phase or kind, stage, rank))

    def ordered(self) -> tuple[tuple[Change, ...], tuple[str, ...]]:
        """Early drops, then creates/alters in dependency order, then late drops."""
        early = sorted(
            (p for p in self.planned if p.stage == 0),
            key=lambda p: (_EARLY_DROPS.index(p.phase), p.rank),
        )
        late = sorted(
            (p for p in self.planned if p.stage == 2),
            key=lambda p: (_LATE_DROPS.index(p.phase), p.rank),
        )
        middle, statements = order_changes(
            [(p.change, p.phase) for p in self.planned if p.stage == 1]
        )
        changes = (*(p.change for p in early), *middle, *(p.change for p in late))
        all_statements = (
            *(s for p in early for s in p.change.sql),
            *statements,
            *(s for p in late for s in p.change.sql),
        )
        return changes, all_statements

    # -- kinds ---------------------------------------------------------------------------

    def run(self) -> DiffResult:
        renamed = apply_renames(self.source, self.target, self.renames)
        self.source = renamed.model  # the rest is computed as if the renames ran (first)
        for rank, (kind, name, stmt) in enumerate(renamed.statements):
            self.add(
                "alter", kind, name, [stmt], phase="rename", stage=0, rank=rank,
                hazards=[ACCESS_EXCLUSIVE],
            )  # fmt: skip
        self.schemas()
        self.extensions()
        self.enums()
        self.domains()
        self.composites()
        self.tables()  # before views, constraints, indexes: fills touched / dropped_tables
        self.constraints()
        self.sequences()
        self.views()
        self.indexes()
        self.functions()
        self.triggers()
        self.policies()
        self.grants()
        self.default_privileges()
        self.comments()
        if self.compare_owners:
            self.owners()
        for label, _definition in sorted(self.source.unsupported ^ self.target.unsupported):
            if label not in self.unsupported:
                self.unsupported.append(label)
        changes, statements = self.ordered()
        return DiffResult(
            changes=changes,
            statements=statements,
            unsupported=tuple(dict.fromkeys(self.unsupported)),
            destructive=tuple(c for c in changes if c.destructive),
            warnings=tuple(renamed.warnings),
            possible_renames=possible_renames(self.source, self.target),
        )

    def schemas(self) -> None:
        for name in sorted(self.target.schemas.keys() - self.source.schemas.keys()):
            self.add("create", "schema", name, [render("CREATE SCHEMA {}", _id(name))])
        for name in sorted(self.source.schemas.keys() - self.target.schemas.keys()):
            self.add(
                "drop", "schema", name, [render("DROP SCHEMA {}", _id(name))],
                stage=2, hazards=[DATA_LOSS], destructive=True,
            )  # fmt: skip

    def extensions(self) -> None:
        src, tgt = self.source.extensions, self.target.extensions
        for name in sorted(tgt.keys() - src.keys()):
            stmt = render(
                "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}", _id(name), _id(tgt[name].schema)
            )
            if tgt[name].version:
                stmt += " " + render("VERSION {}", _lit(tgt[name].version))
            self.add("create", "extension", name, [stmt])
        for name in sorted(src.keys() - tgt.keys()):
            self.add(
                "drop", "extension", name, [render("DROP EXTENSION {}", _id(name))],
                stage=2, hazards=[DATA_LOSS], destructive=True,
            )  # fmt: skip
        for name in sorted(src.keys() & tgt.keys()):
            if src[name].version != tgt[name].version and tgt[name].version:
                reachable = src[name].reachable
                if reachable is not None and tgt[name].version not in reachable:
                    # e.g. a downgrade: the extension ships no script for it
                    self.unsupported.append(
                        f"extension {name}: no update path from {src[name].version} to "
                        f"{tgt[name].version}"
                    )
                else:
                    self.add(
                        "alter", "extension", name,
                        [render("ALTER EXTENSION {} UPDATE TO {}", _id(name),
                                _lit(tgt[name].version))],
                    )  # fmt: skip
            if src[name].schema != tgt[name].schema:
                self.add(
                    "alter", "extension", name,
                    [render("ALTER EXTENSION {} SET SCHEMA {}", _id(name), _id(tgt[name].schema))],
                )  # fmt: skip

    def enums(self) -> None:
        src, tgt = self.source.enums, self.target.enums
        for key in sorted(tgt.keys() - src.keys()):
            labels = sql.SQL(", ").join(_lit(label) for label in tgt[key].labels)
            self.add(
                "create",
                "enum",
                _qn(*key),
                [render("CREATE TYPE {} AS ENUM ({})", _id(*key), labels)],
            )
        for key in sorted(src.keys() - tgt.keys()):
            self.add(
                "drop", "enum", _qn(*key), [render("DROP TYPE {}", _id(*key))],
                stage=2, hazards=[DATA_LOSS], destructive=True,
            )  # fmt: skip
        for key in sorted(src.keys() & tgt.keys()):
            old, new = src[key].labels, tgt[key].labels
            if old == new:
                continue
            kept = [label for label in new if label in old]
            if kept != list(old):
                self._rebuild_enum(key)
                continue
            statements = []
            for i, label in enumerate(new):
                if label in old:
                    continue
                after = next((x for x in reversed(new[:i]) if x in old or x in new[:i]), None)
                if after is not None:
                    where = render("AFTER {}", _lit(after))
                else:
                    where = render("BEFORE {}", _lit(next(x for x in new[i:] if x in old)))
                statements.append(
                    render(
                        "ALTER TYPE {} ADD VALUE IF NOT EXISTS {} {}", _id(*key), _lit(label), where
                    )
                )
            self.add(
                "alter", "enum", _qn(*key), statements, phase="enum label", hazards=[NEW_LABEL]
            )

    def _enum_users(self, model: CatalogModel, key: QualifiedName) -> tuple[list[str], bool]:
        """Columns (``schema.table.column``) of ``model`` typed ``key`` (an enum or a domain),
        and whether anything else (a function, domain, composite type, array) uses it."""
        name = _qn(*key)
        columns, other = [], False
        for t in model.tables.values():
            for c in t.columns:
                if c.data_type == name:
                    columns.append((t.schema, t.name, c.name))
                elif c.data_type.startswith(name + "["):
                    other = True
        other = other or any(
            name in f"{f.arguments} {f.result or ''}" for f in model.functions.values()
        )
        other = other or any(d.base_type.startswith(name) for d in model.domains.values())
        other = other or any(
            t.startswith(name) for c in model.composites.values() for _, t in c.attributes
        )
        return [".".join(c) for c in columns], other

    def _rebuild_domain(self, key: QualifiedName) -> None:
        """A new base type or collation: a new domain, its columns cast to it (as for enums)."""
        old, new = self.source.domains[key], self.target.domains[key]
        columns, other = self._enum_users(self.source, key)
        if other:
            self.unsupported.append(
                f"domain {_qn(*key)}: base type or collation changed "
                f"({old.base_type} -> {new.base_type}) and the domain is used by a function, "
                "domain, composite type or array: recreate it by hand"
            )
            return
        retired = key[1][:40] + "__schemactl_old"
        statements = [
            render("ALTER DOMAIN {} RENAME TO {}", _id(*key), _id(retired)),
            *self._domain_create(new),
        ]
        statements += self._recast_columns(key, columns, f"{{}}::{new.base_type}::{{}}")
        safe = type_change_is_safe(old.base_type, new.base_type)[0]
        self.add(
            "alter", "domain", _qn(*key), statements, phase="enum", stage=0,
            hazards=[ACCESS_EXCLUSIVE, REWRITE] + ([] if safe else [DATA_LOSS]),
            destructive=not safe,
        )  # fmt: skip
        self.add(
            "drop", "domain", _qn(key[0], retired),
            [render("DROP DOMAIN {}", _id(key[0], retired))], stage=2,
        )  # fmt: skip

    def _recast_columns(self, key: QualifiedName, columns: list[str], using: str) -> list[str]:
        """Retype the columns (``schema.table.column``) of a rebuilt type ``key``.

        ``using`` is the USING expression with two placeholders: the column and the type.
        The columns' tables get their views and policies rebuilt around the change.
        """
        statements = []
        for qualified in columns:
            schema, table, column = qualified.split(".", 2)  # names from the model: no dots
            tgt_table = self.target.tables.get((schema, table))
            if tgt_table is None or tgt_table.column(column) is None:
                continue  # dropped later, with the table or column
            self.touched.add((schema, table))
            self.retyped.add((schema, table))
            before = self.source.tables[(schema, table)].column(column)
            after = tgt_table.column(column)
            assert before is not None and after is not None
            alter = "ALTER TABLE {} ALTER COLUMN {} "
            t, c = _id(schema, table), _id(column)
            if before.default is not None:
                statements.append(render(alter + "DROP DEFAULT", t, c))
            expression = render(using, c, _id(*key))
            statements.append(render(alter + "TYPE {} USING {}", t, c, _id(*key), expression))
            if before.default is not None and after.default == before.default:
                statements.append(render(alter + "SET DEFAULT {}", t, c, after.default))
        return statements

    def _rebuild_enum(self, key: QualifiedName) -> None:
        """Labels removed or reordered: a new type, and the columns cast to it through text.

        The old type is renamed, the new one created, every column of it (present on both
        sides) retyped ``USING col::text::type`` (a row holding a removed label makes the
        migration fail, nothing is lost silently), the old type dropped at the end.
        """
        old, new = self.source.enums[key], self.target.enums[key]
        columns, other = self._enum_users(self.source, key)
        if other:
            self.unsupported.append(
                f"enum type {_qn(*key)}: labels removed or reordered "
                f"({', '.join(old.labels)} -> {', '.join(new.labels)}) and the type is used "
                "by a function, domain, composite type or array: recreate it by hand"
            )
            return
        retired = key[1][:40] + "__schemactl_old"
        labels = sql.SQL(", ").join(_lit(label) for label in new.labels)
        statements = [
            render("ALTER TYPE {} RENAME TO {}", _id(*key), _id(retired)),
            render("CREATE TYPE {} AS ENUM ({})", _id(*key), labels),
        ]
        statements += self._recast_columns(key, columns, "{}::text::{}")
        self.add(
            "alter", "enum", _qn(*key), statements, phase="enum", stage=0,
            hazards=[ACCESS_EXCLUSIVE, REWRITE, "fails if a row holds a removed label"],
            destructive=True,
        )  # fmt: skip
        self.add(
            "drop", "enum", _qn(key[0], retired),
            [render("DROP TYPE {}", _id(key[0], retired))], stage=2,
        )  # fmt: skip

    def _domain_create(self, d: Domain) -> list[str]:
        """CREATE DOMAIN with its validated checks; each NOT VALID check added after it.

        CREATE DOMAIN does not take NOT VALID (only ALTER DOMAIN ... ADD CONSTRAINT does).
        """
        name = _id(d.schema, d.name)
        parts = [render("CREATE DOMAIN {} AS {}", name, d.base_type)]
        if d.collation:
            parts.append(f"COLLATE {d.collation}")
        if d.default is not None:
            parts.append(f"DEFAULT {d.default}")
        if d.not_null:
            parts.append("NOT NULL")
        later: list[str] = []
        for check in d.checks:
            if check.validated:
                parts.append(render("CONSTRAINT {} {}", _id(check.name), check.definition))
            else:
                template = "ALTER DOMAIN {} ADD CONSTRAINT {} {} NOT VALID"
                later.append(render(template, name, _id(check.name), check.definition))
        return [" ".join(parts), *later]

    def domains(self) -> None:
        src, tgt = self.source.domains, self.target.domains
        for key in sorted(tgt.keys() - src.keys()):
            self.add("create", "domain", _qn(*key), self._domain_create(tgt[key]))
        for key in sorted(src.keys() - tgt.keys()):
            self.add(
                "drop", "domain", _qn(*key), [render("DROP DOMAIN {}", _id(*key))],
                stage=2, hazards=[DATA_LOSS], destructive=True,
            )  # fmt: skip
        for key in sorted(src.keys() & tgt.keys()):
            old, new = src[key], tgt[key]
            if old == new:
                continue
            name = _id(*key)
            if (old.base_type, old.collation) != (new.base_type, new.collation):
                self._rebuild_domain(key)
                continue
            statements: list[str] = []
            hazards: list[str] = []
            if old.default != new.default:
                statements.append(
                    render("ALTER DOMAIN {} SET DEFAULT {}", name, new.default)
                    if new.default is not None
                    else render("ALTER DOMAIN {} DROP DEFAULT", name)
                )
            if old.not_null != new.not_null:
                statements.append(
                    render("ALTER DOMAIN {} {} NOT NULL", name, "SET" if new.not_null else "DROP")
                )
                if new.not_null:
                    hazards.append(VALIDATION)
            old_checks = {c.name: c for c in old.checks}
            new_checks = {c.name: c for c in new.checks}
            for cname, check in old_checks.items():
                if cname not in new_checks or new_checks[cname].definition != check.definition:
                    self.add(
                        "drop", "constraint", _qn(*key, cname),
                        [render("ALTER DOMAIN {} DROP CONSTRAINT {}", name, _id(cname))],
                        phase="constraint", stage=0,
                    )  # fmt: skip
            for cname, check in new_checks.items():
                before = old_checks.get(cname)
                if before is None or before.definition != check.definition:
                    statements.append(
                        render(
                            "ALTER DOMAIN {} ADD CONSTRAINT {} {} NOT VALID",
                            name,
                            _id(cname),
                            check.definition,
                        )
                    )
                    if check.validated:
                        statements.append(
                            render("ALTER DOMAIN {} VALIDATE CONSTRAINT {}", name, _id(cname))
                        )
                        hazards.append(VALIDATION)
                elif check.validated and not before.validated:
                    statements.append(
                        render("ALTER DOMAIN {} VALIDATE CONSTRAINT {}", name, _id(cname))
                    )
                    hazards.append(VALIDATION)
            if statements:
                self.add("alter", "domain", _qn(*key), statements, hazards=dict.fromkeys(hazards))

    def composites(self) -> None:
        src, tgt = self.source.composites, self.target.composites
        for key in sorted(tgt.keys() - src.keys()):
            attrs = sql.SQL(", ").join(
                sql.SQL(render("{} {}", _id(a), t)) for a, t in tgt[key].attributes
            )
            self.add(
                "create", "composite type", _qn(*key),
                [render("CREATE TYPE {} AS ({})", _id(*key), attrs)],
            )  # fmt: skip
        for key in sorted(src.keys() - tgt.keys()):
            self.add(
                "drop", "composite type", _qn(*key), [render("DROP TYPE {}", _id(*key))],
                stage=2, hazards=[DATA_LOSS], destructive=True,
            )  # fmt: skip
        for key in sorted(src.keys() & tgt.keys()):
            old, new = dict(src[key].attributes), dict(tgt[key].attributes)
            if src[key].attributes == tgt[key].attributes:
                continue
            statements, destructive = [], False
            for attr in old:
                if attr not in new:
                    statements.append(
                        render("ALTER TYPE {} DROP ATTRIBUTE {}", _id(*key), _id(attr))
                    )
                    destructive = True
            for attr, typ in tgt[key].attributes:
                if attr not in old:
                    statements.append(
                        render("ALTER TYPE {} ADD ATTRIBUTE {} {}", _id(*key), _id(attr), typ)
                    )
                elif old[attr] != typ:
                    statements.append(
                        render(
                            "ALTER TYPE {} ALTER ATTRIBUTE {} TYPE {}", _id(*key), _id(attr), typ
                        )
                    )
                    destructive = destructive or not type_change_is_safe(old[attr], typ)[0]
            if [a for a in old if a in new] != [a for a, _ in tgt[key].attributes if a in old]:
                self.unsupported.append(
                    f"composite type {_qn(*key)}: attributes reordered; recreate the type by hand"
                )
            self.add(
                "alter", "composite type", _qn(*key), statements,
                hazards=[DATA_LOSS] if destructive else [], destructive=destructive,
            )  # fmt: skip

    def identity_sequences(self) -> None:
        """Options of identity columns' sequences: ``ALTER TABLE ... ALTER COLUMN ... SET``."""
        by_column = {s.owned_by: s for s in self.source.sequences.values() if s.identity}
        for _key, new in sorted(self.target.sequences.items()):
            if not new.identity or new.owned_by is None:
                continue
            schema, table, column = new.owned_by
            old = by_column.get(new.owned_by)
            if old is None:
                old = _identity_defaults(new)
            parts = [
                f"SET {word} {getattr(new, attr)}"
                for attr, word in _SEQUENCE_OPTIONS
                if getattr(old, attr) != getattr(new, attr)
            ]
            if old.cycle != new.cycle:
                parts.append("SET CYCLE" if new.cycle else "SET NO CYCLE")
            if parts:
                self.add(
                    "alter", "column", _qn(schema, table, column),
                    [render("ALTER TABLE {} ALTER COLUMN {} {}", _id(schema, table),
                            _id(column), " ".join(parts))],
                    phase="sequence owner",
                )  # fmt: skip

    def sequences(self) -> None:
        self.identity_sequences()
        src = {k: s for k, s in self.source.sequences.items() if not s.identity}
        tgt = {k: s for k, s in self.target.sequences.items() if not s.identity}
        for key in sorted(tgt.keys() - src.keys()):
            s = tgt[key]
            stmt = render(
                "CREATE SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} "
                "CACHE {} {}",
                _id(*key), s.data_type, str(s.increment), str(s.minimum), str(s.maximum),
                str(s.start), str(s.cache), "CYCLE" if s.cycle else "NO CYCLE",
            )  # fmt: skip
            statements = [stmt]
            if s.owned_by:
                by = _id(*s.owned_by)
                statements.append(render("ALTER SEQUENCE {} OWNED BY {}", _id(*key), by))
            if s.unlogged:
                statements.append(render("ALTER SEQUENCE {} SET UNLOGGED", _id(*key)))
            self.add("create", "sequence", _qn(*key), statements)
        for key in sorted(src.keys() - tgt.keys()):
            owner = src[key].owned_by
            if owner and (owner[0], owner[1]) in self.dropped_tables:
                continue  # DROP TABLE drops the sequences its columns own
            if owner and self._column_dropped(owner):
                continue
            self.add(
                "drop", "sequence", _qn(*key), [render("DROP SEQUENCE {}", _id(*key))],
                stage=2, destructive=False,
            )  # fmt: skip
        for key in sorted(src.keys() & tgt.keys()):
            old, new = src[key], tgt[key]
            parts = []
            if old.data_type != new.data_type:
                parts.append(f"AS {new.data_type}")
            for attr, word in _SEQUENCE_OPTIONS:
                if getattr(old, attr) != getattr(new, attr):
                    parts.append(f"{word} {getattr(new, attr)}")
            if old.cycle != new.cycle:
                parts.append("CYCLE" if new.cycle else "NO CYCLE")
            hazards = []
            current = old.last_value if old.last_value is not None else old.start
            if parts and not new.minimum <= current <= new.maximum:
                # the server refuses a range that leaves the current value out: restart
                parts.append(f"RESTART WITH {new.start}")
                hazards.append(f"restarts the sequence at {new.start} (was {current})")
            if old.unlogged != new.unlogged:
                word = "UNLOGGED" if new.unlogged else "LOGGED"
                self.add(
                    "alter", "sequence", _qn(*key),
                    [render("ALTER SEQUENCE {} SET {}", _id(*key), word)],
                )  # fmt: skip
            if parts:
                self.add(
                    "alter", "sequence", _qn(*key),
                    [render("ALTER SEQUENCE {} {}", _id(*key), " ".join(parts))],
                    hazards=hazards,
                )  # fmt: skip
            if old.owned_by != new.owned_by:
                self._owned_by(key, new.owned_by)

    def _owned_by(self, key: QualifiedName, owner: tuple[str, str, str] | None) -> None:
        by: sql.Composable = _id(*owner) if owner else sql.SQL("NONE")
        self.add(
            "alter", "sequence", _qn(*key),
            [render("ALTER SEQUENCE {} OWNED BY {}", _id(*key), by)], phase="sequence owner",
        )  # fmt: skip

    def _column_dropped(self, owner: tuple[str, str, str]) -> bool:
        table = self.target.tables.get((owner[0], owner[1]))
        return table is None or table.column(owner[2]) is None

    # -- tables and columns ----------------------------------------------------------------

    def _table_create(self, t: Table) -> str:
        name = _id(t.schema, t.name)
        if t.parent is not None:
            stmt = render(
                "CREATE TABLE {} PARTITION OF {} {}", name, _id(*t.parent), t.partition_bound or ""
            )
            return stmt + (f" PARTITION BY {t.partition_key}" if t.partition_key else "")
        columns = sql.SQL(", ").join(sql.SQL(_column_sql(c)) for c in t.columns)
        unlogged = "UNLOGGED " if t.persistence == "u" else ""
        stmt = render("CREATE {}TABLE {} ({})", unlogged, name, columns)
        if t.partition_key:
            stmt += f" PARTITION BY {t.partition_key}"
        if t.options:
            stmt += f" WITH ({', '.join(t.options)})"
        return stmt

    def tables(self) -> None:
        src, tgt = self.source.tables, self.target.tables
        for key in sorted(tgt.keys() - src.keys()):
            t = tgt[key]
            self.add(
                "create", "table", _qn(*key), [self._table_create(t)],
                phase="partition" if t.parent else "table",
            )  # fmt: skip
            self._rls(t, None)
        gone = src.keys() - tgt.keys()
        self.dropped_tables = set(gone)
        for key in sorted(gone):
            parent = src[key].parent
            if parent is not None and parent in gone:
                continue  # dropped with its parent
            self.add(
                "drop", "table", _qn(*key), [render("DROP TABLE {}", _id(*key))],
                phase="partition" if parent else "table", stage=2,
                hazards=[ACCESS_EXCLUSIVE, DATA_LOSS], destructive=True,
            )  # fmt: skip
        for key in sorted(src.keys() & tgt.keys()):
            self._table_alter(src[key], tgt[key])

    def _rls(self, new: Table, old: Table | None) -> None:
        name = _id(new.schema, new.name)
        statements = []
        if new.rls_enabled != (old.rls_enabled if old else False):
            word = "ENABLE" if new.rls_enabled else "DISABLE"
            statements.append(render("ALTER TABLE {} {} ROW LEVEL SECURITY", name, word))
        if new.rls_forced != (old.rls_forced if old else False):
            word = "FORCE" if new.rls_forced else "NO FORCE"
            statements.append(render("ALTER TABLE {} {} ROW LEVEL SECURITY", name, word))
        if statements:
            self.add("alter", "rls", _qn(new.schema, new.name), statements)

    def _table_alter(self, old: Table, new: Table) -> None:
        key = (new.schema, new.name)
        name = _id(*key)
        if old.partition_key != new.partition_key:
            self.unsupported.append(
                f"table {_qn(*key)}: partition key changed "
                f"({old.partition_key or 'none'} -> {new.partition_key or 'none'}); "
                "recreate the table by hand"
            )
            return
        if (old.parent, old.partition_bound) != (new.parent, new.partition_bound):
            # DETACH / ATTACH keep the rows; ATTACH scans them against the bound
            statements = []
            if old.parent is not None:
                statements.append(
                    render("ALTER TABLE {} DETACH PARTITION {}", _id(*old.parent), name)
                )
            if new.parent is not None:
                statements.append(
                    render("ALTER TABLE {} ATTACH PARTITION {} {}", _id(*new.parent), name,
                           new.partition_bound or "")
                )  # fmt: skip
            self.add(
                "alter", "partition", _qn(*key), statements,
                hazards=[ACCESS_EXCLUSIVE] + ([VALIDATION] if new.parent else []),
            )  # fmt: skip
        if old.persistence != new.persistence:
            word = "UNLOGGED" if new.persistence == "u" else "LOGGED"
            self.add(
                "alter", "table", _qn(*key), [render("ALTER TABLE {} SET {}", name, word)],
                hazards=[ACCESS_EXCLUSIVE, REWRITE],
            )  # fmt: skip
        self._rls(new, old)
        if old.options != new.options:
            statements = []
            names = {o.split("=", 1)[0] for o in new.options}
            gone = [o.split("=", 1)[0] for o in old.options if o.split("=", 1)[0] not in names]
            if gone:
                statements.append(render("ALTER TABLE {} RESET ({})", name, ", ".join(gone)))
            if new.options:
                statements.append(render("ALTER TABLE {} SET ({})", name, ", ".join(new.options)))
            self.add("alter", "table", _qn(*key), statements, hazards=[ACCESS_EXCLUSIVE])
        if new.parent is not None or old.parent is not None:
            return  # a partition's columns are its parent's (a detached one keeps them)
        new_names = {c.name for c in new.columns}
        retyped = any(
            (c.data_type, c.collation) != (before.data_type, before.collation)
            for c in new.columns
            if (before := old.column(c.name)) is not None and c.generated is None
        )
        if retyped or {c.name for c in old.columns} - new_names:
            # policies that read a column block its type change or drop: rebuild them
            self.retyped.add(key)
        rebuilt: list[Column] = []
        if retyped:
            # so do generated columns that read it: drop them first, add them back after
            for col in new.columns:
                before = old.column(col.name)
                if before is not None and before.generated is not None:
                    self._recreate_column(key, before, col, add=False)
                    rebuilt.append(col)
        for col in old.columns:
            if col.name not in new_names:
                self.touched.add(key)
                self.add(
                    "drop", "column", _qn(*key, col.name),
                    [render("ALTER TABLE {} DROP COLUMN {}", name, _id(col.name))],
                    stage=2, hazards=[ACCESS_EXCLUSIVE, DATA_LOSS], destructive=True,
                )  # fmt: skip
        for col in new.columns:
            before = old.column(col.name)
            if before is None:
                self._add_column(key, col)
            elif before != col and col not in rebuilt:
                self._alter_column(key, before, col)
        for col in rebuilt:
            self._add_column(key, col)  # after the column it reads changed type

    def _add_column(self, key: QualifiedName, col: Column) -> None:
        hazards = [ACCESS_EXCLUSIVE]
        if (
            col.generated is not None
            or col.identity
            or (col.default is not None and "(" in col.default)
        ):
            hazards.append(REWRITE)  # a volatile default or a generated value fills every row
        if col.not_null and col.default is None and not col.identity and col.generated is None:
            hazards.append("fails if the table has rows (NOT NULL without a default)")
        self.add(
            "create", "column", _qn(*key, col.name),
            [render("ALTER TABLE {} ADD COLUMN {}", _id(*key), _column_sql(col))], hazards=hazards,
        )  # fmt: skip

    def _recreate_column(
        self, key: QualifiedName, old: Column, new: Column, *, add: bool = True
    ) -> None:
        qualified = _qn(*key, new.name)
        self.touched.add(key)
        self.recreated.add(f"col {qualified}")
        self.add(
            "drop", "column", qualified,
            [render("ALTER TABLE {} DROP COLUMN {}", _id(*key), _id(new.name))],
            stage=0, hazards=[ACCESS_EXCLUSIVE] + ([] if old.generated else [DATA_LOSS]),
            destructive=old.generated is None,
        )  # fmt: skip
        if add:
            self._add_column(key, new)

    def _alter_column(self, key: QualifiedName, old: Column, new: Column) -> None:
        table, column = _id(*key), _id(new.name)
        qualified = _qn(*key, new.name)
        if (old.generated, old.virtual) != (new.generated, new.virtual):
            # a generated expression cannot be changed in place (before PostgreSQL 17)
            self._recreate_column(key, old, new)
            return
        statements: list[str] = []
        hazards: list[str] = [ACCESS_EXCLUSIVE]
        destructive = False
        alter = "ALTER TABLE {} ALTER COLUMN {} "
        type_changed = (old.data_type, old.collation) != (new.data_type, new.collation)
        default_changed = old.default != new.default
        if type_changed and old.default is not None:
            statements.append(render(alter + "DROP DEFAULT", table, column))
            default_changed = new.default is not None
        if type_changed:
            self.touched.add(key)
            collate = f" COLLATE {new.collation}" if new.collation else ""
            using = render("{}::{}", column, new.data_type)
            statements.append(
                render(alter + "TYPE {}{} USING {}", table, column, new.data_type, collate, using)
            )
            if old.data_type != new.data_type:
                safe, no_rewrite = type_change_is_safe(old.data_type, new.data_type)
            else:
                safe, no_rewrite = True, False  # a collation change rebuilds indexes
            if not no_rewrite:
                hazards.append(REWRITE)
            if not safe:
                destructive = True
                hazards.append(DATA_LOSS)
        if new.not_null and not old.not_null:
            statements.append(render(alter + "SET NOT NULL", table, column))
            hazards.append(VALIDATION)
        if old.identity != new.identity:
            if old.identity and not new.identity:
                statements.append(render(alter + "DROP IDENTITY", table, column))
            elif new.identity and not old.identity:
                if old.default is not None and not type_changed:
                    statements.append(render(alter + "DROP DEFAULT", table, column))
                when = "ALWAYS" if new.identity == "a" else "BY DEFAULT"
                statements.append(
                    render(alter + "ADD GENERATED {} AS IDENTITY", table, column, when)
                )
            else:
                when = "ALWAYS" if new.identity == "a" else "BY DEFAULT"
                statements.append(render(alter + "SET GENERATED {}", table, column, when))
        if default_changed and not (new.identity and not old.identity and new.default is None):
            statements.append(
                render(alter + "SET DEFAULT {}", table, column, new.default)
                if new.default is not None
                else render(alter + "DROP DEFAULT", table, column)
            )
        if old.not_null and not new.not_null:
            statements.append(render(alter + "DROP NOT NULL", table, column))
        if statements:
            self.add(
                "alter", "column", qualified, statements,
                hazards=dict.fromkeys(hazards), destructive=destructive,
            )  # fmt: skip

    # -- constraints and indexes -------------------------------------------------------------

    def _references(self, definition: str, table: QualifiedName) -> bool:
        return f" REFERENCES {_qn(*table)}(" in definition

    def constraints(self) -> None:
        src, tgt = self.source.constraints, self.target.constraints
        changed = {
            k for k in src.keys() & tgt.keys()
            if src[k].definition != tgt[k].definition
            or (src[k].validated and not tgt[k].validated)  # only re-adding makes it NOT VALID
        }  # fmt: skip
        # a key that is recreated takes the foreign keys pointing at it along
        rekeyed = {(k[0], k[1]) for k in changed if src[k].kind in ("p", "u")}
        rekeyed |= {(k[0], k[1]) for k in src.keys() - tgt.keys() if src[k].kind in ("p", "u")}
        for k in src.keys() & tgt.keys():
            if src[k].kind == "f" and any(self._references(src[k].definition, t) for t in rekeyed):
                changed.add(k)
        for k in sorted(src.keys() - tgt.keys() | changed):
            if (k[0], k[1]) in self.dropped_tables and src[k].kind != "f":
                continue  # DROP TABLE drops it (foreign keys go first: tables may cycle)
            self.add(
                "drop", "constraint", _qn(*k),
                [render("ALTER TABLE {} DROP CONSTRAINT {}", _id(k[0], k[1]), _id(k[2]))],
                stage=0, rank=0 if src[k].kind == "f" else 1,
            )  # fmt: skip
            if k in changed:
                self.recreated.add(f"con {_qn(*k)}")
        for k in sorted(tgt.keys() - src.keys() | changed):
            self._add_constraint(tgt[k], new_table=(k[0], k[1]) not in self.source.tables)
        for k in sorted(src.keys() & tgt.keys() - changed):
            if tgt[k].validated and not src[k].validated:
                validate = render(
                    "ALTER TABLE {} VALIDATE CONSTRAINT {}", _id(k[0], k[1]), _id(k[2])
                )
                self.add(
                    "alter", "constraint", _qn(*k), [validate], hazards=[SHARE_UPDATE, VALIDATION],
                    concurrent=ConcurrentForm((), (validate,), (SHARE_UPDATE, VALIDATION, OUTSIDE)),
                )  # fmt: skip

    def _add_constraint(self, c: Constraint, *, new_table: bool) -> None:
        table, name = _id(c.schema, c.table), _id(c.name)
        add = render("ALTER TABLE {} ADD CONSTRAINT {} {}", table, name, c.definition)
        hazards: list[str] = []
        concurrent = None
        # NOT VALID foreign keys are refused on partitioned tables, and one that points at
        # a partitioned table leaves its per-partition copies unvalidated
        partitioned = any(
            t.partition_key and (k == (c.schema, c.table) or self._references(c.definition, k))
            for k, t in self.target.tables.items()
        )
        if c.kind in ("f", "c") and not (partitioned and c.kind == "f"):
            if not c.validated:
                statements = [add + " NOT VALID"]
            elif new_table:
                statements = [add]
            else:
                validate = render("ALTER TABLE {} VALIDATE CONSTRAINT {}", table, name)
                statements = [add + " NOT VALID", validate]
                # ADD ... NOT VALID scans nothing; the validation scan takes only SHARE UPDATE
                # EXCLUSIVE, but in the same transaction the ADD's lock is held through it
                lock = "SHARE ROW EXCLUSIVE lock" if c.kind == "f" else ACCESS_EXCLUSIVE
                hazards = [lock, VALIDATION]
                concurrent = ConcurrentForm(
                    (add + " NOT VALID",),
                    (validate,),
                    (f"{lock}, brief (NOT VALID: no scan)", VALIDATION, "VALIDATE: " + SHARE_UPDATE,
                     OUTSIDE),
                )  # fmt: skip
        else:
            statements = [add]
            if not new_table:
                hazards = [ACCESS_EXCLUSIVE, INDEX_BUILD]
        self.add(
            "create", "constraint", _qn(c.schema, c.table, c.name), statements, hazards=hazards,
            rank=0 if c.kind in ("p", "u", "x") else 1, concurrent=concurrent,
        )  # fmt: skip

    def indexes(self) -> None:
        src, tgt = self.source.indexes, self.target.indexes
        gone_views = self._dropped_views()  # their indexes go with them
        changed = {
            k for k in src.keys() & tgt.keys()
            if src[k].definition != tgt[k].definition or tgt[k].table in gone_views
            or not src[k].valid  # left INVALID by a failed CREATE INDEX CONCURRENTLY
        }  # fmt: skip
        # tables a new foreign key points at: a unique index there may be what it needs
        referenced = {
            t for k, c in self.target.constraints.items()
            if c.kind == "f" and self.source.constraints.get(k) != c
            for t in self.target.tables if self._references(c.definition, t)
        }  # fmt: skip
        for k in sorted(src.keys() - tgt.keys() | changed):
            if src[k].table not in self.dropped_tables and src[k].table not in gone_views:
                self.add("drop", "index", _qn(*k), [render("DROP INDEX {}", _id(*k))], stage=0)
            if k in changed:
                self.recreated.add(f"rel {_qn(*k)}")
        for k in sorted(tgt.keys() - src.keys() | changed):
            index = tgt[k]
            definition = index.definition
            owner = self.target.tables.get(index.table)
            if owner is not None and owner.partition_key:
                definition = definition.replace(" ON ONLY ", " ON ", 1)
            existing = index.table in self.source.tables or (
                index.table in self.source.views and index.table not in gone_views
            )
            invalid = [INVALID_REBUILT] if k in src and not src[k].valid else []
            concurrent = None
            if (
                index.table in self.source.tables
                and not (owner is not None and owner.partition_key)  # not supported there
                and not (" UNIQUE " in f" {definition} " and index.table in referenced)
            ):
                built = re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX CONCURRENTLY ",
                               definition, count=1)  # fmt: skip
                concurrent = ConcurrentForm(
                    (), (built,), (INDEX_BUILD, SHARE_UPDATE, OUTSIDE, *invalid)
                )
            self.add(
                "create", "index", _qn(*k), [definition],
                hazards=([INDEX_BUILD, SHARE_LOCK] if existing else []) + invalid,
                concurrent=concurrent,
            )  # fmt: skip

    # -- views -------------------------------------------------------------------------------

    def _view_create(self, v: View) -> str:
        name = _id(v.schema, v.name)
        if v.materialized:
            with_ = f" WITH ({', '.join(v.options)})" if v.options else ""
            return render("CREATE MATERIALIZED VIEW {}{} AS {}", name, with_, v.definition)
        with_ = f" WITH ({', '.join(v.options)})" if v.options else ""
        return render("CREATE VIEW {}{} AS {}", name, with_, v.definition)

    def views(self) -> None:
        src, tgt = self.source.views, self.target.views
        rebuild: set[QualifiedName] = set()
        replace_: set[QualifiedName] = set()
        for key in src.keys() & tgt.keys():
            old, new = src[key], tgt[key]
            if old == replace(new, depends_on=old.depends_on):
                continue
            if (
                not old.materialized
                and not new.materialized
                and new.columns[: len(old.columns)] == old.columns
            ):
                replace_.add(key)
            else:
                rebuild.add(key)
        # dependents of what is rebuilt, or of tables whose columns change, are rebuilt too
        touched = set(self.touched) | rebuild
        grew = True
        while grew:
            grew = False
            for key, view in src.items():
                if key in rebuild or key not in tgt:
                    continue
                if any(dep in touched for dep in view.depends_on):
                    rebuild.add(key)
                    touched.add(key)
                    replace_.discard(key)
                    grew = True
        dropped = sorted(src.keys() - tgt.keys() | rebuild)
        # drop dependents first: reverse topological order over the source's dependencies
        sorter: graphlib.TopologicalSorter[QualifiedName] = graphlib.TopologicalSorter()
        for key in dropped:
            sorter.add(key, *(d for d in src[key].depends_on if d in dropped))
        try:
            order = list(sorter.static_order())
        except graphlib.CycleError:
            order = list(dropped)
        for rank, key in enumerate(reversed(order)):
            word = "MATERIALIZED VIEW" if src[key].materialized else "VIEW"
            self.add(
                "drop", "materialized view" if src[key].materialized else "view", _qn(*key),
                [render("DROP {} {}", word, _id(*key))], phase="view", stage=0, rank=rank,
            )  # fmt: skip
            if key in rebuild:
                self.recreated.add(f"rel {_qn(*key)}")
                for col, _ in tgt[key].columns:
                    self.recreated.add(f"col {_qn(*key, col)}")
        for key in sorted(tgt.keys() - src.keys() | rebuild):
            v = tgt[key]
            kind = "materialized view" if v.materialized else "view"
            self.add(
                "create", kind, _qn(*key), [self._view_create(v)],
                hazards=[POPULATES] if v.materialized else [],
            )  # fmt: skip
        for key in sorted(replace_):
            v = tgt[key]
            stmt = self._view_create(v).replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1)
            self.add("alter", "view", _qn(*key), [stmt], phase="view")

    # -- functions, triggers, policies -----------------------------------------------------

    def _function_drop(self, f: Function) -> str:
        word = "PROCEDURE" if f.kind == "p" else "FUNCTION"
        return render("DROP {} {}({})", word, _id(f.schema, f.name), f.arguments)

    def functions(self) -> None:
        src, tgt = self.source.functions, self.target.functions
        for key in sorted(tgt.keys() - src.keys()):
            f = tgt[key]
            self.add("create", "function", _fn_name(f), [f.definition])
        for key in sorted(src.keys() - tgt.keys()):
            f = src[key]
            self.add(
                "drop", "function", _fn_name(f), [self._function_drop(f)], stage=2,
                destructive=True,
            )  # fmt: skip
        for key in sorted(src.keys() & tgt.keys()):
            old, new = src[key], tgt[key]
            if old.definition == new.definition:
                continue
            if (old.result, old.kind) != (new.result, new.kind) or (
                old.definition.split("\n", 1)[0] != new.definition.split("\n", 1)[0]
            ):  # CREATE OR REPLACE cannot change the result, argument names or defaults
                self.recreated.add(f"fn {_fn_name(new)}")
                self.add(
                    "drop", "function", _fn_name(old), [self._function_drop(old)], stage=0,
                    hazards=["objects that depend on it must be dropped first"],
                )  # fmt: skip
                self.add("create", "function", _fn_name(new), [new.definition])
            else:
                self.add("alter", "function", _fn_name(new), [new.definition], phase="function")

    def triggers(self) -> None:
        src, tgt = self.source.triggers, self.target.triggers
        changed = {k for k in src.keys() & tgt.keys() if src[k].definition != tgt[k].definition}
        for k in sorted(src.keys() - tgt.keys() | changed):
            if (k[0], k[1]) in self.dropped_tables or (k[0], k[1]) in self._dropped_views():
                continue
            self.add(
                "drop", "trigger", _qn(*k),
                [render("DROP TRIGGER {} ON {}", _id(k[2]), _id(k[0], k[1]))], stage=0,
            )  # fmt: skip
            if k in changed:
                self.recreated.add(f"trg {_qn(*k)}")
        for k in sorted(tgt.keys() - src.keys() | changed):
            statements = [tgt[k].definition]
            if tgt[k].enabled != "O":
                statements.append(self._trigger_state(tgt[k]))
            self.add("create", "trigger", _qn(*k), statements)
        for k in sorted(src.keys() & tgt.keys() - changed):
            if src[k].enabled != tgt[k].enabled:
                self.add("alter", "trigger", _qn(*k), [self._trigger_state(tgt[k])])

    def _trigger_state(self, t: Trigger) -> str:
        word = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}.get(
            t.enabled, "ENABLE"
        )
        return render("ALTER TABLE {} {} TRIGGER {}", _id(t.schema, t.table), word, _id(t.name))

    def _dropped_views(self) -> set[QualifiedName]:
        return {
            key for key in self.source.views
            if key not in self.target.views or f"rel {_qn(*key)}" in self.recreated
        }  # fmt: skip

    def _policy_create(self, p: Policy) -> str:
        parts = [
            render(
                "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
                _id(p.name),
                _id(p.schema, p.table),
                "PERMISSIVE" if p.permissive else "RESTRICTIVE",
                p.command,
                sql.SQL(", ").join(_role(r) for r in p.roles),
            )
        ]
        if p.using is not None:
            parts.append(f"USING ({p.using})")
        if p.with_check is not None:
            parts.append(f"WITH CHECK ({p.with_check})")
        return " ".join(parts)

    def policies(self) -> None:
        src, tgt = self.source.policies, self.target.policies
        recreate, alter = set(), set()
        for k in src.keys() & tgt.keys():
            old, new = src[k], tgt[k]
            if (k[0], k[1]) in self.retyped:
                recreate.add(k)
                continue
            if old == new:
                continue
            if (old.command, old.permissive) != (new.command, new.permissive) or (
                (old.using is not None and new.using is None)
                or (old.with_check is not None and new.with_check is None)
            ):
                recreate.add(k)
            else:
                alter.add(k)
        for k in sorted(src.keys() - tgt.keys() | recreate):
            if (k[0], k[1]) in self.dropped_tables:
                continue
            self.add(
                "drop", "policy", _qn(*k),
                [render("DROP POLICY {} ON {}", _id(k[2]), _id(k[0], k[1]))], stage=0,
                destructive=k not in recreate,
            )  # fmt: skip
            if k in recreate:
                self.recreated.add(f"pol {_qn(*k)}")
        for k in sorted(tgt.keys() - src.keys() | recreate):
            self.add("create", "policy", _qn(*k), [self._policy_create(tgt[k])])
        for k in sorted(alter):
            old, new = src[k], tgt[k]
            parts = [render("ALTER POLICY {} ON {}", _id(k[2]), _id(k[0], k[1]))]
            if old.roles != new.roles:
                parts.append(render("TO {}", sql.SQL(", ").join(_role(r) for r in new.roles)))
            if old.using != new.using and new.using is not None:
                parts.append(f"USING ({new.using})")
            if old.with_check != new.with_check and new.with_check is not None:
                parts.append(f"WITH CHECK ({new.with_check})")
            self.add("alter", "policy", _qn(*k), [" ".join(parts)])

    # -- grants, default privileges, comments ------------------------------------------------

    def _keys(self, model: CatalogModel) -> set[str]:
        """Owner keys of every object of ``model`` (what grants and comments hang on)."""
        if id(model) in self.keys_of:
            return self.keys_of[id(model)]
        keys = {f"schema {quote_ident(s)}" for s in model.schemas}
        keys |= {f"ext {quote_ident(e)}" for e in model.extensions}
        for table_key, table in model.tables.items():
            keys.add(f"rel {_qn(*table_key)}")
            keys |= {f"col {_qn(*table_key, c.name)}" for c in table.columns}
        for view_key, view in model.views.items():
            keys.add(f"rel {_qn(*view_key)}")
            keys |= {f"col {_qn(*view_key, c)}" for c, _ in view.columns}
        keys |= {f"rel {_qn(*k)}" for k in (*model.sequences, *model.indexes)}
        keys |= {f"type {_qn(*k)}" for k in (*model.enums, *model.domains, *model.composites)}
        keys |= {f"fn {_fn_name(f)}" for f in model.functions.values()}
        keys |= {f"con {_qn(*k)}" for k in model.constraints}
        keys |= {f"trg {_qn(*k)}" for k in model.triggers}
        keys |= {f"pol {_qn(*k)}" for k in model.policies}
        self.keys_of[id(model)] = keys
        return keys

    def _grantable(self, model: CatalogModel) -> dict[str, tuple[str, str, str, str]]:
        """owner key -> (GRANT target, object, schema, default privileges type) per object."""
        out: dict[str, tuple[str, str, str, str]] = {}
        for s, n in (*model.tables, *model.views):
            out[f"rel {_qn(s, n)}"] = ("TABLE", _qn(s, n), s, "TABLES")
        for s, n in model.sequences:
            out[f"rel {_qn(s, n)}"] = ("SEQUENCE", _qn(s, n), s, "SEQUENCES")
        for f in model.functions.values():
            word = "PROCEDURE" if f.kind == "p" else "FUNCTION"
            out[f"fn {_fn_name(f)}"] = (word, _fn_name(f), f.schema, "FUNCTIONS")
        for s, n in (*model.enums, *model.domains, *model.composites):
            out[f"type {_qn(s, n)}"] = ("TYPE", _qn(s, n), s, "TYPES")
        for s in model.schemas:
            out[f"schema {quote_ident(s)}"] = ("SCHEMA", quote_ident(s), s, "SCHEMAS")
        return out

    def _fresh_grants(self, key: str) -> set[Grant]:
        """The privileges a newly created object has before any GRANT (its owner's aside).

        PostgreSQL's defaults (EXECUTE on functions and USAGE on types to PUBLIC) plus the
        source's ALTER DEFAULT PRIVILEGES for that kind of object (changes to default
        privileges run after every create, so only the source's apply).
        """
        info = self._grantable(self.target).get(key)
        if info is None:
            return set()  # a column: no privileges of its own
        target, obj, schema, adp_type = info
        fresh = set()
        if adp_type == "FUNCTIONS":
            fresh.add(Grant(target, obj, None, "PUBLIC", "EXECUTE", False, key))
        elif adp_type == "TYPES":
            fresh.add(Grant(target, obj, None, "PUBLIC", "USAGE", False, key))
        for d in self.source.default_privileges:
            # entries FOR ROLE another role cover what that role creates, not this run
            if d.role is None and d.object_type == adp_type and d.schema in (None, schema):
                grant = Grant(target, obj, None, d.grantee, d.privilege, d.grantable, key)
                if d.revoked:
                    fresh.discard(grant)
                else:
                    fresh.add(grant)
        return fresh

    def grants(self) -> None:
        source_keys, target_keys = self._keys(self.source), self._keys(self.target)
        by_key_src: dict[str, set[Grant]] = {}
        by_key_tgt: dict[str, set[Grant]] = {}
        for g in self.source.grants:
            by_key_src.setdefault(g.owner_key, set()).add(g)
        for g in self.target.grants:
            by_key_tgt.setdefault(g.owner_key, set()).add(g)
        for key in sorted(target_keys & (set(by_key_src) | set(by_key_tgt) | target_keys)):
            if not key.startswith(("rel ", "col ", "fn ", "type ", "schema ")):
                continue
            fresh = key not in source_keys or key in self.recreated
            baseline = self._fresh_grants(key) if fresh else by_key_src.get(key, set())
            wanted = by_key_tgt.get(key, set())
            for g in sorted(wanted - baseline):
                self.add("alter", "grant", _grant_name(g), [_grant_sql("GRANT", g)], phase="grant")
            for g in sorted(baseline - wanted):
                self.add("alter", "grant", _grant_name(g), [_grant_sql("REVOKE", g)], phase="grant")

    def default_privileges(self) -> None:
        src, tgt = self.source.default_privileges, self.target.default_privileges
        for wanted, items in ((True, tgt - src), (False, src - tgt)):
            for d in sorted(
                items, key=lambda d: (d.role or "", d.schema or "", d.object_type, d.grantee)
            ):
                word = "GRANT" if wanted != d.revoked else "REVOKE"
                name = f"{d.schema or '*'}.{d.object_type.lower()}"
                self.add(
                    "alter", "default privilege", f"for {d.role} {name}" if d.role else name,
                    [_default_privilege_sql(word, d)], phase="default privilege", stage=2,
                )  # fmt: skip

    def comments(self) -> None:
        src, tgt = self.source.comments, self.target.comments
        source_keys, target_keys = self._keys(self.source), self._keys(self.target)
        for target, c in sorted(tgt.items()):
            before = src.get(target)
            fresh = c.owner_key not in source_keys or c.owner_key in self.recreated
            if before is None or before.text != c.text or fresh:
                self.add(
                    "alter", "comment", c.target,
                    [render("COMMENT ON {} IS {}", c.target, _lit(c.text))],
                )  # fmt: skip
        for target, c in sorted(src.items()):
            if target in tgt or c.owner_key not in target_keys or c.owner_key in self.recreated:
                continue
            self.add("alter", "comment", c.target, [render("COMMENT ON {} IS NULL", c.target)])

    def owners(self) -> None:
        """``ALTER ... OWNER TO`` where the owner differs (new and recreated objects too)."""
        for key, wanted in sorted(self.target.owners.items()):
            before = self.source.owners.get(key)
            if before is not None and before.role == wanted.role and key not in self.recreated:
                continue
            self.add(
                "alter", "owner", key.split(" ", 1)[1],
                [render("ALTER {} OWNER TO {}", wanted.target, _role(wanted.role))],
            )  # fmt: skip


_SEQUENCE_OPTIONS = (
    ("increment", "INCREMENT BY"), ("minimum", "MINVALUE"), ("maximum", "MAXVALUE"),
    ("start", "START WITH"), ("cache", "CACHE"),
)  # fmt: skip
_MAXIMUM = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}


def _identity_defaults(seq: SequenceObject) -> SequenceObject:
    """``seq`` with a new identity column's options: what its options are compared with."""
    maximum = _MAXIMUM.get(seq.data_type, 9223372036854775807)
    return replace(seq, start=1, increment=1, minimum=1, cache=1, cycle=False, maximum=maximum)


def _fn_name(f: Function) -> str:
    return f"{_qn(f.schema, f.name)}({f.arguments})"


def _grant_name(g: Grant) -> str:
    on = f"{g.object}.{g.column}" if g.column else g.object
    return f"{g.privilege} on {on} to {g.grantee}"


def _grant_sql(word: str, g: Grant) -> str:
    privilege = render("{} ({})", g.privilege, g.column) if g.column else g.privilege
    to = "TO" if word == "GRANT" else "FROM"
    stmt = render("{} {} ON {} {} {} {}", word, privilege, g.target, g.object, to, _role(g.grantee))
    if word == "GRANT" and g.grantable:
        stmt += " WITH GRANT OPTION"
    return stmt


def _default_privilege_sql(word: str, d: DefaultPrivilege) -> str:
    scope = render("FOR ROLE {}", _id(d.role)) + " " if d.role else ""
    scope += render("IN SCHEMA {}", _id(d.schema)) + " " if d.schema else ""
    to = "TO" if word == "GRANT" else "FROM"
    stmt = render(
        "ALTER DEFAULT PRIVILEGES {}{} {} ON {} {} {}",
        scope, word, d.privilege, d.object_type, to, _role(d.grantee),
    )  # fmt: skip
    if word == "GRANT" and d.grantable:
        stmt += " WITH GRANT OPTION"
    return stmt


def committed_first(result: DiffResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(statements to commit before the others, those of the transaction), both in order.

    A label added to an enum (``ALTER TYPE ... ADD VALUE``) cannot be used in the
    transaction that added it: the additions run and commit first (they are idempotent,
    ``IF NOT EXISTS``), everything else runs in one transaction after them, except
    ``result.outside`` (``concurrently``), which runs after that transaction commits.
    """
    first = {
        stmt
        for c in result.changes
        if c.kind == "enum" and c.action == "alter"
        for stmt in c.sql
        if " ADD VALUE " in stmt
    }
    inside = result.statements[: len(result.statements) - len(result.outside)]
    return (
        tuple(s for s in inside if s in first),
        tuple(s for s in inside if s not in first),
    )


def with_concurrently(result: DiffResult) -> DiffResult:
    """``result`` with each index on an existing table built ``CONCURRENTLY`` and each
    validation of a constraint on one run after the transaction commits (pure).

    Those statements move to the end (``result.outside``), in change order, each to run
    alone: the transactional part commits first, so an index on a column the same diff
    adds finds it. Indexes on tables the diff creates, on partitioned tables (PostgreSQL
    cannot build those concurrently) and unique indexes a new foreign key may need stay
    in the transaction. Applying it twice changes nothing more.
    """
    forms = {id(c): c.concurrent for c in result.changes if c.concurrent is not None}
    if not forms:
        return result
    replaced: dict[str, tuple[str, ...]] = {}  # a statement -> what runs in its place
    changes = []
    outside: list[str] = list(result.outside)
    for c in result.changes:
        form = c.concurrent
        if form is None:
            changes.append(c)
            continue
        for i, stmt in enumerate(c.sql):
            replaced[stmt] = form.inside if i == 0 else ()
        outside.extend(form.outside)
        changes.append(
            replace(
                c,
                sql=form.inside + form.outside,
                hazards=form.hazards,
                concurrent=None,
                outside=form.outside,
            )
        )
    inside = result.statements[: len(result.statements) - len(result.outside)]
    statements: list[str] = []
    for stmt in inside:
        statements.extend(replaced.get(stmt, (stmt,)))
    new_changes = tuple(changes)
    return replace(
        result,
        changes=new_changes,
        statements=(*statements, *outside),
        outside=tuple(outside),
        destructive=tuple(c for c in new_changes if c.destructive),
    )


def diff_catalogs(
    source: CatalogModel,
    target: CatalogModel,
    *,
    owners: bool = False,
    renames: Sequence[RenameHint] = (),
    concurrently: bool = False,
) -> DiffResult:
    """The changes that, run on ``source``'s database, make its schema equal to ``target``.

    Owners are compared only with ``owners`` (see docs/diff.md: a database built by
    another role would otherwise always drift). ``renames`` are the hints of the files
    (:func:`schemactl.core.renames.rename_hints`): each that fits becomes an ``ALTER ...
    RENAME`` run first, one that does not is named in ``warnings``. With
    ``concurrently``, see :func:`with_concurrently`.
    """
    result = _Diff(source, target, compare_owners=owners, renames=renames).run()
    return with_concurrently(result) if concurrently else result


def iter_statements(result: DiffResult) -> Iterator[str]:
    """The statements of ``result`` each ending in a semicolon (for psql)."""
    for stmt in result.statements:
        yield stmt + ";"
