"""Split SQL files into statements and learn what each creates, references and alters.

PostgreSQL's own parser reads every file (libpg_query, the PostgreSQL 18 grammar, through
pglast): what ``order`` accepts is exactly what the server's grammar accepts, and a syntax
error is reported at the position the server would report. The parse tree of each
statement is walked for the objects it creates (tables, their columns, constraints and
keys, indexes, functions, roles made in ``DO`` blocks, ...), the objects it needs, and the
objects it alters. PL/pgSQL bodies (``DO`` blocks, functions) are read with PostgreSQL's
PL/pgSQL parser; ``LANGUAGE sql`` bodies are parsed as SQL.

The original text of each statement is what gets executed; parsing only feeds the
dependency graph (``core/graph.py``). sqlglot is not used here: it reads policy
expressions for ``lint`` and tokens for ``rls mutate``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
import threading
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import pglast
from pglast import ast, enums
from pglast.parser import ParseError as PgParseError
from pglast.parser import scan

from schemactl.core.refuse import copy_data_error
from schemactl.errors import ParseError
from schemactl.model import (
    GLOBAL_NAMESPACES,
    Namespace,
    ObjectRef,
    SqlFile,
    Statement,
    line_starts,
)

NS = Namespace

# Objects of these schemas are built in: a reference to them is never a dependency.
BUILTIN_SCHEMAS = frozenset({"pg_catalog", "information_schema"})
# Schemas that always exist, so a reference to one of their objects needs no CREATE SCHEMA.
IMPLICIT_SCHEMAS = BUILTIN_SCHEMAS | {"public", "pg_toast"}
# Role names that are not roles a file could create.
PSEUDO_ROLES = frozenset({"public", "current_user", "session_user", "current_role"})
# serial types are not types: the column gets an integer type and a sequence.
_SERIAL_TYPES = frozenset(
    {"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"}
)
# Functions whose string argument names a sequence (pg_dump's ``nextval('q'::regclass)``).
_SEQUENCE_FUNCTIONS = frozenset({"nextval", "currval", "setval", "pg_get_serial_sequence"})
# Functions whose first string argument names a text search configuration.
_TS_CONFIG_FUNCTIONS = frozenset(
    {"to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery"}
    | {"ts_headline", "json_to_tsvector", "jsonb_to_tsvector"}
)
# Index methods whose default operator classes for many types come from extensions
# (btree_gist, btree_gin, ...): an index using one without naming its operator class
# runs after every CREATE EXTENSION.
_EXTENSIBLE_METHODS = frozenset({"gist", "gin", "spgist", "brin"})
# Casts of a string literal that name an object: ``'t'::regclass`` needs ``t``.
_REG_TYPES: dict[str, Namespace] = {
    "regclass": NS.RELATION,
    "regtype": NS.TYPE,
    "regproc": NS.FUNCTION,
    "regprocedure": NS.FUNCTION,
    "regnamespace": NS.SCHEMA,
    "regrole": NS.ROLE,
    "regoper": NS.OPERATOR,
    "regoperator": NS.OPERATOR,
    "regconfig": NS.TEXT_SEARCH,
    "regdictionary": NS.TEXT_SEARCH,
    "regcollation": NS.COLLATION,
}
# Keywords left out of a statement's kind (CREATE OR REPLACE TEMP VIEW -> CREATE VIEW).
_CREATE_MODIFIERS = frozenset(
    {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "GLOBAL", "LOCAL"}
    | {"RECURSIVE", "CONSTRAINT", "TRUSTED", "PROCEDURAL"}
)
# Object words that take a second word to name the kind (CREATE MATERIALIZED VIEW, ...).
_TWO_WORD_OBJECTS = frozenset(
    {"MATERIALIZED", "EVENT", "FOREIGN", "TEXT", "DEFAULT", "ACCESS", "OPERATOR", "USER"}
)
_SECOND_WORDS = frozenset(
    {"VIEW", "TRIGGER", "TABLE", "DATA", "SEARCH", "PRIVILEGES", "METHOD", "CLASS"}
    | {"FAMILY", "MAPPING"}
)
_RLS_SWITCHES = {
    enums.AlterTableType.AT_EnableRowSecurity: "ENABLE RLS",
    enums.AlterTableType.AT_DisableRowSecurity: "DISABLE RLS",
    enums.AlterTableType.AT_ForceRowSecurity: "FORCE RLS",
    enums.AlterTableType.AT_NoForceRowSecurity: "NO FORCE RLS",
}
_NAMEDATALEN = 63  # PostgreSQL truncates longer identifiers to 63 bytes


_PARSE_LOCK = threading.Lock()


def parse_sql(text: str) -> Any:
    """``pglast.parse_sql`` without re-validating every node it builds.

    pglast's nodes check each attribute in Python as they are set; the nodes its own
    C parser builds already have the right types (checked in tests/unit/test_parse.py),
    and the checks cost three quarters of the parse time (8,000 statements: 1.2 s ->
    0.33 s). The check is switched off only while pglast builds the tree.
    """
    with _PARSE_LOCK:
        checked = ast.Node.__setattr__
        ast.Node.__setattr__ = object.__setattr__
        try:
            return pglast.parse_sql(text)
        finally:
            ast.Node.__setattr__ = checked


@functools.cache
def builtins() -> dict[str, frozenset[str]]:
    """Names PostgreSQL 15 and 18 provide in pg_catalog, per kind (``scripts/gen_builtins.py``)."""
    raw = json.loads(resources.files("schemactl.core").joinpath("builtins.json").read_text())
    return {kind: frozenset(names) for kind, names in raw.items() if kind != "servers"}


def _builtin(namespace: Namespace, name: str) -> bool:
    return name in builtins().get(namespace.value, frozenset())


# ---------------------------------------------------------------------------- positions


class _Locator:
    """Maps character offsets of one text to 1-based (line, col) in O(log n)."""

    def __init__(self, text: str) -> None:
        self.starts = line_starts(text)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _significant_tokens(text: str) -> list[Any]:
    """pglast scanner tokens of ``text`` without comments (offsets in characters)."""
    return [t for t in scan(text) if t.name not in ("SQL_COMMENT", "C_COMMENT")]


def statement_kind(words: Sequence[str], node: Any) -> str:
    """Upper-case kind from the first words, e.g. ``CREATE MATERIALIZED VIEW``."""
    first = words[0] if words else ""
    if isinstance(node, ast.AlterTableStmt):
        for cmd in node.cmds or ():
            if isinstance(cmd, ast.AlterTableCmd) and cmd.subtype in _RLS_SWITCHES:
                return _RLS_SWITCHES[cmd.subtype]
    if first == "CREATE":
        rest = [w for w in words[1:] if w not in _CREATE_MODIFIERS] or ["?"]
        if rest[0] in _TWO_WORD_OBJECTS and len(rest) > 1 and rest[1] in _SECOND_WORDS:
            return f"CREATE {rest[0]} {rest[1]}"
        if rest[0] == "DEFAULT" and len(rest) > 1:  # CREATE DEFAULT CONVERSION
            return f"CREATE {rest[1]}"
        return f"CREATE {rest[0]}"
    if first == "ALTER":
        if words[1:3] == ["DEFAULT", "PRIVILEGES"]:
            return "ALTER DEFAULT PRIVILEGES"
        if len(words) > 2 and words[1] in _TWO_WORD_OBJECTS and words[2] in _SECOND_WORDS:
            return f"ALTER {words[1]} {words[2]}"
        return f"ALTER {words[1]}" if len(words) > 1 else "ALTER"
    if first == "DROP":
        if len(words) > 2 and words[1] in _TWO_WORD_OBJECTS and words[2] in _SECOND_WORDS:
            return f"DROP {words[1]} {words[2]}"
        return f"DROP {words[1]}" if len(words) > 1 else "DROP"
    if first == "REFRESH":
        return "REFRESH MATERIALIZED VIEW"
    if first in ("WITH", "(") or not first:
        return _KIND_OF_NODE.get(type(node).__name__, first or "?")
    return first


_KIND_OF_NODE = {
    "SelectStmt": "SELECT",
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
}


# ---------------------------------------------------------------------------- facts


class _Facts:
    """What one statement creates, references and alters, collected while walking it."""

    def __init__(self) -> None:
        self.creates: list[ObjectRef] = []
        self.references: list[ObjectRef] = []
        self.optional: list[ObjectRef] = []
        self.alters: list[ObjectRef] = []
        self.after_all: list[ObjectRef] = []
        self.before_all: list[ObjectRef] = []
        self.runtime: list[ObjectRef] = []
        self.blind: list[str] = []
        self.executes = False

    def finish(self) -> dict[str, Any]:
        """Deduplicated facts in first-seen order, ready for ``Statement``."""
        creates = tuple(dict.fromkeys(self.creates))
        own = set(creates)
        refs = tuple(r for r in dict.fromkeys(self.references) if r not in own)
        seen = own | set(refs)
        optional = tuple(r for r in dict.fromkeys(self.optional) if r not in seen)
        return {
            "creates": creates,
            "references": refs,
            "optional_references": optional,
            "alters": tuple(r for r in dict.fromkeys(self.alters) if r not in own),
            "after_all": tuple(r for r in dict.fromkeys(self.after_all) if r not in own),
            "before_all": tuple(dict.fromkeys(self.before_all)),
            "runtime_references": tuple(dict.fromkeys(self.runtime)),
            "executes": self.executes,
            "blind_spots": tuple(dict.fromkeys(self.blind)),
        }


def _strings(items: Iterable[Any] | None) -> list[str]:
    """The ``sval`` of each String node of a name list (``a.b`` -> ["a", "b"])."""
    out = []
    for item in items or ():
        if isinstance(item, ast.String):
            out.append(item.sval)
        elif isinstance(item, str):
            out.append(item)
    return out


def split_qualified(text: str) -> list[str]:
    """``'S."T"'`` as a regclass literal -> ["s", "T"] (unquoted parts fold to lower case)."""
    parts: list[str] = []
    i, n = 0, len(text)
    text = text.strip()
    n = len(text)
    while i < n:
        if text[i] == '"':
            j = i + 1
            buf = []
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(text[j])
                j += 1
            parts.append("".join(buf))
            i = j + 1
        else:
            j = text.find(".", i)
            j = n if j < 0 else j
            parts.append(text[i:j].strip().lower())
            i = j
        if i < n and text[i] == ".":
            i += 1
    return [p for p in parts if p]


class _Scope:
    """Relations visible to column references: alias -> qualified relation (None: not a table)."""

    def __init__(self, parent: _Scope | None = None) -> None:
        self.parent = parent
        self.names: dict[str, str | None] = {}

    def lookup(self, alias: str) -> tuple[bool, str | None]:
        scope: _Scope | None = self
        while scope is not None:
            if alias in scope.names:
                return True, scope.names[alias]
            scope = scope.parent
        return False, None

    def relations(self) -> list[str]:
        """Every table in this scope and the enclosing ones (innermost first)."""
        out: list[str] = []
        scope: _Scope | None = self
        while scope is not None:
            out.extend(r for r in scope.names.values() if r is not None and r not in out)
            scope = scope.parent
        return out


def _names(node: Any) -> list[str]:
    """A dotted name from a List node, a tuple of String nodes or a String."""
    if isinstance(node, ast.String):
        return [node.sval]
    if isinstance(node, ast.TypeName):
        return _strings(node.names)
    if isinstance(node, (list, tuple)):
        return _strings(node)
    if isinstance(node, str):
        return [node]
    return []


def _const_string(node: Any) -> str | None:
    """The text of a string literal (also under a cast: ``'q'::regclass``), else None."""
    if isinstance(node, ast.TypeCast):
        node = node.arg
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
        return str(node.val.sval)
    return None


def _implicit_name(table: str, columns: Sequence[str], label: str) -> str | None:
    """The name PostgreSQL gives an unnamed index or constraint (``t_a_b_key``).

    None when it would be longer than an identifier may be: PostgreSQL then shortens
    the parts, which this does not try to imitate.
    """
    name = "_".join([table, *columns, label]) if columns else f"{table}_{label}"
    return name if len(name.encode()) <= _NAMEDATALEN else None


# Which name space the object of a COMMENT / DROP / ALTER OWNER / ... statement is in.
_OT = enums.ObjectType
_RELATION_KINDS = frozenset(
    {
        _OT.OBJECT_TABLE,
        _OT.OBJECT_VIEW,
        _OT.OBJECT_MATVIEW,
        _OT.OBJECT_INDEX,
        _OT.OBJECT_SEQUENCE,
        _OT.OBJECT_FOREIGN_TABLE,
    }
)
_FUNCTION_KINDS = frozenset(
    {_OT.OBJECT_FUNCTION, _OT.OBJECT_PROCEDURE, _OT.OBJECT_ROUTINE, _OT.OBJECT_AGGREGATE}
)
_TABLE_MEMBER_KINDS: dict[Any, Namespace] = {
    _OT.OBJECT_COLUMN: NS.COLUMN,
    _OT.OBJECT_TABCONSTRAINT: NS.CONSTRAINT,
    _OT.OBJECT_POLICY: NS.POLICY,
    _OT.OBJECT_TRIGGER: NS.TRIGGER,
    _OT.OBJECT_RULE: NS.RULE,
}
_SIMPLE_KINDS: dict[Any, Namespace] = {
    _OT.OBJECT_SCHEMA: NS.SCHEMA,
    _OT.OBJECT_EXTENSION: NS.EXTENSION,
    _OT.OBJECT_ROLE: NS.ROLE,
    _OT.OBJECT_FDW: NS.FOREIGN_DATA_WRAPPER,
    _OT.OBJECT_FOREIGN_SERVER: NS.SERVER,
    _OT.OBJECT_PUBLICATION: NS.PUBLICATION,
    _OT.OBJECT_SUBSCRIPTION: NS.SUBSCRIPTION,
    _OT.OBJECT_EVENT_TRIGGER: NS.EVENT_TRIGGER,
    _OT.OBJECT_LANGUAGE: NS.LANGUAGE,
    _OT.OBJECT_ACCESS_METHOD: NS.ACCESS_METHOD,
    _OT.OBJECT_TABLESPACE: NS.TABLESPACE,
    _OT.OBJECT_DATABASE: NS.DATABASE,
    _OT.OBJECT_COLLATION: NS.COLLATION,
    _OT.OBJECT_CONVERSION: NS.CONVERSION,
    _OT.OBJECT_STATISTIC_EXT: NS.STATISTICS,
    _OT.OBJECT_TSCONFIGURATION: NS.TEXT_SEARCH,
    _OT.OBJECT_TSDICTIONARY: NS.TEXT_SEARCH,
    _OT.OBJECT_TSPARSER: NS.TEXT_SEARCH,
    _OT.OBJECT_TSTEMPLATE: NS.TEXT_SEARCH,
    _OT.OBJECT_TYPE: NS.TYPE,
    _OT.OBJECT_DOMAIN: NS.TYPE,
    _OT.OBJECT_OPERATOR: NS.OPERATOR,
}
# GRANT ... ON ALL <kind> IN SCHEMA / ALTER DEFAULT PRIVILEGES ... ON <kind>: name space covered.
_GRANT_KINDS: dict[Any, Namespace] = {
    _OT.OBJECT_TABLE: NS.RELATION,
    _OT.OBJECT_SEQUENCE: NS.RELATION,
    _OT.OBJECT_FUNCTION: NS.FUNCTION,
    _OT.OBJECT_PROCEDURE: NS.FUNCTION,
    _OT.OBJECT_ROUTINE: NS.FUNCTION,
    _OT.OBJECT_TYPE: NS.TYPE,
    _OT.OBJECT_DOMAIN: NS.TYPE,
    _OT.OBJECT_SCHEMA: NS.SCHEMA,
    _OT.OBJECT_LARGEOBJECT: NS.DATABASE,  # nothing a file creates
}
# DefElem names whose argument names a function / type / operator (CREATE AGGREGATE,
# CREATE OPERATOR, CREATE TYPE, CREATE RANGE TYPE).
_FUNCTION_OPTIONS = frozenset(
    {"sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc", "minvfunc"}
    | {"mfinalfunc", "function", "procedure", "restrict", "join", "input", "output", "receive"}
    | {"send", "typmod_in", "typmod_out", "analyze", "subscript", "canonical", "subtype_diff"}
    | {"handler", "validator", "inline"}
)
_TYPE_OPTIONS = frozenset({"stype", "mstype", "basetype", "leftarg", "rightarg", "subtype"})
_TYPE_OPTIONS |= {"element", "like"}
# Commutators and negators may name an operator not yet made: PostgreSQL makes a shell.
_SHELL_OPTIONS = frozenset({"commutator", "negator"})

_AT = enums.AlterTableType
_COLUMN_CMDS = frozenset(
    {
        _AT.AT_ColumnDefault,
        _AT.AT_CookedColumnDefault,
        _AT.AT_DropNotNull,
        _AT.AT_SetNotNull,
        _AT.AT_SetExpression,
        _AT.AT_DropExpression,
        _AT.AT_SetStatistics,
        _AT.AT_SetOptions,
        _AT.AT_ResetOptions,
        _AT.AT_SetStorage,
        _AT.AT_SetCompression,
        _AT.AT_DropColumn,
        _AT.AT_AlterColumnType,
        _AT.AT_AlterColumnGenericOptions,
        _AT.AT_AddIdentity,
        _AT.AT_SetIdentity,
        _AT.AT_DropIdentity,
    }
)
_TRIGGER_CMDS = frozenset(
    {_AT.AT_EnableTrig, _AT.AT_EnableAlwaysTrig, _AT.AT_EnableReplicaTrig, _AT.AT_DisableTrig}
)
_RULE_CMDS = frozenset(
    {_AT.AT_EnableRule, _AT.AT_EnableAlwaysRule, _AT.AT_EnableReplicaRule, _AT.AT_DisableRule}
)
_CONSTRAINT_CMDS = frozenset(
    {_AT.AT_DropConstraint, _AT.AT_ValidateConstraint, _AT.AT_AlterConstraint}
)
_CT = enums.ConstrType
_INDEX_CONSTRAINTS = frozenset({_CT.CONSTR_PRIMARY, _CT.CONSTR_UNIQUE, _CT.CONSTR_EXCLUSION})
# Top-level statements that run code when executed (so they need what the functions they
# call use at run time, and the triggers of the tables they write).
_EXECUTING = frozenset(
    {
        "SelectStmt",
        "InsertStmt",
        "UpdateStmt",
        "DeleteStmt",
        "MergeStmt",
        "CallStmt",
        "DoStmt",
        "CopyStmt",
        "CreateTableAsStmt",
        "RefreshMatViewStmt",
        "TruncateStmt",
        "ExplainStmt",
        "IndexStmt",
        "AlterTableStmt",
        "ClusterStmt",
        "ReindexStmt",
        "VacuumStmt",
        # from its creation on, every DDL statement runs the event trigger's function
        "CreateEventTrigStmt",
    }
)


class _Walker:
    """Walks one statement's parse tree and records its facts."""

    def __init__(self, facts: _Facts, *, sql: str = "", schema: str = "public") -> None:
        self.f = facts
        self.sql = sql  # the statement's text: PL/pgSQL bodies are parsed from it
        self.schema = schema  # where unqualified names live (CREATE SCHEMA s CREATE TABLE t)
        self.scope: _Scope | None = None
        self.ctes: set[str] = set()

    # -------------------------------------------------------------------- names

    def qualify(self, parts: Sequence[str]) -> str:
        """``schema.name`` of a dotted name; unqualified names live in ``self.schema``."""
        if len(parts) == 1:
            return f"{self.schema}.{parts[0]}"
        return f"{parts[-2]}.{parts[-1]}"

    def schema_ref(self, schema: str) -> None:
        if schema and schema not in IMPLICIT_SCHEMAS:
            self.f.references.append(ObjectRef(NS.SCHEMA, schema))

    def ref(
        self, ns: Namespace, parts: Sequence[str | None], *, optional: bool | None = False
    ) -> str | None:
        """Reference a (possibly dotted) name; returns its qualified form (None: built in).

        Unqualified functions, types, operators, operator classes and collations are
        looked up in pg_catalog first, as the server does; one that is not built in is
        a dependency only if some file creates it (else an extension may provide it).
        """
        names = [p for p in parts if p]
        if not names:
            return None
        return self._ref(ns, names, bool(optional))

    def _ref(self, ns: Namespace, parts: list[str], optional: bool) -> str | None:
        if ns in GLOBAL_NAMESPACES:
            name = parts[-1]
            if ns is NS.ROLE and name in PSEUDO_ROLES:
                return None
            if ns is NS.SCHEMA and name in IMPLICIT_SCHEMAS:
                return None
            if _builtin(ns, name):
                return None
            # roles are cluster-wide and usually exist already (Supabase's authenticated):
            # a dependency only when a file creates one
            optional = optional or ns is NS.ROLE
            (self.f.optional if optional else self.f.references).append(ObjectRef(ns, name))
            return name
        if len(parts) > 1 and parts[-2] in BUILTIN_SCHEMAS:
            return None
        if len(parts) == 1:
            if _builtin(ns, parts[0]):
                return None
            if ns in (NS.FUNCTION, NS.TYPE, NS.OPERATOR, NS.OPERATOR_CLASS, NS.COLLATION):
                optional = True
            if ns is NS.RELATION and parts[0] in self.ctes:
                return None
        name = self.qualify(parts)
        if len(parts) > 1:
            if optional:
                if parts[-2] not in IMPLICIT_SCHEMAS:
                    self.f.optional.append(ObjectRef(NS.SCHEMA, parts[-2]))
            else:
                self.schema_ref(parts[-2])
        (self.f.optional if optional else self.f.references).append(ObjectRef(ns, name))
        return name

    def create(self, ns: Namespace, names: Sequence[str | None]) -> str:
        """Record a created object; returns its qualified name."""
        parts = [p for p in names if p]
        if ns in GLOBAL_NAMESPACES:
            name = parts[-1]
        else:
            name = self.qualify(parts)
            if len(parts) > 1:
                self.schema_ref(parts[-2])
        self.f.creates.append(ObjectRef(ns, name))
        return name

    def relation(self, rv: ast.RangeVar | None, *, optional: bool | None = False) -> str | None:
        """Reference a table/view/sequence named by a RangeVar."""
        if rv is None:
            return None
        return self.ref(NS.RELATION, [rv.schemaname or "", rv.relname], optional=optional)

    def created_relation(self, rv: ast.RangeVar) -> str:
        return self.create(NS.RELATION, [rv.schemaname or "", rv.relname])

    def member(
        self, ns: Namespace, table: str, name: str | None, *, create: bool = False
    ) -> None:
        """A part of a table (column, constraint, key...): ``schema.table.name``."""
        if not name:
            return
        ref = ObjectRef(ns, f"{table}.{name}")
        (self.f.creates if create else self.f.optional).append(ref)

    def column(self, table: str | None, name: str | None) -> None:
        if table and name:
            self.member(NS.COLUMN, table, name)

    # -------------------------------------------------------------------- walking

    def visit(self, node: Any) -> None:
        """Record the facts of a node and everything below it."""
        if node is None or isinstance(node, (str, int, float, bool)):
            return
        if isinstance(node, (list, tuple)):
            for item in node:
                self.visit(item)
            return
        if not isinstance(node, ast.Node):
            return
        handler = getattr(self, "v_" + type(node).__name__, None)
        if handler is not None:
            handler(node)
        else:
            self.children(node)

    def children(self, node: ast.Node, *skip: str) -> None:
        for name in type(node).__slots__:
            if name in skip:
                continue
            value = getattr(node, name, None)
            if isinstance(value, (ast.Node, list, tuple)):
                self.visit(value)

    def in_scope(self, relations: dict[str, str | None], *nodes: Any) -> None:
        """Visit nodes with these relations visible to column references."""
        saved = self.scope
        scope = _Scope(saved)
        scope.names.update(relations)
        self.scope = scope
        try:
            for node in nodes:
                self.visit(node)
        finally:
            self.scope = saved

    # -------------------------------------------------------------------- expressions

    def v_RangeVar(self, node: ast.RangeVar) -> None:
        self.relation(node)

    def v_TypeName(self, node: ast.TypeName) -> None:
        names = _strings(node.names)
        if node.pct_type:  # t.col%TYPE
            if len(names) >= 2:
                table = self.ref(NS.RELATION, names[:-1])
                self.column(table, names[-1])
            return
        if len(names) == 1 and names[0] in _SERIAL_TYPES:
            return
        self.ref(NS.TYPE, names)
        self.visit(node.typmods)

    def v_FuncCall(self, node: ast.FuncCall) -> None:
        names = _strings(node.funcname)
        if names and names[-1] in _SEQUENCE_FUNCTIONS and node.args:
            text = _const_string(node.args[0])
            if text is not None:
                self.ref(NS.RELATION, split_qualified(text))
        if names and names[-1] in _TS_CONFIG_FUNCTIONS and len(node.args or ()) >= 2:
            text = _const_string(node.args[0])
            if text is not None:
                self.ref(NS.TEXT_SEARCH, split_qualified(text))
        qualified = self.ref(NS.FUNCTION, names)
        if qualified is not None and not node.agg_star:
            # the overload with this many arguments (another overload may call it)
            self.f.optional.append(ObjectRef(NS.FUNCTION, f"{qualified}/{len(node.args or ())}"))
        self.children(node, "funcname")

    def v_TypeCast(self, node: ast.TypeCast) -> None:
        text = _const_string(node.arg)
        names = _strings(node.typeName.names) if node.typeName is not None else []
        if names and not (text is not None and names[-1] in _REG_TYPES):
            # x::t may use a cast some file creates (CREATE CAST (... AS t))
            self.f.optional.append(ObjectRef(NS.CAST, f"(* AS {_cast_name(node.typeName, None)})"))
        if text is not None and names and names[-1] in _REG_TYPES:
            ns = _REG_TYPES[names[-1]]
            target = text.split("(", 1)[0] if ns in (NS.FUNCTION, NS.OPERATOR) else text
            if ns in GLOBAL_NAMESPACES:
                self.ref(ns, [target.strip().strip('"')])
            else:
                self.ref(ns, split_qualified(target))
        self.children(node)

    def v_A_Expr(self, node: ast.A_Expr) -> None:
        kinds = (
            enums.A_Expr_Kind.AEXPR_OP,
            enums.A_Expr_Kind.AEXPR_OP_ANY,
            enums.A_Expr_Kind.AEXPR_OP_ALL,
        )
        if node.kind in kinds:
            self.ref(NS.OPERATOR, _strings(node.name))
        self.visit(node.lexpr)
        self.visit(node.rexpr)

    def v_RoleSpec(self, node: ast.RoleSpec) -> None:
        if node.roletype == enums.RoleSpecType.ROLESPEC_CSTRING and node.rolename:
            self.ref(NS.ROLE, [node.rolename])

    def v_CollateClause(self, node: ast.CollateClause) -> None:
        self.ref(NS.COLLATION, _strings(node.collname))
        self.visit(node.arg)

    def v_ColumnRef(self, node: ast.ColumnRef) -> None:
        fields: Sequence[Any] = node.fields or ()
        star = bool(fields) and isinstance(fields[-1], ast.A_Star)
        names = _strings(fields)
        if self.scope is None:
            return
        if star:
            # SELECT * is expanded when the statement is made: after every column of the table
            if not names:
                targets = [r for r in self.scope.names.values() if r is not None]
            else:
                found, rel = self.scope.lookup(names[-1])
                targets = [rel] if found and rel else []
            self.f.after_all.extend(ObjectRef(NS.COLUMN, f"{t}.*") for t in targets)
            return
        if len(names) == 1:
            for rel in self.scope.relations():
                self.column(rel, names[0])
        elif len(names) == 2:
            found, rel = self.scope.lookup(names[0])
            if found and rel:
                self.column(rel, names[1])
        elif len(names) >= 3:
            self.column(f"{names[-3]}.{names[-2]}", names[-1])

    def v_IndexElem(self, node: ast.IndexElem) -> None:
        if node.name and self.scope is not None:
            for rel in self.scope.relations()[:1]:
                self.column(rel, node.name)
        self.visit(node.expr)
        self.visit(node.collation and ast.CollateClause(collname=node.collation))
        self.ref(NS.OPERATOR_CLASS, _strings(node.opclass))
        self.visit(node.opclassopts)

    # -------------------------------------------------------------------- queries

    def _with(self, clause: ast.WithClause | None) -> None:
        if clause is None:
            return
        for cte in clause.ctes or ():
            if isinstance(cte, ast.CommonTableExpr):
                self.ctes.add(cte.ctename)
        for cte in clause.ctes or ():
            if isinstance(cte, ast.CommonTableExpr):
                self.visit(cte.ctequery)

    def _from_names(self, item: Any, names: dict[str, str | None]) -> None:
        """Aliases a FROM item makes visible."""
        if isinstance(item, ast.RangeVar):
            if (not item.schemaname and item.relname in self.ctes) or (not item.schemaname and _builtin(NS.RELATION, item.relname)):
                rel = None
            else:
                parts = [item.schemaname, item.relname] if item.schemaname else [item.relname]
                rel = self.qualify(parts)
            names[item.alias.aliasname if item.alias else item.relname] = rel
        elif isinstance(item, ast.JoinExpr):
            self._from_names(item.larg, names)
            self._from_names(item.rarg, names)
            if item.alias:
                names[item.alias.aliasname] = None
        elif (
            isinstance(item, (ast.RangeSubselect, ast.RangeFunction, ast.RangeTableFunc))
            and item.alias
        ):
            names[item.alias.aliasname] = None

    def v_SelectStmt(self, node: ast.SelectStmt) -> None:
        saved_ctes = set(self.ctes)
        try:
            self._with(node.withClause)
            names: dict[str, str | None] = {}
            for item in node.fromClause or ():
                self._from_names(item, names)
            rest = [
                getattr(node, slot)
                for slot in type(node).__slots__
                if slot not in ("withClause", "intoClause")
            ]
            self.in_scope(names, *rest)
            if node.intoClause is not None:  # SELECT ... INTO t
                self.created_relation(node.intoClause.rel)
        finally:
            self.ctes = saved_ctes

    def _dml(self, node: Any, target: ast.RangeVar, *extra_from: Any) -> None:
        saved_ctes = set(self.ctes)
        try:
            self._with(getattr(node, "withClause", None))
            table = self.relation(target)
            if table:
                # rows written now must meet the table's triggers, defaults and checks
                self.f.after_all.append(ObjectRef(NS.RELATION, table))
            # INSERT (col, ...) / UPDATE SET col = ...: columns of the target table
            targets = list(getattr(node, "cols", None) or ())
            if isinstance(node, ast.UpdateStmt):
                targets.extend(node.targetList or ())
            for rt in targets:
                if isinstance(rt, ast.ResTarget):
                    self.column(table, rt.name)
            names: dict[str, str | None] = {}
            self._from_names(target, names)
            for item in extra_from:
                for sub in item or ():
                    self._from_names(sub, names)
            rest = [
                getattr(node, slot)
                for slot in type(node).__slots__
                if slot not in ("withClause", "relation")
            ]
            self.in_scope(names, *rest)
        finally:
            self.ctes = saved_ctes

    def v_InsertStmt(self, node: ast.InsertStmt) -> None:
        self._dml(node, node.relation)

    def v_UpdateStmt(self, node: ast.UpdateStmt) -> None:
        self._dml(node, node.relation, node.fromClause)

    def v_DeleteStmt(self, node: ast.DeleteStmt) -> None:
        self._dml(node, node.relation, node.usingClause)

    def v_MergeStmt(self, node: ast.MergeStmt) -> None:
        self._dml(node, node.relation, (node.sourceRelation,))

    def v_CopyStmt(self, node: ast.CopyStmt) -> None:
        table = self.relation(node.relation)
        if table and node.is_from:
            self.f.after_all.append(ObjectRef(NS.RELATION, table))
        self.visit(node.query)

    def v_TruncateStmt(self, node: ast.TruncateStmt) -> None:
        for rv in node.relations or ():
            table = self.relation(rv)
            if table:
                self.f.after_all.append(ObjectRef(NS.RELATION, table))

    # -------------------------------------------------------------------- tables

    def _table_scope(self, table: str | None, rv: ast.RangeVar | None) -> dict[str, str | None]:
        if table is None or rv is None:
            return {}
        return {rv.relname: table, (rv.alias.aliasname if rv.alias else rv.relname): table}

    def v_CreateStmt(self, node: ast.CreateStmt) -> None:
        table = self.created_relation(node.relation)
        saved = self.scope
        self.scope = _Scope(saved)
        self.scope.names.update(self._table_scope(table, node.relation))
        try:
            for parent in node.inhRelations or ():
                name = self.relation(parent)
                # INHERITS: the parent's columns come first in the child only if they
                # exist now. Not for PARTITION OF (a partition has exactly the parent's
                # columns, and an index ON ONLY the parent made first would be cloned
                # into it: pg_dump's own order puts such indexes after the partitions).
                if name and node.partbound is None:
                    self.f.after_all.append(ObjectRef(NS.COLUMN, f"{name}.*"))
                elif name:
                    self.f.alters.append(ObjectRef(NS.RELATION, name))  # a new partition
                    self.f.creates.append(ObjectRef(NS.PARTITION, table))
            for elt in node.tableElts or ():
                if isinstance(elt, ast.ColumnDef):
                    self.column_def(table, elt)
                elif isinstance(elt, ast.Constraint):
                    self.constraint(table, elt)
                elif isinstance(elt, ast.TableLikeClause):
                    # LIKE copies what the source has when this runs
                    name = self.relation(elt.relation)
                    if name:
                        self.f.after_all.append(ObjectRef(NS.RELATION, name))
                else:
                    self.visit(elt)
            for con in node.constraints or ():
                self.constraint(table, con)
            self.visit(node.partbound)
            if node.partspec is not None:
                for elem in node.partspec.partParams or ():
                    if isinstance(elem, ast.PartitionElem):
                        self.column(table, elem.name)
                        self.visit(elem.expr)
                        self.ref(NS.COLLATION, _strings(elem.collation))
                        self.ref(NS.OPERATOR_CLASS, _strings(elem.opclass))
            self.visit(node.ofTypename)
            if node.accessMethod:
                self.ref(NS.ACCESS_METHOD, [node.accessMethod])
        finally:
            self.scope = saved

    def v_CreateForeignTableStmt(self, node: ast.CreateForeignTableStmt) -> None:
        self.ref(NS.SERVER, [node.servername])
        self.visit(node.base)

    def column_def(self, table: str, node: ast.ColumnDef) -> None:
        """A column of ``table`` (CREATE TABLE or ALTER TABLE ADD COLUMN)."""
        self.member(NS.COLUMN, table, node.colname, create=True)
        names = _strings(node.typeName.names) if node.typeName is not None else []
        schema, bare = table.split(".", 1)
        identity = any(
            isinstance(c, ast.Constraint) and c.contype == _CT.CONSTR_IDENTITY
            for c in node.constraints or ()
        )
        if (len(names) == 1 and names[0] in _SERIAL_TYPES) or identity:
            seq = _implicit_name(bare, [node.colname], "seq")
            if seq:
                self.f.creates.append(ObjectRef(NS.RELATION, f"{schema}.{seq}"))
        if not (len(names) == 1 and names[0] in _SERIAL_TYPES):
            self.visit(node.typeName)
        self.visit(node.raw_default)
        self.visit(node.collClause)
        for con in node.constraints or ():
            if isinstance(con, ast.Constraint):
                self.constraint(table, con, column=node.colname)

    def constraint(self, table: str, con: ast.Constraint, *, column: str | None = None) -> None:
        """A table or column constraint: what it creates (name, key, index) and needs."""
        schema, bare = table.split(".", 1)
        keys = _strings(con.keys) or ([column] if column else [])
        kind = con.contype
        name = con.conname
        if kind in (_CT.CONSTR_PRIMARY, _CT.CONSTR_UNIQUE):
            label = "pkey" if kind == _CT.CONSTR_PRIMARY else "key"
            name = name or _implicit_name(bare, [] if label == "pkey" else keys, label)
            if con.indexname:  # ADD CONSTRAINT ... USING INDEX i: the index becomes the key
                self.ref(NS.RELATION, [schema, con.indexname])
            if name:
                self.f.creates.append(ObjectRef(NS.RELATION, f"{schema}.{name}"))
            if keys:
                self.f.creates.append(ObjectRef(NS.KEY, f"{table}({','.join(sorted(keys))})"))
            if kind == _CT.CONSTR_PRIMARY:
                self.f.creates.append(ObjectRef(NS.KEY, f"{table}()"))
            for key in keys:
                self.column(table, key)
            for col in _strings(con.including):
                self.column(table, col)
        elif kind == _CT.CONSTR_FOREIGN:
            fk_cols = _strings(con.fk_attrs) or ([column] if column else [])
            name = name or _implicit_name(bare, fk_cols[:1], "fkey")
            target = self.relation(con.pktable)
            if target:
                pk_cols = _strings(con.pk_attrs)
                # the referenced columns need a unique key: after the statement making it
                key = f"{target}({','.join(sorted(pk_cols))})" if pk_cols else f"{target}()"
                self.f.optional.append(ObjectRef(NS.KEY, key))
                for col in pk_cols:
                    self.column(target, col)
            for col in fk_cols:
                self.column(table, col)
        elif kind == _CT.CONSTR_EXCLUSION:
            cols = []
            for pair in con.exclusions or ():
                elem, ops = (pair[0], pair[1]) if len(pair) == 2 else (pair[0], ())
                if isinstance(elem, ast.IndexElem) and elem.name:
                    cols.append(elem.name)
                self.in_scope({bare: table}, elem)
                self.ref(NS.OPERATOR, _names(ops))
            name = name or _implicit_name(bare, cols[:1], "excl")
            elems = [pair[0] for pair in con.exclusions or ()]
            self.access_method(con.access_method or "gist", elems)
        elif kind == _CT.CONSTR_CHECK and column:
            name = name or _implicit_name(bare, [column], "check")
        if name:
            self.member(NS.CONSTRAINT, table, name, create=True)
        self.in_scope({bare: table}, con.raw_expr, con.where_clause, con.options)

    def v_Constraint(self, node: ast.Constraint) -> None:  # domains, ALTER DOMAIN
        self.visit(node.raw_expr)
        self.visit(node.where_clause)

    def v_AlterTableStmt(self, node: ast.AlterTableStmt) -> None:
        rv = node.relation
        if node.objtype == _OT.OBJECT_TYPE:  # ALTER TYPE composite ADD ATTRIBUTE
            name = self.ref(NS.TYPE, [rv.schemaname or "", rv.relname])
            if name:
                self.f.alters.append(ObjectRef(NS.TYPE, name))
            self.visit([getattr(c, "def_", None) for c in node.cmds or ()])
            return
        table = self.relation(rv, optional=node.missing_ok)
        if table is None:
            return
        self.f.alters.append(ObjectRef(NS.RELATION, table))
        saved = self.scope
        self.scope = _Scope(saved)
        self.scope.names.update(self._table_scope(table, rv))
        try:
            for cmd in node.cmds or ():
                if isinstance(cmd, ast.AlterTableCmd):
                    self.alter_cmd(
                        table, cmd, index=node.objtype == _OT.OBJECT_INDEX, only=not rv.inh
                    )
        finally:
            self.scope = saved

    def alter_cmd(
        self, table: str, cmd: ast.AlterTableCmd, *, index: bool = False, only: bool = False
    ) -> None:
        """One ALTER TABLE (or ALTER INDEX, with ``index``; ``ONLY`` the table) subcommand."""
        table_kind_is_index = index
        schema, bare = table.split(".", 1)
        sub = cmd.subtype
        definition = cmd.def_
        if sub in (_AT.AT_AddColumn, _AT.AT_AddColumnToView) and isinstance(
            definition, ast.ColumnDef
        ):
            self.column_def(table, definition)
            return
        if sub == _AT.AT_AddConstraint and isinstance(definition, ast.Constraint):
            self.constraint(table, definition)
            if only and definition.contype in _INDEX_CONSTRAINTS:
                # ALTER TABLE ONLY p ADD PRIMARY KEY (pg_dump's form): on a partitioned
                # table, after its partitions are attached, or each one attached later
                # clones the key and its own ADD CONSTRAINT collides
                self.f.after_all.append(ObjectRef(NS.RELATION, table))
            return
        if sub in _COLUMN_CMDS:
            self.column(table, cmd.name)
            if isinstance(definition, ast.Constraint):  # ADD GENERATED ... (SEQUENCE NAME s)
                self.visit(definition.options)
            if sub == _AT.AT_AddIdentity and cmd.name:
                seq = _implicit_name(bare, [cmd.name], "seq")
                if seq:
                    self.f.creates.append(ObjectRef(NS.RELATION, f"{schema}.{seq}"))
        elif sub in _CONSTRAINT_CMDS:
            con = cmd.name or (definition.conname if isinstance(definition, ast.Constraint) else None)
            if con:
                self.member(NS.CONSTRAINT, table, con)
        elif sub in _TRIGGER_CMDS and cmd.name:
            self.f.optional.append(ObjectRef(NS.TRIGGER, f"{table}.{cmd.name}"))
        elif sub in _RULE_CMDS and cmd.name:
            self.f.optional.append(ObjectRef(NS.RULE, f"{table}.{cmd.name}"))
        elif sub in (_AT.AT_ClusterOn,) and cmd.name:
            self.ref(NS.RELATION, [schema, cmd.name])
        elif sub == _AT.AT_ReplicaIdentity and isinstance(definition, ast.ReplicaIdentityStmt):
            if definition.name:
                self.ref(NS.RELATION, [schema, definition.name])
            return
        elif sub in (_AT.AT_AttachPartition, _AT.AT_DetachPartition) and isinstance(
            definition, ast.PartitionCmd
        ):
            child = self.relation(definition.name)
            if child and sub == _AT.AT_AttachPartition and table_kind_is_index:
                # ALTER INDEX p_idx ATTACH PARTITION c_idx: the table of c_idx must be a
                # partition of p_idx's table by then (pg_dump's order: tables first)
                self.f.after_all.append(ObjectRef(NS.PARTITION, f"{child.split('.', 1)[0]}.*"))
            elif child and sub == _AT.AT_AttachPartition:
                self.f.creates.append(ObjectRef(NS.PARTITION, child))
                # the columns of both must match as they are now
                self.f.alters.append(ObjectRef(NS.RELATION, child))
                self.f.after_all.append(ObjectRef(NS.COLUMN, f"{child}.*"))
                self.f.after_all.append(ObjectRef(NS.COLUMN, f"{table}.*"))
            self.visit(definition.bound)
            return
        elif sub == _AT.AT_AddInherit and isinstance(definition, ast.RangeVar):
            parent = self.relation(definition)
            if parent:  # the child must have the parent's columns by then
                self.f.after_all.append(ObjectRef(NS.COLUMN, f"{parent}.*"))
            return
        elif sub == _AT.AT_SetAccessMethod and cmd.name:
            self.ref(NS.ACCESS_METHOD, [cmd.name])
        self.visit(definition)
        self.visit(cmd.newowner)

    def access_method(self, method: str | None, elems: Sequence[Any] | None) -> None:
        """The index method, and for gist/gin/... a possible extension's operator class."""
        if not method:
            return
        self.ref(NS.ACCESS_METHOD, [method])
        if method in _EXTENSIBLE_METHODS and any(
            isinstance(e, ast.IndexElem) and not e.opclass for e in elems or ()
        ):
            # which default operator class applies depends on the column's type: one
            # an extension provides (btree_gist's for int) must exist first
            self.f.optional.append(ObjectRef(NS.OPERATOR_CLASS, f"{method} default"))

    def v_IndexStmt(self, node: ast.IndexStmt) -> None:
        table = self.relation(node.relation)
        if table is None:
            return
        self.f.alters.append(ObjectRef(NS.RELATION, table))
        schema, bare = table.split(".", 1)
        columns = [
            e.name for e in node.indexParams or () if isinstance(e, ast.IndexElem) and e.name
        ]
        plain = len(columns) == len(node.indexParams or ())
        name = node.idxname or _implicit_name(bare, columns or ["expr"], "idx")
        if name:
            self.f.creates.append(ObjectRef(NS.RELATION, f"{schema}.{name}"))
        if node.unique and plain and node.whereClause is None and columns:
            self.f.creates.append(ObjectRef(NS.KEY, f"{table}({','.join(sorted(columns))})"))
        if node.relation is not None and not node.relation.inh:
            # ON ONLY a partitioned table (pg_dump's form): after its partitions exist, or
            # each partition made later clones the index and its own CREATE INDEX collides
            self.f.after_all.append(ObjectRef(NS.RELATION, table))
        self.access_method(node.accessMethod, node.indexParams)
        self.in_scope(
            self._table_scope(table, node.relation),
            node.indexParams,
            node.indexIncludingParams,
            node.whereClause,
        )

    def v_ViewStmt(self, node: ast.ViewStmt) -> None:
        self.created_relation(node.view)
        self.visit(node.query)

    def v_CreateTableAsStmt(self, node: ast.CreateTableAsStmt) -> None:
        if node.into is not None:
            self.created_relation(node.into.rel)
        self.visit(node.query)

    def v_RefreshMatViewStmt(self, node: ast.RefreshMatViewStmt) -> None:
        view = self.relation(node.relation)
        if view:  # REFRESH ... CONCURRENTLY needs the view's unique index
            self.f.after_all.append(ObjectRef(NS.RELATION, view))

    def v_CreateSeqStmt(self, node: ast.CreateSeqStmt) -> None:
        self.created_relation(node.sequence)
        self.visit(node.options)

    def v_AlterSeqStmt(self, node: ast.AlterSeqStmt) -> None:
        seq = self.relation(node.sequence, optional=node.missing_ok)
        if seq:
            self.f.alters.append(ObjectRef(NS.RELATION, seq))
            owned = any(
                isinstance(o, ast.DefElem) and o.defname == "owned_by" for o in node.options or ()
            )
            if owned:  # once linked to a column, its owner can no longer change on its own
                self.f.after_all.append(ObjectRef(NS.RELATION, seq))
        self.visit(node.options)

    def v_DefElem(self, node: ast.DefElem) -> None:
        if node.defname == "owned_by":  # OWNED BY t.col
            parts = _names(node.arg)
            if parts and parts != ["none"]:
                table = self.ref(NS.RELATION, parts[:-1])
                self.column(table, parts[-1])
                if table:  # the table's owner must be the sequence's by then
                    self.f.after_all.append(ObjectRef(NS.RELATION, table))
            return
        if node.defname == "sequence_name":  # identity options: SEQUENCE NAME s.q
            parts = _names(node.arg)
            if parts:
                self.create(NS.RELATION, parts)
            return
        self.visit(node.arg)

    # -------------------------------------------------------------------- functions

    def v_CreateFunctionStmt(self, node: ast.CreateFunctionStmt) -> None:
        name = self.create(NS.FUNCTION, _strings(node.funcname))
        # overloads share the name; "name/N" tells them apart by how many arguments a
        # call passes (one per count a call may use, given the defaults)
        inputs = [
            p
            for p in node.parameters or ()
            if isinstance(p, ast.FunctionParameter)
            and str(getattr(p.mode, "value", p.mode)) in ("i", "b", "v", "d")
        ]
        required = sum(1 for p in inputs if p.defexpr is None)
        for count in range(required, len(inputs) + 1):
            self.f.creates.append(ObjectRef(NS.FUNCTION, f"{name}/{count}"))
        self.visit(node.parameters)
        self.visit(node.returnType)
        language = "sql" if node.sql_body is not None else ""
        body: str | None = None
        for option in node.options or ():
            if not isinstance(option, ast.DefElem):
                continue
            if option.defname == "language":
                language = _names(option.arg)[0] if _names(option.arg) else ""
                self.ref(NS.LANGUAGE, [language])
            elif option.defname == "as":
                parts = _names(option.arg)
                body = parts[0] if len(parts) == 1 else None
            else:
                self.visit(option.arg)
        parameters: dict[str, str | None] = {
            p.name: None
            for p in node.parameters or ()
            if isinstance(p, ast.FunctionParameter) and p.name
        }
        inner = _Facts()
        walker = _Walker(inner, schema=self.schema)
        if node.sql_body is not None:
            walker.in_scope(parameters, node.sql_body)
        elif language == "sql" and body is not None:
            for stmt in _sql_body(self.sql, body):
                walker.in_scope(parameters, stmt)
        elif language == "plpgsql":
            _plpgsql_facts(self.sql, inner, self.schema)
        else:
            return
        if language == "sql":
            # checked when created (check_function_bodies): the body's objects come first
            self.f.references.extend(inner.references)
            self.f.optional.extend(inner.optional)
        self.f.runtime.extend(inner.references)
        self.f.runtime.extend(inner.optional)
        self.f.runtime.extend(inner.after_all)

    def v_DoStmt(self, node: ast.DoStmt) -> None:
        language = "plpgsql"
        for option in node.args or ():
            if isinstance(option, ast.DefElem) and option.defname == "language":
                language = _names(option.arg)[0] if _names(option.arg) else language
                self.ref(NS.LANGUAGE, [language])
        if language != "plpgsql":
            self.f.blind.append(f"DO block in language {language}: order cannot read it")
            return
        # runs now: what it creates is created by this statement, what it uses comes first
        _plpgsql_facts(self.sql, self.f, self.schema)

    def v_CreateTrigStmt(self, node: ast.CreateTrigStmt) -> None:
        table = self.relation(node.relation)
        if table is None:
            return
        self.f.alters.append(ObjectRef(NS.RELATION, table))
        self.member(NS.TRIGGER, table, node.trigname, create=True)
        self.ref(NS.FUNCTION, _strings(node.funcname))
        self.relation(node.constrrel)
        for col in _strings(node.columns):
            self.column(table, col)
        self.in_scope(self._table_scope(table, node.relation), node.whenClause)

    def v_CreateEventTrigStmt(self, node: ast.CreateEventTrigStmt) -> None:
        self.create(NS.EVENT_TRIGGER, [node.trigname])
        self.ref(NS.FUNCTION, _strings(node.funcname))

    def v_RuleStmt(self, node: ast.RuleStmt) -> None:
        table = self.relation(node.relation)
        if table is None:
            return
        self.f.alters.append(ObjectRef(NS.RELATION, table))
        self.member(NS.RULE, table, node.rulename, create=True)
        scope = self._table_scope(table, node.relation)
        scope.update({"new": table, "old": table})
        self.in_scope(scope, node.whereClause, node.actions)

    def v_CreatePolicyStmt(self, node: ast.CreatePolicyStmt) -> None:
        self.policy(node, create=True)

    def v_AlterPolicyStmt(self, node: ast.AlterPolicyStmt) -> None:
        self.policy(node, create=False)

    def policy(self, node: Any, *, create: bool) -> None:
        """CREATE / ALTER POLICY: the table first (rls mutate reads it from there)."""
        table = self.relation(node.table)
        if table is None:
            return
        self.f.alters.append(ObjectRef(NS.RELATION, table))
        name = ObjectRef(NS.POLICY, f"{table}.{node.policy_name}")
        (self.f.creates if create else self.f.references).append(name)
        self.visit(node.roles)
        self.in_scope(self._table_scope(table, node.table), node.qual, node.with_check)

    # -------------------------------------------------------------------- schemas, roles

    def v_CreateSchemaStmt(self, node: ast.CreateSchemaStmt) -> None:
        name = node.schemaname or (node.authrole.rolename if node.authrole else None)
        if name:
            self.create(NS.SCHEMA, [name])
        self.visit(node.authrole)
        if name and node.schemaElts:
            inner = _Walker(self.f, sql=self.sql, schema=name)
            inner.visit(node.schemaElts)

    def v_CreateExtensionStmt(self, node: ast.CreateExtensionStmt) -> None:
        self.create(NS.EXTENSION, [node.extname])
        for pair in builtins().get("extension requires", frozenset()):
            name, _, required = pair.partition(":")
            if name == node.extname:  # earthdistance needs cube (unless CASCADE makes it)
                self.f.optional.append(ObjectRef(NS.EXTENSION, required))
        for option in node.options or ():
            if isinstance(option, ast.DefElem) and option.defname == "schema":
                self.ref(NS.SCHEMA, _names(option.arg))

    def v_CreateRoleStmt(self, node: ast.CreateRoleStmt) -> None:
        self.create(NS.ROLE, [node.role])
        for option in node.options or ():
            if isinstance(option, ast.DefElem):
                self.visit(option.arg)

    def v_GrantRoleStmt(self, node: ast.GrantRoleStmt) -> None:
        for granted in node.granted_roles or ():
            if isinstance(granted, ast.AccessPriv) and granted.priv_name:
                self.ref(NS.ROLE, [granted.priv_name])
        self.visit(node.grantee_roles)
        self.visit(node.grantor)

    def v_GrantStmt(self, node: ast.GrantStmt) -> None:
        self.visit(node.grantees)
        self.visit(node.grantor)
        objtype = node.objtype
        if node.targtype == enums.GrantTargetType.ACL_TARGET_ALL_IN_SCHEMA:
            # ON ALL TABLES IN SCHEMA s covers the tables that exist when it runs
            ns = _GRANT_KINDS.get(objtype)
            for schema in _names(node.objects):
                self.ref(NS.SCHEMA, [schema])
                if ns is not None:
                    self.f.after_all.append(ObjectRef(ns, f"{schema}.*"))
            return
        for obj in node.objects or ():
            self.object_ref(objtype, obj, alters=True)
            if objtype in _RELATION_KINDS and isinstance(obj, ast.RangeVar):
                table = self.qualify([obj.schemaname, obj.relname] if obj.schemaname else [obj.relname])
                for priv in node.privileges or ():
                    if isinstance(priv, ast.AccessPriv):
                        for col in _strings(priv.cols):
                            self.column(table, col)

    def v_AlterDefaultPrivilegesStmt(self, node: ast.AlterDefaultPrivilegesStmt) -> None:
        schemas: list[str] = []
        for option in node.options or ():
            if not isinstance(option, ast.DefElem):
                continue
            if option.defname == "schemas":
                schemas = [n for item in option.arg or () for n in _names(item)]
                for schema in schemas:
                    self.ref(NS.SCHEMA, [schema])
            else:
                self.visit(option.arg)
        action = node.action
        if action is None:
            return
        self.visit(action.grantees)
        ns = _GRANT_KINDS.get(action.objtype)
        if ns is None:
            return
        # only objects created after it get these privileges: it runs before them
        if ns is NS.SCHEMA or not schemas:
            self.f.before_all.append(ObjectRef(ns, "*"))
        else:
            self.f.before_all.extend(ObjectRef(ns, f"{s}.*") for s in schemas)

    def v_AlterRoleStmt(self, node: ast.AlterRoleStmt) -> None:
        self.visit(node.role)
        for option in node.options or ():
            if isinstance(option, ast.DefElem):
                self.visit(option.arg)

    # -------------------------------------------------------------------- any object

    def object_ref(
        self, objtype: Any, obj: Any, *, optional: bool | None = False, alters: bool = False
    ) -> None:
        """The object a COMMENT / GRANT / DROP / ALTER ... OWNER statement names."""
        if objtype in _RELATION_KINDS:
            if isinstance(obj, ast.RangeVar):
                name = self.relation(obj, optional=optional)
            else:
                name = self.ref(NS.RELATION, _names(obj), optional=optional)
            if name and alters:
                self.f.alters.append(ObjectRef(NS.RELATION, name))
            return
        if objtype in _TABLE_MEMBER_KINDS:
            parts = _names(obj)
            if len(parts) >= 2:
                table = self.ref(NS.RELATION, parts[:-1], optional=optional)
                if table:
                    self.member(_TABLE_MEMBER_KINDS[objtype], table, parts[-1])
                    if alters:
                        self.f.alters.append(ObjectRef(NS.RELATION, table))
            return
        if objtype in _FUNCTION_KINDS or objtype == _OT.OBJECT_OPERATOR:
            ns = NS.OPERATOR if objtype == _OT.OBJECT_OPERATOR else NS.FUNCTION
            if isinstance(obj, ast.ObjectWithArgs):
                name = self.ref(ns, _strings(obj.objname), optional=optional)
                self.visit(obj.objargs)
            else:
                name = self.ref(ns, _names(obj), optional=optional)
            if name and alters:
                self.f.alters.append(ObjectRef(ns, name))
            return
        if objtype in (_OT.OBJECT_OPCLASS, _OT.OBJECT_OPFAMILY):
            parts = _names(obj)  # USING method first
            ns = NS.OPERATOR_CLASS if objtype == _OT.OBJECT_OPCLASS else NS.OPERATOR_FAMILY
            if len(parts) >= 2:
                self.ref(ns, parts[1:], optional=optional)
            return
        if objtype == _OT.OBJECT_DOMCONSTRAINT and isinstance(obj, (list, tuple)) and obj:
            domain = self.ref(NS.TYPE, _names(obj[0]), optional=optional)
            if domain and len(obj) > 1:
                self.member(NS.CONSTRAINT, domain, _names(obj[1])[-1])
            return
        if objtype == _OT.OBJECT_CAST and isinstance(obj, (list, tuple)) and len(obj) == 2:
            self.visit(obj)
            self.f.optional.append(ObjectRef(NS.CAST, _cast_name(obj[0], obj[1])))
            return
        simple = _SIMPLE_KINDS.get(objtype)
        if simple is None:
            self.visit(obj)
            return
        name = self.ref(simple, _names(obj), optional=optional)
        if name and alters:
            self.f.alters.append(ObjectRef(simple, name))

    def v_CommentStmt(self, node: ast.CommentStmt) -> None:
        self.object_ref(node.objtype, node.object, alters=True)

    def v_SecLabelStmt(self, node: ast.SecLabelStmt) -> None:
        self.object_ref(node.objtype, node.object, alters=True)

    def v_AlterOwnerStmt(self, node: ast.AlterOwnerStmt) -> None:
        if node.relation is not None:
            self.object_ref(_OT.OBJECT_TABLE, node.relation, alters=True)
        else:
            self.object_ref(node.objectType, node.object, alters=True)
        self.visit(node.newowner)

    def v_DropStmt(self, node: ast.DropStmt) -> None:
        for obj in node.objects or ():
            self.object_ref(node.removeType, obj, optional=node.missing_ok)

    def v_AlterObjectSchemaStmt(self, node: ast.AlterObjectSchemaStmt) -> None:
        self.ref(NS.SCHEMA, [node.newschema])
        if node.relation is not None:
            self.object_ref(node.objectType, node.relation, optional=node.missing_ok)
            self.create(NS.RELATION, [node.newschema, node.relation.relname])
            return
        self.object_ref(node.objectType, node.object, optional=node.missing_ok)
        ns = _SIMPLE_KINDS.get(node.objectType) or (
            NS.FUNCTION if node.objectType in _FUNCTION_KINDS else None
        )
        obj = node.object
        parts = _strings(obj.objname) if isinstance(obj, ast.ObjectWithArgs) else _names(obj)
        if ns is not None and parts:
            self.create(ns, [node.newschema, parts[-1]])

    def v_RenameStmt(self, node: ast.RenameStmt) -> None:
        kind = node.renameType
        if kind in _TABLE_MEMBER_KINDS and node.relation is not None:
            table = self.relation(node.relation, optional=node.missing_ok)
            if table and node.subname:
                ns = _TABLE_MEMBER_KINDS[kind]
                self.member(ns, table, node.subname)
                self.member(ns, table, node.newname, create=True)
                self.f.alters.append(ObjectRef(NS.RELATION, table))
            return
        if node.relation is not None:
            old = self.relation(node.relation, optional=node.missing_ok)
            if old:
                self.create(NS.RELATION, [old.split(".", 1)[0], node.newname])
            return
        self.object_ref(kind, node.object, optional=node.missing_ok)
        renamed = _SIMPLE_KINDS.get(kind) or (NS.FUNCTION if kind in _FUNCTION_KINDS else None)
        obj = node.object
        parts = _strings(obj.objname) if isinstance(obj, ast.ObjectWithArgs) else _names(obj)
        if renamed is not None and parts:
            self.create(renamed, [*parts[:-1], node.newname])

    # -------------------------------------------------------------------- types

    def v_CreateEnumStmt(self, node: ast.CreateEnumStmt) -> None:
        name = self.create(NS.TYPE, _strings(node.typeName))
        for label in _strings(node.vals):
            self.f.creates.append(ObjectRef(NS.ENUM_LABEL, f"{name}.{label}"))

    def v_AlterEnumStmt(self, node: ast.AlterEnumStmt) -> None:
        name = self.ref(NS.TYPE, _strings(node.typeName))
        if name is None:
            return
        self.f.alters.append(ObjectRef(NS.TYPE, name))
        if node.oldVal:
            self.f.optional.append(ObjectRef(NS.ENUM_LABEL, f"{name}.{node.oldVal}"))
        if node.newValNeighbor:  # ADD VALUE 'x' AFTER 'y': after the statement adding 'y'
            self.f.optional.append(ObjectRef(NS.ENUM_LABEL, f"{name}.{node.newValNeighbor}"))
        if node.newVal:
            self.f.creates.append(ObjectRef(NS.ENUM_LABEL, f"{name}.{node.newVal}"))

    def v_CompositeTypeStmt(self, node: ast.CompositeTypeStmt) -> None:
        rv = node.typevar
        self.create(NS.TYPE, [rv.schemaname or "", rv.relname])
        for col in node.coldeflist or ():
            if isinstance(col, ast.ColumnDef):
                self.visit(col.typeName)
                self.visit(col.collClause)

    def v_CreateRangeStmt(self, node: ast.CreateRangeStmt) -> None:
        parts = _strings(node.typeName)
        name = self.create(NS.TYPE, parts)
        self.f.creates.append(ObjectRef(NS.FUNCTION, name))  # the constructor
        schema = name.split(".", 1)[0]
        multirange = f"{parts[-1]}_multirange" if "range" not in parts[-1] else parts[-1].replace("range", "multirange", 1)
        self.f.creates.append(ObjectRef(NS.TYPE, f"{schema}.{multirange}"))
        self.definition(node.params)

    def definition(self, options: Sequence[Any] | None) -> None:
        """The ``(key = value, ...)`` list of CREATE AGGREGATE / OPERATOR / TYPE / ..."""
        for option in options or ():
            if not isinstance(option, ast.DefElem):
                continue
            key = option.defname.lower()
            if key in _FUNCTION_OPTIONS:
                self.ref(NS.FUNCTION, _names(option.arg))
            elif key in _TYPE_OPTIONS:
                self.visit(option.arg)
            elif key == "sortop":
                self.ref(NS.OPERATOR, _names(option.arg))
            elif key in ("subtype_opclass",):
                self.ref(NS.OPERATOR_CLASS, _names(option.arg))
            elif key == "collation":
                self.ref(NS.COLLATION, _names(option.arg))
            elif key == "multirange_type_name":
                self.create(NS.TYPE, _names(option.arg))
            elif key in ("from",):
                self.ref(NS.COLLATION, _names(option.arg))
            elif key in ("parser", "template", "copy"):
                self.ref(NS.TEXT_SEARCH, _names(option.arg))
            elif key in _SHELL_OPTIONS:
                continue

    def v_CreateDomainStmt(self, node: ast.CreateDomainStmt) -> None:
        name = self.create(NS.TYPE, _strings(node.domainname))
        self.visit(node.typeName)
        self.visit(node.collClause)
        for con in node.constraints or ():
            if isinstance(con, ast.Constraint):
                if con.conname:
                    self.member(NS.CONSTRAINT, name, con.conname, create=True)
                self.visit(con.raw_expr)

    def v_AlterDomainStmt(self, node: ast.AlterDomainStmt) -> None:
        name = self.ref(NS.TYPE, _strings(node.typeName))
        if name is None:
            return
        self.f.alters.append(ObjectRef(NS.TYPE, name))
        definition = node.def_
        if isinstance(definition, ast.Constraint):
            if definition.conname:
                self.member(NS.CONSTRAINT, name, definition.conname, create=True)
            self.visit(definition.raw_expr)
        else:
            self.visit(definition)
        if node.name:
            self.member(NS.CONSTRAINT, name, node.name)

    def v_DefineStmt(self, node: ast.DefineStmt) -> None:
        kind = node.kind
        names = _strings(node.defnames)
        ns = {
            _OT.OBJECT_AGGREGATE: NS.FUNCTION,
            _OT.OBJECT_OPERATOR: NS.OPERATOR,
            _OT.OBJECT_TYPE: NS.TYPE,
            _OT.OBJECT_COLLATION: NS.COLLATION,
            _OT.OBJECT_TSCONFIGURATION: NS.TEXT_SEARCH,
            _OT.OBJECT_TSDICTIONARY: NS.TEXT_SEARCH,
            _OT.OBJECT_TSPARSER: NS.TEXT_SEARCH,
            _OT.OBJECT_TSTEMPLATE: NS.TEXT_SEARCH,
        }.get(kind)
        if ns is not None and names:
            self.create(ns, names)
        self.visit(node.args)
        self.definition(node.definition)

    def v_CreateOpClassStmt(self, node: ast.CreateOpClassStmt) -> None:
        name = self.create(NS.OPERATOR_CLASS, _strings(node.opclassname))
        if node.opfamilyname:
            self.ref(NS.OPERATOR_FAMILY, _strings(node.opfamilyname))
        else:  # an operator class without FAMILY makes a family of the same name
            self.f.creates.append(ObjectRef(NS.OPERATOR_FAMILY, name))
        self.ref(NS.ACCESS_METHOD, [node.amname])
        self.visit(node.datatype)
        self.opclass_items(node.items)

    def opclass_items(self, items: Sequence[Any] | None) -> None:
        for item in items or ():
            if not isinstance(item, ast.CreateOpClassItem):
                continue
            owa = item.name
            if isinstance(owa, ast.ObjectWithArgs):
                ns = NS.OPERATOR if item.itemtype == 1 else NS.FUNCTION
                self.ref(ns, _strings(owa.objname))
                self.visit(owa.objargs)
            self.ref(NS.OPERATOR_FAMILY, _strings(item.order_family))
            self.visit(item.class_args)
            self.visit(item.storedtype)

    def v_CreateOpFamilyStmt(self, node: ast.CreateOpFamilyStmt) -> None:
        self.create(NS.OPERATOR_FAMILY, _strings(node.opfamilyname))
        self.ref(NS.ACCESS_METHOD, [node.amname])

    def v_AlterOpFamilyStmt(self, node: ast.AlterOpFamilyStmt) -> None:
        name = self.ref(NS.OPERATOR_FAMILY, _strings(node.opfamilyname))
        if name:
            self.f.alters.append(ObjectRef(NS.OPERATOR_FAMILY, name))
        self.ref(NS.ACCESS_METHOD, [node.amname])
        self.opclass_items(node.items)

    def v_CreateCastStmt(self, node: ast.CreateCastStmt) -> None:
        self.visit(node.sourcetype)
        self.visit(node.targettype)
        self.f.creates.append(ObjectRef(NS.CAST, _cast_name(node.sourcetype, node.targettype)))
        self.f.creates.append(ObjectRef(NS.CAST, f"(* AS {_cast_name(node.targettype, None)})"))
        if isinstance(node.func, ast.ObjectWithArgs):
            self.ref(NS.FUNCTION, _strings(node.func.objname))
            self.visit(node.func.objargs)

    def v_CreateConversionStmt(self, node: ast.CreateConversionStmt) -> None:
        self.create(NS.CONVERSION, _strings(node.conversion_name))
        self.ref(NS.FUNCTION, _strings(node.func_name))

    def v_CreateTransformStmt(self, node: ast.CreateTransformStmt) -> None:
        self.visit(node.type_name)
        self.ref(NS.LANGUAGE, [node.lang])
        self.f.creates.append(ObjectRef(NS.TRANSFORM, f"{_cast_name(node.type_name, None)} {node.lang}"))
        for func in (node.fromsql, node.tosql):
            if isinstance(func, ast.ObjectWithArgs):
                self.ref(NS.FUNCTION, _strings(func.objname))

    def v_CreatePLangStmt(self, node: ast.CreatePLangStmt) -> None:
        self.create(NS.LANGUAGE, [node.plname])
        for func in (node.plhandler, node.plinline, node.plvalidator):
            self.ref(NS.FUNCTION, _strings(func))

    def v_CreateAmStmt(self, node: ast.CreateAmStmt) -> None:
        self.create(NS.ACCESS_METHOD, [node.amname])
        self.ref(NS.FUNCTION, _strings(node.handler_name))

    # -------------------------------------------------------------------- foreign data

    def v_CreateFdwStmt(self, node: ast.CreateFdwStmt) -> None:
        self.create(NS.FOREIGN_DATA_WRAPPER, [node.fdwname])
        self.definition(node.func_options)

    def v_AlterFdwStmt(self, node: ast.AlterFdwStmt) -> None:
        self.ref(NS.FOREIGN_DATA_WRAPPER, [node.fdwname])
        self.definition(node.func_options)

    def v_CreateForeignServerStmt(self, node: ast.CreateForeignServerStmt) -> None:
        self.create(NS.SERVER, [node.servername])
        self.ref(NS.FOREIGN_DATA_WRAPPER, [node.fdwname])

    def v_AlterForeignServerStmt(self, node: ast.AlterForeignServerStmt) -> None:
        self.ref(NS.SERVER, [node.servername])

    def _mapping(self, node: Any, *, create: bool) -> None:
        user = node.user
        self.visit(user)
        self.ref(NS.SERVER, [node.servername], optional=getattr(node, "missing_ok", False))
        role = "public"
        if isinstance(user, ast.RoleSpec):
            role = user.rolename or str(user.roletype.name).removeprefix("ROLESPEC_").lower()
        ref = ObjectRef(NS.USER_MAPPING, f"{role}@{node.servername}")
        (self.f.creates if create else self.f.optional).append(ref)

    def v_CreateUserMappingStmt(self, node: ast.CreateUserMappingStmt) -> None:
        self._mapping(node, create=True)

    def v_AlterUserMappingStmt(self, node: ast.AlterUserMappingStmt) -> None:
        self._mapping(node, create=False)

    def v_DropUserMappingStmt(self, node: ast.DropUserMappingStmt) -> None:
        self._mapping(node, create=False)

    def v_ImportForeignSchemaStmt(self, node: ast.ImportForeignSchemaStmt) -> None:
        self.ref(NS.SERVER, [node.server_name])
        self.ref(NS.SCHEMA, [node.local_schema])
        if node.list_type == enums.ImportForeignSchemaType.FDW_IMPORT_SCHEMA_LIMIT_TO:
            for rv in node.table_list or ():
                if isinstance(rv, ast.RangeVar):
                    self.create(NS.RELATION, [node.local_schema, rv.relname])
        else:
            self.f.blind.append(
                "IMPORT FOREIGN SCHEMA creates tables whose names only the remote server "
                "knows (name them with LIMIT TO)"
            )

    # -------------------------------------------------------------------- the rest

    def v_CreatePublicationStmt(self, node: ast.CreatePublicationStmt) -> None:
        self.create(NS.PUBLICATION, [node.pubname])
        self.publication_objects(node.pubobjects)

    def v_AlterPublicationStmt(self, node: ast.AlterPublicationStmt) -> None:
        self.ref(NS.PUBLICATION, [node.pubname])
        self.publication_objects(node.pubobjects)

    def publication_objects(self, objects: Sequence[Any] | None) -> None:
        for obj in objects or ():
            if not isinstance(obj, ast.PublicationObjSpec):
                continue
            if obj.pubtable is not None:
                table = self.relation(obj.pubtable.relation)
                for col in _strings(obj.pubtable.columns):
                    self.column(table, col)
                self.in_scope(
                    self._table_scope(table, obj.pubtable.relation), obj.pubtable.whereClause
                )
            elif obj.name:
                self.ref(NS.SCHEMA, [obj.name])

    def v_CreateStatsStmt(self, node: ast.CreateStatsStmt) -> None:
        if node.defnames:
            self.create(NS.STATISTICS, _strings(node.defnames))
        names: dict[str, str | None] = {}
        for rv in node.relations or ():
            table = self.relation(rv) if isinstance(rv, ast.RangeVar) else None
            if table and isinstance(rv, ast.RangeVar):
                self.f.alters.append(ObjectRef(NS.RELATION, table))
                names.update(self._table_scope(table, rv))
        for elem in node.exprs or ():
            if isinstance(elem, ast.StatsElem):
                if elem.name:
                    for table in names.values():
                        self.column(table, elem.name)
                self.in_scope(names, elem.expr)

    def v_AlterFunctionStmt(self, node: ast.AlterFunctionStmt) -> None:
        self.object_ref(node.objtype, node.func, alters=True)
        self.visit(node.actions)

    def v_AlterExtensionStmt(self, node: ast.AlterExtensionStmt) -> None:
        self.ref(NS.EXTENSION, [node.extname])

    def v_AlterExtensionContentsStmt(self, node: ast.AlterExtensionContentsStmt) -> None:
        self.ref(NS.EXTENSION, [node.extname])
        self.object_ref(node.objtype, node.object)

    def v_AlterEventTrigStmt(self, node: ast.AlterEventTrigStmt) -> None:
        self.ref(NS.EVENT_TRIGGER, [node.trigname])

    def v_AlterTSConfigurationStmt(self, node: ast.AlterTSConfigurationStmt) -> None:
        name = self.ref(NS.TEXT_SEARCH, _strings(node.cfgname))
        if name:
            self.f.alters.append(ObjectRef(NS.TEXT_SEARCH, name))
        for dictionary in node.dicts or ():
            self.ref(NS.TEXT_SEARCH, _names(dictionary))

    def v_AlterTSDictionaryStmt(self, node: ast.AlterTSDictionaryStmt) -> None:
        self.ref(NS.TEXT_SEARCH, _strings(node.dictname))

    def v_AlterTypeStmt(self, node: ast.AlterTypeStmt) -> None:
        name = self.ref(NS.TYPE, _strings(node.typeName))
        if name:
            self.f.alters.append(ObjectRef(NS.TYPE, name))
        self.definition(node.options)

    def v_AlterCollationStmt(self, node: ast.AlterCollationStmt) -> None:
        self.ref(NS.COLLATION, _strings(node.collname))

    def v_AlterStatsStmt(self, node: ast.AlterStatsStmt) -> None:
        self.ref(NS.STATISTICS, _strings(node.defnames), optional=node.missing_ok)

    def v_AlterOperatorStmt(self, node: ast.AlterOperatorStmt) -> None:
        self.object_ref(_OT.OBJECT_OPERATOR, node.opername, alters=True)
        self.definition(node.options)

    def v_CreateTableSpaceStmt(self, node: ast.CreateTableSpaceStmt) -> None:
        self.create(NS.TABLESPACE, [node.tablespacename])
        self.visit(node.owner)

    def v_CreatedbStmt(self, node: ast.CreatedbStmt) -> None:
        self.create(NS.DATABASE, [node.dbname])

    def v_DropRoleStmt(self, node: ast.DropRoleStmt) -> None:
        for role in node.roles or ():
            if isinstance(role, ast.RoleSpec) and role.rolename:
                self.ref(NS.ROLE, [role.rolename], optional=node.missing_ok)

    def v_CreateSubscriptionStmt(self, node: ast.CreateSubscriptionStmt) -> None:
        self.create(NS.SUBSCRIPTION, [node.subname])


def _cast_name(source: Any, target: Any) -> str:
    def text(node: Any) -> str:
        names = _names(node)
        if names[:1] == ["pg_catalog"]:
            names = names[1:]
        return ".".join(names)

    return f"({text(source)} AS {text(target)})" if target is not None else text(source)


# ---------------------------------------------------------------------------- bodies


def _parse_body(body: str) -> list[Any]:
    """Statements of a ``LANGUAGE sql`` body string ([] when it does not parse)."""
    try:
        return [raw.stmt for raw in parse_sql(body)]
    except (PgParseError, RecursionError):
        return []


def _sql_body(sql: str, body: str) -> list[Any]:
    """The statements of a ``LANGUAGE sql`` string body; a syntax error is the server's.

    PostgreSQL parses such a body at CREATE FUNCTION (check_function_bodies is on by
    default), reporting the position inside the statement: so does this.
    """
    try:
        return [raw.stmt for raw in parse_sql(body)]
    except RecursionError:
        return []
    except PgParseError as exc:
        # no location means the end of the body (reported at its closing quote)
        location = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else len(body)
        raise _BodySyntaxError(
            str(exc.args[0]), _literal_offset(sql, body, min(max(location, 0), len(body)))
        ) from None


def _literal_offset(sql: str, body: str, location: int) -> int:
    """Offset in ``sql`` of character ``location`` of the string literal holding ``body``."""
    for tok in _significant_tokens(sql):
        if tok.name != "SCONST":
            continue
        piece = sql[tok.start : tok.end + 1]
        if piece.startswith("$"):
            tag = piece[: piece.index("$", 1) + 1]
            if piece[len(tag) : len(piece) - len(tag)] == body:
                return int(tok.start) + len(tag) + location
        elif piece.startswith("'") and piece[1:-1].replace("''", "'") == body:
            i, seen = int(tok.start) + 1, 0
            while seen < location and i < tok.end:
                i += 2 if sql[i] == "'" else 1
                seen += 1
            return i
    return 0


def _expression_statements(query: str, mode: int) -> list[Any]:
    """A PL/pgSQL expression or statement as SQL statements to walk."""
    if mode == 0:
        return _parse_body(query)
    candidates = [f"SELECT {query}"]
    if mode >= 3:  # assignment: target := expression
        for sep in (":=", "="):
            if sep in query:
                candidates.append(f"SELECT {query.split(sep, 1)[1]}")
                break
    for candidate in candidates:
        found = _parse_body(candidate)
        if found:
            return found
    return []


def _dynamic_sql(query: str) -> str | None:
    """The SQL an ``EXECUTE`` runs, when it is a constant (or a format() of constants)."""
    found = _parse_body(f"SELECT {query}")
    if len(found) != 1 or not isinstance(found[0], ast.SelectStmt):
        return None
    targets: Sequence[Any] = found[0].targetList or ()
    if len(targets) != 1 or not isinstance(targets[0], ast.ResTarget):
        return None
    value = targets[0].val
    text = _const_string(value)
    if text is not None:
        return text
    if isinstance(value, ast.FuncCall) and _strings(value.funcname)[-1:] == ["format"]:
        args = [_const_string(a) for a in value.args or ()]
        if args and all(a is not None for a in args):
            fmt, rest = args[0], list(args[1:])
            assert fmt is not None
            out = []
            i = 0
            while i < len(fmt):
                if fmt[i] == "%" and i + 1 < len(fmt):
                    spec = fmt[i + 1]
                    if spec == "%":
                        out.append("%")
                    elif spec in "sIL" and rest:
                        arg = rest.pop(0) or ""
                        if spec == "I":
                            arg = '"' + arg.replace('"', '""') + '"'
                        elif spec == "L":
                            arg = "'" + arg.replace("'", "''") + "'"
                        out.append(arg)
                    else:
                        return None
                    i += 2
                    continue
                out.append(fmt[i])
                i += 1
            return "".join(out)
    return None


def _plpgsql_type(typname: str, walker: _Walker) -> None:
    lowered = typname.lower()
    for suffix, pct in (("%rowtype", "row"), ("%type", "col")):
        if lowered.endswith(suffix):
            parts = split_qualified(typname[: -len(suffix)])
            if pct == "row":
                walker.ref(NS.RELATION, parts)
            elif len(parts) >= 2:
                table = walker.ref(NS.RELATION, parts[:-1])
                walker.column(table, parts[-1])
            return
    if "(" in typname or "[" in typname:
        typname = typname.split("(", 1)[0].split("[", 1)[0]
    parts = split_qualified(typname)
    if parts and len(parts) <= 3 and " " not in typname.strip():
        walker.ref(NS.TYPE, parts)


class _BodySyntaxError(Exception):
    """PostgreSQL's PL/pgSQL parser rejects a body (the server would, at CREATE or DO)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset  # in the statement's text


_NOT_A_VARIABLE = re.compile(r'^"([^".]+)" is not a known variable$')


def _is_body_syntax_error(message: str) -> bool:
    """An error the server raises too (not one from the missing catalog, e.g. ``"v.x"``)."""
    return (
        message.startswith(("syntax error", "unterminated", "missing expression"))
        or _NOT_A_VARIABLE.match(message) is not None
    )


def _body_span(sql: str) -> tuple[int, int] | None:
    """Start and end offsets of the dollar-quoted body's content in a statement."""
    for tok in _significant_tokens(sql):
        piece = sql[tok.start : tok.end + 1]
        if tok.name == "SCONST" and piece.startswith("$"):
            tag_end = piece.index("$", 1) + 1
            return tok.start + tag_end, tok.end + 1 - tag_end
    return None


def _body_error_offset(sql: str, message: str) -> int:
    """Where in ``sql`` the PL/pgSQL parser failed (it reports no position itself).

    ``at or near "X"``: the last occurrence of X before which the body still reads
    without that error. ``at end of input``: the end of the body. Else the body's start.
    """
    span = _body_span(sql)
    if span is None:
        return 0
    start, end = span
    near = re.search(r'at or near "(.*)"$', message, re.S)
    if near is not None:
        target = near.group(1)
        head, tail = sql[:start], sql[end:]
        try:
            tokens = scan(sql[start:end])
        except PgParseError:
            return start
        culprit = None
        for tok in tokens:
            if sql[start + tok.start : start + tok.end + 1] != target:
                continue
            # the body cut just before this X already fails the same way: an earlier X
            # was the one
            try:
                pglast.parse_plpgsql(head + sql[start : start + tok.start] + tail)
            except PgParseError as exc:
                if culprit is not None and exc.args and str(exc.args[0]) == message:
                    break
            except (RecursionError, ValueError):
                pass
            culprit = start + tok.start
        return start if culprit is None else culprit
    if "end of input" in message:
        return _broken_expression_end(sql, start, end)
    name = _NOT_A_VARIABLE.match(message)
    if name is not None:
        found = re.search(r"\b" + re.escape(name.group(1)) + r"\b", sql[start:end])
        if found is not None:
            return start + found.start()
    return start


# PL/pgSQL words that start an embedded SQL expression, and the words that end it.
_EXPRESSION_STARTS = {"PERFORM": (";",), "RETURN": (";",), "IF": ("THEN",)}
_EXPRESSION_STARTS |= {"ELSIF": ("THEN",), "WHILE": ("LOOP",), ":=": (";",), "=": (";",)}


def _broken_expression_end(sql: str, start: int, end: int) -> int:
    """Where an embedded expression of a PL/pgSQL body ends too early ("end of input").

    The server reports the end of the expression that does not parse (``PERFORM 1 +;``:
    just after the ``+``); when none is found, the end of the body.
    """
    try:
        tokens = _significant_tokens(sql[start:end])
    except PgParseError:
        return end
    words = [sql[start + t.start : start + t.end + 1].upper() for t in tokens]
    for i, word in enumerate(words):
        stops = _EXPRESSION_STARTS.get(word)
        if stops is None:
            continue
        j = i + 1
        while j < len(words) and words[j] not in stops:
            j += 1
        if j == i + 1 or j >= len(words):
            continue
        first, last = tokens[i + 1], tokens[j - 1]
        expression = sql[start + first.start : start + last.end + 1]
        try:
            pglast.parse_sql(f"SELECT {expression}")
        except PgParseError as exc:
            if exc.args and "end of input" in str(exc.args[0]):
                return start + int(last.end) + 1
        except RecursionError:
            continue
    return end


def _plpgsql_facts(sql: str, facts: _Facts, schema: str) -> None:
    """What a PL/pgSQL body (DO block or function) creates and uses, into ``facts``."""
    walker = _Walker(facts, schema=schema)
    try:
        tree = pglast.parse_plpgsql(sql)
    except PgParseError as exc:
        message = str(exc.args[0]) if exc.args else "syntax error"
        if _is_body_syntax_error(message):
            raise _BodySyntaxError(message, _body_error_offset(sql, message)) from None
        # the PL/pgSQL parser needs a catalog for some constructs (fields of a %ROWTYPE
        # variable): fall back to the body's statements that parse as SQL on their own
        _loose_body_facts(sql, walker)
        return
    except (RecursionError, ValueError):
        _loose_body_facts(sql, walker)
        return
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "PLpgSQL_expr" and isinstance(value, dict):
                for stmt in _expression_statements(value.get("query", ""), value.get("parseMode", 0)):
                    walker.visit(stmt)
            elif key == "PLpgSQL_type" and isinstance(value, dict):
                _plpgsql_type(str(value.get("typname", "")), walker)
            elif key in ("PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors") and isinstance(
                value, dict
            ):
                expr = value.get("query", {}).get("PLpgSQL_expr", {})
                text = _dynamic_sql(expr.get("query", ""))
                if text is None:
                    facts.blind.append(
                        f"EXECUTE of dynamic SQL (line {value.get('lineno', '?')} of the body): "
                        "order cannot see what it creates or uses"
                    )
                else:
                    for stmt in _parse_body(text):
                        walker.visit(stmt)
                stack.append(value)
            else:
                stack.append(value)


def _loose_body_facts(sql: str, walker: _Walker) -> None:
    """Statements of a PL/pgSQL body the PL/pgSQL parser refused, read one by one as SQL."""
    match = re.search(r"\$([A-Za-z_]*)\$(.*)\$\1\$", sql, re.S)
    if match is None:
        return
    body = match.group(2)
    for piece in body.split(";"):
        words = piece.split()
        # drop PL/pgSQL words in front of a statement (BEGIN, THEN, LOOP, ELSE ...)
        for skip in range(min(len(words), 8)):
            candidate = " ".join(words[skip:])
            if not candidate:
                break
            if candidate.upper().startswith("PERFORM "):
                candidate = "SELECT " + candidate[8:]
            stmts = _parse_body(candidate)
            if stmts:
                walker.visit(stmts)
                break


# ---------------------------------------------------------------------------- files


def _flat_facts(node: Any, facts: _Facts) -> None:
    """Fallback for trees too deep to walk recursively: names only, no scopes."""
    walker = _Walker(facts)
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, ast.RangeVar):
            walker.v_RangeVar(item)
        elif isinstance(item, ast.Node):
            if isinstance(item, ast.FuncCall):
                walker.ref(NS.FUNCTION, _strings(item.funcname))
            elif isinstance(item, ast.TypeName):
                walker.ref(NS.TYPE, _strings(item.names))
            for name in type(item).__slots__:
                value = getattr(item, name, None)
                if isinstance(value, (ast.Node, list, tuple)):
                    stack.append(value)


def statement_facts(node: Any, sql: str) -> dict[str, Any]:
    """What one parsed statement creates, references and alters (``Statement`` fields)."""
    facts = _Facts()
    try:
        _Walker(facts, sql=sql).visit(node)
    except RecursionError:
        facts = _Facts()
        _flat_facts(node, facts)
    facts.executes = type(node).__name__ in _EXECUTING
    if isinstance(node, ast.CreateTableAsStmt) and node.into is not None and node.into.skipData:
        facts.executes = False
    idempotent = bool(getattr(node, "replace", False) or getattr(node, "if_not_exists", False))
    if isinstance(node, ast.CreateForeignTableStmt) and node.base is not None:
        idempotent = bool(node.base.if_not_exists)
    result = facts.finish()
    result["idempotent"] = idempotent or isinstance(node, ast.DoStmt)
    return result


def _one_line(message: str) -> str:
    """The server's message on one line: an ``at or near "..."`` quote stops at its line end."""
    first = message.split("\n", 1)[0].rstrip()
    if first != message.rstrip() and first.count('"') % 2 == 1:
        first += '..."'
    return first


def _error_location(exc: PgParseError, text: str) -> int:
    """Where the error is, as the server reports it for the statement sent alone.

    "at end of input" is just past the statement's last token (the server never sees
    the file's trailing comments and blank lines), not at the end of the file.
    """
    length = len(text)
    location = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else length
    location = min(max(location, 0), length)
    if "end of input" in str(exc.args[0]):
        try:
            tokens = [t for t in _significant_tokens(text) if t.start < location]
        except PgParseError:
            return location
        if tokens:
            location = tokens[-1].end + 1
    return location


def parse_file(file: SqlFile) -> tuple[Statement, ...]:
    """Split one file into statements and record what each creates and references.

    Raises ParseError at the file:line:col where PostgreSQL's grammar rejects the text.
    """
    text = file.text
    locator = _Locator(text)
    try:
        parsed = parse_sql(text)
    except PgParseError as exc:
        copy = copy_data_error(file)  # pg_dump's COPY ... FROM stdin with its data rows
        if copy is not None:
            raise copy from None
        line, col = locator.line_col(_error_location(exc, text))
        raise ParseError(
            file.display,
            line,
            col,
            _one_line(str(exc.args[0])),
            hint="PostgreSQL's own grammar rejects the text there; fix it (a server would "
            "refuse it with the same message)",
        ) from None
    except RecursionError:
        raise ParseError(
            file.display, 1, 1, "nested too deeply to parse (split the statement up)"
        ) from None
    statements: list[Statement] = []
    for raw in parsed:
        start = raw.stmt_location or 0
        end = start + raw.stmt_len if raw.stmt_len else len(text)
        chunk = text[start:end]
        bounds = _bounds(chunk)
        if bounds is None:
            continue
        first, last = start + bounds[0], start + bounds[1]
        sql = text[first:last]
        line, col = locator.line_col(first)
        warnings: tuple[str, ...] = ()
        if _MAYBE_PARAM_JUNK.search(sql) or _MAYBE_LONG_NAME.search(sql):
            tokens = _significant_tokens(chunk)
            _check_parameters(file, locator, text, start, tokens)
            warnings = _long_identifiers(file, locator, text, start, tokens)
        try:
            facts = statement_facts(raw.stmt, sql)
        except _BodySyntaxError as exc:
            line, col = locator.line_col(first + exc.offset)
            raise ParseError(
                file.display,
                line,
                col,
                _one_line(exc.message),
                hint="PostgreSQL rejects the function or DO body there (the server checks "
                "bodies at CREATE FUNCTION and DO); fix it",
            ) from None
        statements.append(
            Statement(
                file=file,
                index=len(statements),
                offset=first,
                line=line,
                col=col,
                sql=sql,
                kind=statement_kind(_leading_words(sql), raw.stmt),
                warnings=warnings,
                **facts,
            )
        )
    return tuple(statements)


# Cheap tests that tell when a statement needs the token-level checks below.
_MAYBE_PARAM_JUNK = re.compile(r"\$\d+[A-Za-z_\u0080-\uffff]")
_MAYBE_LONG_NAME = re.compile(r'[\w$\u0080-\uffff]{32,}|"[^"]{32,}')


def _bounds(chunk: str) -> tuple[int, int] | None:
    """Offsets of a statement's first and last token in its chunk (comments excluded).

    The chunk runs from the previous semicolon: leading blanks and comments are skipped
    by hand; the end is found by the scanner only when a comment may trail the text.
    """
    i, n = 0, len(chunk)
    while i < n:
        if chunk[i].isspace():
            i += 1
        elif chunk.startswith("--", i):
            j = chunk.find("\n", i)
            i = n if j < 0 else j + 1
        elif chunk.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if chunk.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif chunk.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        else:
            break
    if i >= n:
        return None
    body = chunk.rstrip()
    last_line = body[body.rfind("\n") + 1 :]
    if "--" in last_line or body.endswith("*/"):
        tokens = _significant_tokens(chunk)
        if not tokens:
            return None
        return tokens[0].start, tokens[-1].end + 1
    return i, len(body)


_WORD_TOKENS = re.compile(
    r"(?P<skip>--[^\n]*|/\*.*?\*/|\s+)"
    r"|(?P<quoted>'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$\w*\$)"
    r"|(?P<word>[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)"
    r"|(?P<other>.)",
    re.S,
)


def _leading_words(sql: str, limit: int = 12) -> list[str]:
    """The first words of a statement, upper-cased ("" for strings, quoted names, symbols).

    Enough to name its kind (``CREATE MATERIALIZED VIEW``); a regular expression, since
    the statement already parsed and only its first words matter.
    """
    words: list[str] = []
    for m in _WORD_TOKENS.finditer(sql, 0, min(len(sql), 400)):
        if m.lastgroup == "skip":
            continue
        words.append(m.group().upper() if m.lastgroup == "word" else "")
        if len(words) >= limit:
            break
    return words


def _check_parameters(
    file: SqlFile, locator: _Locator, text: str, start: int, tokens: Sequence[Any]
) -> None:
    """``$1abc``: the server's scanner refuses a parameter glued to a word; libpg_query
    reads it as ``$1 abc`` (an alias), so refuse it here the way the server does."""
    for tok, after in itertools.pairwise(tokens):
        if tok.name == "PARAM" and after.start == tok.end + 1 and (
            after.name == "IDENT" or after.kind != "NO_KEYWORD"
        ):
            junk = text[start + tok.start : start + after.end + 1]
            line, col = locator.line_col(start + tok.start)
            raise ParseError(
                file.display,
                line,
                col,
                f'trailing junk after parameter at or near "{junk}"',
                hint="PostgreSQL's own grammar rejects the text there; fix it",
            )


def _long_identifiers(
    file: SqlFile, locator: _Locator, text: str, start: int, tokens: Sequence[Any]
) -> tuple[str, ...]:
    """A warning for each identifier PostgreSQL truncates to 63 bytes (it only says NOTICE).

    The parse tree holds the truncated name, so ``t_with_a_very_long_name...`` and its
    truncated spelling are one object to ``order``, as they are to the server.
    """
    found = []
    for tok in tokens:
        if tok.name != "IDENT":
            continue
        piece = text[start + tok.start : start + tok.end + 1]
        name = piece[1:-1].replace('""', '"') if piece.startswith('"') else piece.lower()
        size = len(name.encode())
        if size > _NAMEDATALEN:
            cut = name.encode()[:_NAMEDATALEN].decode(errors="ignore")
            line, col = locator.line_col(start + tok.start)
            found.append(
                f"{file.display}:{line}:{col}: identifier {piece[:20]}... is {size} bytes; "
                f'PostgreSQL truncates it to 63: "{cut}"'
            )
    return tuple(found)
