"""Split SQL files into statements and learn what each creates and references.

sqlglot's PostgreSQL tokenizer splits a file (it knows quoting, dollar quoting and
comments); statements sqlglot models well (tables, views, indexes, DML, ALTER
TABLE) are parsed to a tree and walked. Statements sqlglot 30 returns as an opaque
``exp.Command`` (CREATE POLICY, RLS switches, CREATE EXTENSION/ROLE/DOMAIN, ALTER
DEFAULT PRIVILEGES, DO, REFRESH MATERIALIZED VIEW, most CREATE FUNCTION) and a few
simple ones (GRANT, COMMENT, CREATE SCHEMA/TYPE/TRIGGER/SEQUENCE) are read by one
small handler per kind from the tokens, see ``_TOKEN_HANDLERS``.

The original text of each statement is what gets executed; parsing only feeds the
dependency graph.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlglot.errors
from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.tokenizer_core import Token, TokenType

from schemactl.errors import ParseError
from schemactl.model import Namespace, ObjectRef, SqlFile, Statement

# sqlglot logs "contains unsupported syntax. Falling back to parsing as a 'Command'"
# for every statement it does not model; each such kind is handled here explicitly.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

_DIALECT = Postgres()
T = TokenType

# Objects of these schemas are built in: a reference to them is never a dependency.
BUILTIN_SCHEMAS = frozenset({"pg_catalog", "information_schema"})
# Schemas that always exist, so a reference to one of their objects needs no CREATE SCHEMA.
IMPLICIT_SCHEMAS = BUILTIN_SCHEMAS | {"public"}
# Unqualified type names that are always built in (kept out of the graph and its output).
BUILTIN_TYPES = frozenset(
    [
        "int",
        "int2",
        "int4",
        "int8",
        "integer",
        "smallint",
        "bigint",
        "serial",
        "bigserial",
        "smallserial",
        "numeric",
        "decimal",
        "real",
        "float",
        "float4",
        "float8",
        "double",
        "text",
        "varchar",
        "char",
        "character",
        "bpchar",
        "name",
        "uuid",
        "bool",
        "boolean",
        "json",
        "jsonb",
        "bytea",
        "date",
        "time",
        "timetz",
        "timestamp",
        "timestamptz",
        "interval",
        "inet",
        "cidr",
        "macaddr",
        "money",
        "oid",
        "regclass",
        "regproc",
        "regprocedure",
        "regtype",
        "xml",
        "tsvector",
        "tsquery",
        "point",
        "void",
        "trigger",
        "event_trigger",
        "record",
        "anyelement",
        "anyarray",
        "anynonarray",
        "anyenum",
        "internal",
        "cstring",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
    ]
)
# Role names that are not roles a file could create.
PSEUDO_ROLES = frozenset({"public", "current_user", "session_user", "current_role"})

_WORD_RE = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*")
_STRING_TYPES = frozenset(
    {
        T.STRING,
        T.HEREDOC_STRING,
        T.NATIONAL_STRING,
        T.RAW_STRING,
        T.BIT_STRING,
        T.HEX_STRING,
        T.BYTE_STRING,
        T.UNICODE_STRING,
    }
)
_NOT_WORDS = _STRING_TYPES | {T.IDENTIFIER}
_CREATE_MODIFIERS = frozenset(
    {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "GLOBAL", "LOCAL"}
    | {"RECURSIVE", "CONSTRAINT", "TRUSTED", "PROCEDURAL"}
)
# Object words that take a second word to name the kind (CREATE MATERIALIZED VIEW, ...).
_TWO_WORD_OBJECTS = frozenset({"MATERIALIZED", "EVENT", "FOREIGN", "TEXT", "DEFAULT", "ACCESS"})
# Object word(s) of CREATE/ALTER/DROP/COMMENT -> name space of the named object.
_OBJECT_NAMESPACES: dict[str, Namespace] = {
    "TABLE": Namespace.RELATION,
    "VIEW": Namespace.RELATION,
    "MATERIALIZED VIEW": Namespace.RELATION,
    "INDEX": Namespace.RELATION,
    "SEQUENCE": Namespace.RELATION,
    "FOREIGN TABLE": Namespace.RELATION,
    "FUNCTION": Namespace.FUNCTION,
    "PROCEDURE": Namespace.FUNCTION,
    "ROUTINE": Namespace.FUNCTION,
    "AGGREGATE": Namespace.FUNCTION,
    "TYPE": Namespace.TYPE,
    "DOMAIN": Namespace.TYPE,
    "SCHEMA": Namespace.SCHEMA,
    "EXTENSION": Namespace.EXTENSION,
    "ROLE": Namespace.ROLE,
    "USER": Namespace.ROLE,
    "GROUP": Namespace.ROLE,
}
# First words of multi-word type names ("double precision", "timestamp with time zone"):
# an argument starting with one of them has no parameter name.
_MULTIWORD_TYPES = frozenset(
    {"DOUBLE", "CHARACTER", "CHAR", "VARCHAR", "TIMESTAMP", "TIME", "BIT", "INTERVAL", "NATIONAL"}
)
_ARG_MODES = frozenset({"IN", "OUT", "INOUT", "VARIADIC"})


# ---------------------------------------------------------------------------- tokens


def _is_name(tok: Token) -> bool:
    """True for a token that can be (part of) an object name."""
    if tok.token_type == T.IDENTIFIER:
        return True
    if tok.token_type in _STRING_TYPES:
        return False
    return _WORD_RE.fullmatch(tok.text) is not None


def _norm(tok: Token) -> str:
    """The catalog spelling of a name token: lower-cased unless it was quoted."""
    return tok.text if tok.token_type == T.IDENTIFIER else tok.text.lower()


def _word(tok: Token | None) -> str:
    """Upper-case keyword text of a token ("" for quoted names, strings and None)."""
    if tok is None or tok.token_type in _NOT_WORDS:
        return ""
    return tok.text.upper()


class _Locator:
    """Maps character offsets of one text to 1-based (line, col) in O(log n)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


class _Source:
    """One file being parsed: its text, locator and a parser instance."""

    def __init__(self, file: SqlFile) -> None:
        self.file = file
        self.text = file.text
        self.locator = _Locator(file.text)
        self.parser = _DIALECT.parser()

    def error(self, offset: int, message: str) -> ParseError:
        line, col = self.locator.line_col(offset)
        return ParseError(self.file.display, line, col, message)


def tokenize(text: str) -> list[Token]:
    """sqlglot's PostgreSQL tokens of ``text``.

    Raises ``ValueError(offset, message)`` on an unterminated string, quoted name
    or comment, with the offset where that token starts.
    """
    tokenizer = _DIALECT.tokenizer()
    try:
        return list(tokenizer.tokenize(text))
    except sqlglot.errors.TokenError as exc:
        # The tokenizer core keeps the start of the token it failed on; it is not
        # public API, so fall back to the end of the text.
        core = getattr(tokenizer, "_core", tokenizer)
        start = getattr(core, "_start", None)
        offset = start if isinstance(start, int) and 0 <= start <= len(text) else len(text)
        snippet = text[offset : offset + 20].split("\n")[0]
        raise ValueError(offset, f"unterminated string, quoted name or comment: {snippet}") from exc


def split_tokens(tokens: Sequence[Token]) -> list[list[Token]]:
    """Group tokens into statements at top-level semicolons.

    A ``BEGIN ATOMIC ... END`` function body keeps its inner semicolons (CASE ...
    END pairs inside it are counted so its own END is found).
    """
    statements: list[list[Token]] = []
    current: list[Token] = []
    atomic_depth = 0
    for i, tok in enumerate(tokens):
        if atomic_depth:
            word = _word(tok)
            if word == "CASE":
                atomic_depth += 1
            elif word == "END":
                atomic_depth -= 1
        elif (
            tok.token_type == T.BEGIN
            and i + 1 < len(tokens)
            and _word(tokens[i + 1]) == "ATOMIC"
            and current
            and _word(current[0]) == "CREATE"
        ):
            atomic_depth = 1
        if tok.token_type == T.SEMICOLON and not atomic_depth:
            if current:
                statements.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        statements.append(current)
    return statements


# ---------------------------------------------------------------------------- facts


def qualify(parts: Sequence[str]) -> str:
    """``schema.name`` of a dotted name; unqualified names live in ``public``."""
    if len(parts) == 1:
        return f"public.{parts[0]}"
    return f"{parts[-2]}.{parts[-1]}"


class _Facts:
    """What one statement creates and references, collected while reading it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.creates: list[ObjectRef] = []
        self.references: list[ObjectRef] = []
        self.optional: list[ObjectRef] = []

    def create(self, namespace: Namespace, name: str) -> None:
        self.creates.append(ObjectRef(namespace, name))

    def schema_of(self, parts: Sequence[str], *, optional: bool = False) -> None:
        """A qualified name also needs its schema (unless the schema always exists)."""
        if len(parts) > 1 and parts[-2] not in IMPLICIT_SCHEMAS:
            self.ref(Namespace.SCHEMA, [parts[-2]], optional=optional)

    def ref(self, namespace: Namespace, parts: Sequence[str], *, optional: bool = False) -> None:
        """Reference a (possibly dotted) name; schema-scoped names are qualified."""
        if not parts:
            return
        if namespace in (Namespace.SCHEMA, Namespace.EXTENSION, Namespace.ROLE):
            name = parts[-1]
            if namespace is Namespace.ROLE and name.lower() in PSEUDO_ROLES:
                return
            if namespace is Namespace.SCHEMA and name in IMPLICIT_SCHEMAS:
                return
        else:
            name = qualify(parts)
            if len(parts) > 1 and parts[-2] in BUILTIN_SCHEMAS:
                optional = True
            self.schema_of(parts, optional=optional)
        (self.optional if optional else self.references).append(ObjectRef(namespace, name))

    def type_ref(self, parts: Sequence[str]) -> None:
        """A type name: qualified ones must exist, unqualified ones are mostly built in."""
        if len(parts) == 1 and parts[0] in BUILTIN_TYPES:
            return
        self.ref(Namespace.TYPE, parts, optional=len(parts) == 1)

    def function_ref(self, parts: Sequence[str]) -> None:
        """A function call: qualified calls must exist, unqualified are mostly built in."""
        self.ref(Namespace.FUNCTION, parts, optional=len(parts) == 1)

    def finish(self) -> tuple[tuple[ObjectRef, ...], tuple[ObjectRef, ...], tuple[ObjectRef, ...]]:
        """Deduplicated (creates, references, optional references) in first-seen order."""
        creates = tuple(dict.fromkeys(self.creates))
        own = set(creates)
        refs = tuple(r for r in dict.fromkeys(self.references) if r not in own)
        seen = own | set(refs)
        optional = tuple(r for r in dict.fromkeys(self.optional) if r not in seen)
        return creates, refs, optional


# ---------------------------------------------------------------------------- cursor


class _Cursor:
    """Reads a statement's tokens left to right, for the token handlers."""

    def __init__(self, src: _Source, tokens: Sequence[Token], what: str) -> None:
        self.src = src
        self.toks = tokens
        self.i = 0
        self.what = what  # statement kind, for error messages

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def word(self, k: int = 0) -> str:
        return _word(self.peek(k))

    def at_end(self) -> bool:
        return self.i >= len(self.toks)

    def accept(self, *words: str) -> bool:
        """Consume ``words`` if the next tokens are exactly these keywords."""
        if all(self.word(k) == w for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def skip_words(self, words: Iterable[str]) -> None:
        allowed = set(words)
        while self.word() in allowed:
            self.i += 1

    def fail(self, message: str) -> ParseError:
        tok = self.peek()
        offset = tok.start if tok is not None else self.toks[-1].end + 1
        found = f"'{tok.text}'" if tok is not None else "end of statement"
        return self.src.error(offset, f"{self.what}: {message}, found {found}")

    def name(self) -> list[str]:
        """A dotted name (normalised parts); a ParseError if there is none."""
        tok = self.peek()
        if tok is None or not _is_name(tok):
            raise self.fail("expected a name")
        parts = [_norm(tok)]
        self.i += 1
        while (
            self.peek() is not None
            and self.peek().token_type == T.DOT  # type: ignore[union-attr]
            and self.peek(1) is not None
            and _is_name(self.peek(1))  # type: ignore[arg-type]
        ):
            parts.append(_norm(self.peek(1)))  # type: ignore[arg-type]
            self.i += 2
        return parts

    def parens(self) -> list[Token]:
        """Consume a parenthesised group at the cursor; return the tokens inside."""
        tok = self.peek()
        if tok is None or tok.token_type != T.L_PAREN:
            raise self.fail("expected '('")
        depth = 0
        start = self.i
        for j in range(self.i, len(self.toks)):
            tt = self.toks[j].token_type
            if tt == T.L_PAREN:
                depth += 1
            elif tt == T.R_PAREN:
                depth -= 1
                if depth == 0:
                    self.i = j + 1
                    return list(self.toks[start + 1 : j])
        raise self.fail("unbalanced parentheses")

    def until_top_level(self, *words: str) -> list[Token]:
        """Consume tokens up to (not including) one of ``words`` at paren depth 0."""
        depth = 0
        start = self.i
        stop = set(words)
        while self.i < len(self.toks):
            tok = self.toks[self.i]
            if tok.token_type == T.L_PAREN:
                depth += 1
            elif tok.token_type == T.R_PAREN:
                depth -= 1
            elif depth == 0 and _word(tok) in stop:
                break
            self.i += 1
        return list(self.toks[start : self.i])

    def rest(self) -> list[Token]:
        tokens = list(self.toks[self.i :])
        self.i = len(self.toks)
        return tokens


def _split_commas(tokens: Sequence[Token]) -> list[list[Token]]:
    """Split at top-level commas."""
    groups: list[list[Token]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.token_type in (T.L_PAREN, T.L_BRACKET):
            depth += 1
        elif tok.token_type in (T.R_PAREN, T.R_BRACKET):
            depth -= 1
        elif tok.token_type == T.COMMA and depth == 0:
            groups.append([])
            continue
        groups[-1].append(tok)
    return [g for g in groups if g]


def _dotted_names(tokens: Sequence[Token]) -> Iterable[tuple[list[str], bool]]:
    """Every dotted name in ``tokens`` as (parts, followed by '(')."""
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_name(tok) or (i > 0 and tokens[i - 1].token_type == T.DOT):
            i += 1
            continue
        parts = [_norm(tok)]
        j = i + 1
        while j + 1 < n and tokens[j].token_type == T.DOT and _is_name(tokens[j + 1]):
            parts.append(_norm(tokens[j + 1]))
            j += 2
        called = j < n and tokens[j].token_type == T.L_PAREN
        yield parts, called
        i = j


def _scan(tokens: Sequence[Token], facts: _Facts) -> None:
    """Conservative references of tokens nobody parsed: never wrong, maybe incomplete.

    Qualified calls ``s.f(...)`` are references; other qualified names may be
    ``alias.column``, so they are optional relation references; names after
    REFERENCES / PARTITION OF / INHERITS are relations.
    """
    for parts, called in _dotted_names(tokens):
        if called and len(parts) >= 2:
            facts.function_ref(parts[-2:])
        elif len(parts) == 2:
            facts.ref(Namespace.RELATION, parts, optional=True)
    for i, tok in enumerate(tokens[:-1]):
        word = _word(tok)
        if word in ("REFERENCES", "INHERITS", "LIKE") or (word == "OF" and i > 0):
            names = list(_dotted_names(tokens[i + 1 : i + 8]))
            if names and (word != "OF" or _word(tokens[i - 1]) == "PARTITION"):
                facts.ref(Namespace.RELATION, names[0][0])


def _roles(tokens: Sequence[Token], facts: _Facts) -> None:
    """Role names of a comma-separated list, as optional references."""
    for group in _split_commas(tokens):
        names = [t for t in group if _is_name(t) and _word(t) != "GROUP"]
        if names:
            facts.ref(Namespace.ROLE, [_norm(names[0])], optional=True)


def _type_of(tokens: Sequence[Token], facts: _Facts) -> None:
    """Reference the type named at the start of ``tokens`` (``SETOF`` skipped)."""
    toks = [t for t in tokens if _word(t) != "SETOF"]
    for parts, _called in _dotted_names(toks):
        facts.type_ref(parts)
        # A table's row type has the table's name: a TYPE reference can resolve to it.
        return


def _column_types(tokens: Sequence[Token], facts: _Facts) -> None:
    """Types of ``name type, ...`` lists (function arguments, RETURNS TABLE, composites)."""
    for group in _split_commas(tokens):
        words: list[Token] = []
        for tok in group:
            if _word(tok) in ("DEFAULT", "COLLATE") or tok.token_type == T.EQ:
                break
            words.append(tok)
        while words and _word(words[0]) in _ARG_MODES:
            words = words[1:]
        if not words:
            continue
        names = [t for t in words if _is_name(t)]
        # "uid uuid" has a parameter name; "double precision" and "uuid" do not.
        if len(names) >= 2 and _word(words[0]) not in _MULTIWORD_TYPES and _is_name(words[0]):
            next_tok = words[1]
            if next_tok.token_type != T.DOT:
                words = words[1:]
        _type_of(words, facts)


# ---------------------------------------------------------------------------- kinds


def statement_kind(tokens: Sequence[Token]) -> str:
    """Upper-case kind from the first words, e.g. ``CREATE MATERIALIZED VIEW``."""
    words = [_word(t) for t in tokens[:12]]
    first = words[0] if words else ""
    if first == "CREATE":
        rest = [w for w in words[1:] if w not in _CREATE_MODIFIERS] or ["?"]
        if rest[0] in _TWO_WORD_OBJECTS and len(rest) > 1:
            if rest[0] == "DEFAULT":  # CREATE DEFAULT CONVERSION
                return f"CREATE {rest[1]}"
            return f"CREATE {rest[0]} {rest[1]}"
        return f"CREATE {rest[0]}"
    if first == "ALTER":
        for flag, kind in _RLS_SWITCHES.items():
            if _has_words(words, flag):
                return kind
        if words[1:3] == ["DEFAULT", "PRIVILEGES"]:
            return "ALTER DEFAULT PRIVILEGES"
        if len(words) > 2 and words[1] in _TWO_WORD_OBJECTS:
            return f"ALTER {words[1]} {words[2]}"
        return f"ALTER {words[1]}" if len(words) > 1 else "ALTER"
    if first in ("DROP", "COMMENT", "SECURITY"):
        if first == "DROP" and len(words) > 2 and words[1] in _TWO_WORD_OBJECTS:
            return f"DROP {words[1]} {words[2]}"
        return f"DROP {words[1]}" if first == "DROP" and len(words) > 1 else first
    if first == "REFRESH":
        return "REFRESH MATERIALIZED VIEW"
    return first or "?"


_RLS_SWITCHES = {
    ("NO", "FORCE", "ROW", "LEVEL", "SECURITY"): "NO FORCE RLS",
    ("ENABLE", "ROW", "LEVEL", "SECURITY"): "ENABLE RLS",
    ("DISABLE", "ROW", "LEVEL", "SECURITY"): "DISABLE RLS",
    ("FORCE", "ROW", "LEVEL", "SECURITY"): "FORCE RLS",
}


def _has_words(words: Sequence[str], seq: Sequence[str]) -> bool:
    n = len(seq)
    return any(list(words[i : i + n]) == list(seq) for i in range(len(words) - n + 1))


# ---------------------------------------------------------------------------- sqlglot trees


def _ident(node: Any) -> str | None:
    """Normalised text of an Identifier node (None for anything else)."""
    if isinstance(node, exp.Identifier):
        return str(node.this) if node.quoted else str(node.this).lower()
    return None


def _dot_parts(node: Any) -> list[str]:
    """Name parts of Identifier / Column / Dot chains (``a.b.c``)."""
    if isinstance(node, exp.Identifier):
        return [_ident(node) or ""]
    if isinstance(node, exp.Dot):
        return _dot_parts(node.this) + _dot_parts(node.expression)
    if isinstance(node, exp.Column):
        parts = [node.args.get(k) for k in ("catalog", "db", "table", "this")]
        return [p for p in (_ident(x) for x in parts) if p]
    if isinstance(node, exp.Var):
        return [str(node.this).lower()]
    return []


def _table_parts(node: exp.Table) -> list[str]:
    parts = [node.args.get("catalog"), node.args.get("db"), node.this]
    return [p for p in (_ident(x) for x in parts) if p]


def _func_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        name = node.this
        return str(name.this if isinstance(name, exp.Identifier) else name).lower()
    return str(node.sql_name()).lower()


def walk_tree(tree: exp.Expr, facts: _Facts) -> None:
    """Collect relations, calls of user functions and user types anywhere in a tree."""
    ctes: set[str] = set()
    tables: list[list[str]] = []
    for node in tree.walk():
        if isinstance(node, exp.Table):
            this = node.this
            if isinstance(this, exp.Func):  # FROM f(...): a set-returning function
                db = _ident(node.args.get("db"))
                facts.function_ref([db, _func_name(this)] if db else [_func_name(this)])
            else:
                parts = _table_parts(node)
                if parts:
                    tables.append(parts)
        elif isinstance(node, exp.CTE):
            ctes.add(node.alias_or_name.lower())
        elif isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
            parts = _dot_parts(node.this)
            if parts:
                facts.function_ref([*parts, _func_name(node.expression)])
        elif isinstance(node, exp.Anonymous):
            if not isinstance(node.parent, exp.Dot | exp.Table):
                facts.function_ref([_func_name(node)])
        elif isinstance(node, exp.DataType) and node.this == exp.DataType.Type.USERDEFINED:
            parts = _dot_parts(node.args.get("kind"))
            if parts:
                facts.type_ref(parts)
    # One walk: CTE names are only known at the end, so tables are filtered here.
    for parts in tables:
        if len(parts) == 1 and parts[0].lower() in ctes:
            continue
        facts.ref(Namespace.RELATION, parts)


# ---------------------------------------------------------------------------- parsing with sqlglot


def _parse_tokens(src: _Source, tokens: list[Token], what: str) -> exp.Expr:
    """Parse one statement's tokens; known sqlglot gaps are patched and retried.

    Raises ParseError at the offending token when sqlglot still refuses.
    """
    first_error: sqlglot.errors.ParseError | None = None
    fixes = iter(_RETRY_FIXES)
    attempt: list[Token] | None = tokens
    while True:
        if attempt is None:
            # Patches are only computed after a failure: the common case pays nothing.
            fix = next(fixes, None)
            if fix is None:
                break
            attempt = fix(tokens)
            continue
        try:
            trees = src.parser.parse(attempt, src.text)
        except sqlglot.errors.ParseError as exc:
            first_error = first_error or exc
            attempt = None
            continue
        except (sqlglot.errors.TokenError, IndexError, TypeError, ValueError) as exc:
            raise src.error(tokens[0].start, f"{what}: sqlglot cannot parse this ({exc})") from None
        for tree in trees:
            if tree is not None:
                return tree
        return exp.Command(this="")
    assert first_error is not None
    raise _map_parse_error(src, tokens, first_error, what)


def _map_parse_error(
    src: _Source, tokens: Sequence[Token], error: sqlglot.errors.ParseError, what: str
) -> ParseError:
    """sqlglot reports the end (line, col) of the token it failed on: map it to the file."""
    info = error.errors[0] if error.errors else {}
    line, col = info.get("line"), info.get("col")
    offset = tokens[0].start
    for tok in tokens:
        if tok.line == line and tok.col == col:
            offset = tok.start
            break
    else:
        if tokens and isinstance(line, int) and line > tokens[-1].line:
            offset = tokens[-1].end + 1
    description = str(info.get("description") or str(error).split(".")[0])
    # sqlglot's descriptions can embed a whole token repr; keep the message one short line.
    description = re.sub(
        r"<Token token_type: TokenType\.\w+, text: ([^,]*),.*?>", r"'\1'", description
    )
    description = re.sub(r"<class '(?:\w+\.)*(\w+)'>", r"\1", description)
    return src.error(offset, f"cannot parse {what}: {description}")


def _drop_view_options(tokens: list[Token]) -> list[Token] | None:
    """``CREATE VIEW v WITH (security_barrier) AS``: sqlglot 30 rejects view options."""
    if statement_kind(tokens) not in ("CREATE VIEW", "CREATE MATERIALIZED VIEW"):
        return None
    for i, tok in enumerate(tokens):
        if tok.token_type == T.ALIAS:
            return None
        if (
            tok.token_type == T.WITH
            and i + 1 < len(tokens)
            and tokens[i + 1].token_type == T.L_PAREN
        ):
            close = _close_paren(tokens, i + 1)
            return None if close is None else tokens[:i] + tokens[close + 1 :]
    return None


def _close_paren(tokens: Sequence[Token], open_at: int) -> int | None:
    """Index of the ')' matching the '(' at ``open_at``."""
    depth = 0
    for j in range(open_at, len(tokens)):
        if tokens[j].token_type == T.L_PAREN:
            depth += 1
        elif tokens[j].token_type == T.R_PAREN:
            depth -= 1
            if depth == 0:
                return j
    return None


def _drop_check_option(tokens: list[Token]) -> list[Token] | None:
    """``... WITH [CASCADED|LOCAL] CHECK OPTION`` at the end of a view."""
    words = [_word(t) for t in tokens[-4:]]
    if statement_kind(tokens) == "CREATE VIEW" and words[-2:] == ["CHECK", "OPTION"]:
        cut = len(tokens) - 2
        if _word(tokens[cut - 1]) in ("CASCADED", "LOCAL"):
            cut -= 1
        if _word(tokens[cut - 1]) == "WITH":
            return tokens[: cut - 1]
    return None


def _drop_only(tokens: list[Token]) -> list[Token] | None:
    """``CREATE INDEX ... ON ONLY t`` / ``ALTER TABLE ONLY t``: ONLY does not change names."""
    kept = [t for t in tokens if t.token_type != T.ONLY]
    return kept if len(kept) != len(tokens) else None


def _drop_table_storage(tokens: list[Token]) -> list[Token] | None:
    """``CREATE TABLE ... WITH (fillfactor = 70)`` storage parameters."""
    if statement_kind(tokens) != "CREATE TABLE":
        return None
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.token_type == T.L_PAREN:
            depth += 1
        elif tok.token_type == T.R_PAREN:
            depth -= 1
        elif depth == 0 and tok.token_type == T.WITH and i + 1 < len(tokens):
            close = _close_paren(tokens, i + 1)
            if close is not None:
                return tokens[:i] + tokens[close + 1 :]
    return None


_RETRY_FIXES: tuple[Callable[[list[Token]], list[Token] | None], ...] = (
    _drop_view_options,
    _drop_check_option,
    _drop_only,
    _drop_table_storage,
    lambda toks: _drop_only(_drop_view_options(toks) or toks),
)


# Expression source text -> (references, optional references). Policies repeat the
# same USING / WITH CHECK expressions across tables; parsing each once halves the
# work on large schemas. Bounded so a long-lived process does not grow without end.
_EXPRESSION_CACHE: dict[str, tuple[list[ObjectRef], list[ObjectRef]]] = {}
_EXPRESSION_CACHE_MAX = 20_000


def _parse_expression(src: _Source, tokens: list[Token], what: str, facts: _Facts) -> None:
    """Parse a bare expression (policy USING, domain CHECK) and collect its references."""
    if not tokens:
        return
    key = src.text[tokens[0].start : tokens[-1].end + 1]
    cached = _EXPRESSION_CACHE.get(key)
    if cached is None:
        found = _Facts("")
        walk_tree(_parse_tokens(src, tokens, what), found)
        cached = (found.references, found.optional)
        if len(_EXPRESSION_CACHE) >= _EXPRESSION_CACHE_MAX:
            _EXPRESSION_CACHE.clear()
        _EXPRESSION_CACHE[key] = cached
    facts.references.extend(cached[0])
    facts.optional.extend(cached[1])


def _parse_body(body: str, facts: _Facts) -> None:
    """References of a LANGUAGE sql function body (validated when the function is created).

    The body is a string of the statement; when sqlglot cannot read it the
    server still can, so fall back to the conservative token scan.
    """
    try:
        tokens = tokenize(body)
    except ValueError:
        return
    parser = _DIALECT.parser()
    for stmt in split_tokens(tokens):
        try:
            trees = parser.parse(stmt, body)
        except (sqlglot.errors.ParseError, sqlglot.errors.TokenError):
            _scan(stmt, facts)
            continue
        for tree in trees:
            if tree is None:
                continue
            if isinstance(tree, exp.Command):
                _scan(stmt, facts)
            else:
                walk_tree(tree, facts)


# ---------------------------------------------------------------------------- token handlers


def _h_policy(c: _Cursor, f: _Facts) -> None:
    """CREATE POLICY name ON table [AS ...] [FOR cmd] [TO roles] [USING (e)] [WITH CHECK (e)]."""
    c.accept("CREATE")
    c.accept("POLICY")
    name_tok = c.peek()
    if name_tok is None or not _is_name(name_tok):
        raise c.fail("expected the policy name")
    c.i += 1
    if not c.accept("ON"):
        raise c.fail("expected ON")
    table = c.name()
    f.ref(Namespace.RELATION, table)
    f.create(Namespace.POLICY, f"{qualify(table)}.{_norm(name_tok)}")
    while not c.at_end():
        if c.accept("AS") or c.accept("FOR"):
            c.i += 1
        elif c.accept("TO"):
            _roles(c.until_top_level("USING", "WITH"), f)
        elif c.accept("USING"):
            _parse_expression(c.src, c.parens(), "policy USING expression", f)
        elif c.accept("WITH", "CHECK"):
            _parse_expression(c.src, c.parens(), "policy WITH CHECK expression", f)
        else:
            raise c.fail("expected AS, FOR, TO, USING or WITH CHECK")


def _h_rls(c: _Cursor, f: _Facts) -> None:
    """ALTER TABLE [IF EXISTS] [ONLY] t {ENABLE|DISABLE|[NO] FORCE} ROW LEVEL SECURITY."""
    c.accept("ALTER")
    c.accept("TABLE")
    c.accept("IF", "EXISTS")
    c.accept("ONLY")
    f.ref(Namespace.RELATION, c.name())
    # Further comma-separated actions (", ADD COLUMN ...") are rare: scan them.
    _scan(c.rest(), f)


def _h_extension(c: _Cursor, f: _Facts) -> None:
    """CREATE EXTENSION [IF NOT EXISTS] x [WITH] [SCHEMA s] [VERSION v] [CASCADE]."""
    c.accept("CREATE")
    c.accept("EXTENSION")
    c.accept("IF", "NOT", "EXISTS")
    f.create(Namespace.EXTENSION, c.name()[-1])
    while not c.at_end():
        if c.accept("SCHEMA"):
            f.ref(Namespace.SCHEMA, c.name())
        else:
            c.i += 1


def _h_role(c: _Cursor, f: _Facts) -> None:
    """CREATE ROLE|USER|GROUP name [options] [IN ROLE r, ...] [ROLE r, ...] [ADMIN r, ...]."""
    c.accept("CREATE")
    c.i += 1  # ROLE / USER / GROUP
    f.create(Namespace.ROLE, c.name()[-1])
    while not c.at_end():
        if c.accept("IN", "ROLE") or c.accept("IN", "GROUP") or c.accept("ROLE"):
            _roles(c.until_top_level("ADMIN", "USER", "ROLE", "IN"), f)
        elif c.accept("ADMIN") or c.accept("USER"):
            _roles(c.until_top_level("ROLE", "IN"), f)
        else:
            c.i += 1


def _h_domain(c: _Cursor, f: _Facts) -> None:
    """CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [CONSTRAINT n] [CHECK (e)] ..."""
    c.accept("CREATE")
    c.accept("DOMAIN")
    f.create(Namespace.TYPE, qualify(name := c.name()))
    f.schema_of(name)
    c.accept("AS")
    _type_of(c.until_top_level("COLLATE", "DEFAULT", "CONSTRAINT", "CHECK", "NOT", "NULL"), f)
    while not c.at_end():
        if c.accept("CHECK"):
            _parse_expression(c.src, c.parens(), "domain CHECK expression", f)
        else:
            _scan([c.peek()], f)  # type: ignore[list-item]
            c.i += 1


def _h_default_privileges(c: _Cursor, f: _Facts) -> None:
    """ALTER DEFAULT PRIVILEGES [FOR ROLE r, ...] [IN SCHEMA s, ...] GRANT|REVOKE ..."""
    c.accept("ALTER", "DEFAULT", "PRIVILEGES")
    while not c.at_end():
        if c.accept("FOR", "ROLE") or c.accept("FOR", "USER"):
            _roles(c.until_top_level("IN", "GRANT", "REVOKE"), f)
        elif c.accept("IN", "SCHEMA"):
            for group in _split_commas(c.until_top_level("FOR", "GRANT", "REVOKE")):
                f.ref(Namespace.SCHEMA, [_norm(group[0])])
        elif c.word() in ("GRANT", "REVOKE"):
            c.until_top_level("TO", "FROM")
            if c.accept("TO") or c.accept("FROM"):
                _roles(c.until_top_level("WITH", "CASCADE", "RESTRICT"), f)
            c.rest()
        else:
            raise c.fail("expected FOR ROLE, IN SCHEMA, GRANT or REVOKE")


def _command_rest(c: _Cursor) -> tuple[list[Token], int]:
    """Re-tokenize the string sqlglot made of a command's arguments (DO, REFRESH)."""
    head = c.peek()
    assert head is not None
    start = head.end + 1
    end = c.toks[-1].end + 1
    text = c.src.text[start:end]
    try:
        return tokenize(text), start
    except ValueError as exc:
        raise c.src.error(start + int(exc.args[0]), str(exc.args[1])) from None


def _h_do(c: _Cursor, f: _Facts) -> None:
    """DO [LANGUAGE l] code: runs code once and creates nothing schemactl can see.

    A DO block is opaque (often plpgsql creating roles if missing); its qualified
    names become optional references, so it runs after whatever files create them.
    """
    tokens, _ = _command_rest(c)
    for tok in tokens:
        if tok.token_type in _STRING_TYPES:
            try:
                inner = tokenize(tok.text)
            except ValueError:
                continue
            for parts, _called in _dotted_names(inner):
                if len(parts) == 2:
                    f.ref(Namespace.RELATION, parts, optional=True)
                    f.ref(Namespace.FUNCTION, parts, optional=True)


def _h_refresh(c: _Cursor, f: _Facts) -> None:
    """REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]."""
    tokens, _ = _command_rest(c)
    inner = _Cursor(c.src, tokens, c.what)
    inner.accept("MATERIALIZED", "VIEW")
    inner.accept("CONCURRENTLY")
    f.ref(Namespace.RELATION, inner.name())


def _h_function(c: _Cursor, f: _Facts) -> None:
    """CREATE [OR REPLACE] FUNCTION|PROCEDURE name(args) [RETURNS t] options AS body.

    LANGUAGE sql bodies are checked when the function is created, so their tables
    are references; other languages (plpgsql) are checked only when called and
    give no references (soft ones could only add false cycles).
    """
    c.accept("CREATE")
    c.accept("OR", "REPLACE")
    c.i += 1  # FUNCTION / PROCEDURE
    name = c.name()
    f.create(Namespace.FUNCTION, qualify(name))
    f.schema_of(name)
    _column_types(c.parens(), f)
    language = "sql"
    bodies: list[str] = []
    atomic: list[Token] = []
    while not c.at_end():
        if c.accept("RETURNS"):
            if c.accept("TABLE"):
                _column_types(c.parens(), f)
            else:
                _type_of(c.until_top_level(*_FUNCTION_OPTIONS), f)
        elif c.accept("LANGUAGE"):
            tok = c.peek()
            if tok is None:
                raise c.fail("expected a language name")
            language = tok.text.lower()
            c.i += 1
        elif c.accept("AS"):
            for group in _split_commas(c.until_top_level(*_FUNCTION_OPTIONS)):
                if group[0].token_type in _STRING_TYPES:
                    bodies.append(group[0].text)
        elif c.accept("BEGIN", "ATOMIC"):
            atomic = c.rest()[:-1]  # without the closing END
        elif c.accept("RETURN"):
            atomic = c.rest()
        elif c.accept("SET"):
            # SET param {TO|=} value | FROM CURRENT: values are names or strings, no refs
            c.until_top_level(*_FUNCTION_OPTIONS)
        elif c.accept("SUPPORT"):
            f.function_ref(c.name())
        else:
            c.i += 1
    if language == "sql":
        for body in bodies:
            _parse_body(body, f)
    if atomic:
        body_text = c.src.text[atomic[0].start : atomic[-1].end + 1]
        _parse_body(body_text, f)
    # A recursive SQL function names itself; that is not a dependency.


_FUNCTION_OPTIONS = frozenset(
    {"RETURNS", "LANGUAGE", "AS", "IMMUTABLE", "STABLE", "VOLATILE", "STRICT", "CALLED"}
    | {"SECURITY", "EXTERNAL", "SET", "COST", "ROWS", "PARALLEL", "LEAKPROOF", "NOT"}
    | {"WINDOW", "TRANSFORM", "SUPPORT", "BEGIN", "RETURN", "RESET"}
)


def _h_trigger(c: _Cursor, f: _Facts) -> None:
    """CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name ... ON table ... EXECUTE FUNCTION f(...)."""
    c.accept("CREATE")
    c.accept("OR", "REPLACE")
    c.accept("CONSTRAINT")
    c.accept("TRIGGER")
    name_tok = c.peek()
    if name_tok is None or not _is_name(name_tok):
        raise c.fail("expected the trigger name")
    c.i += 1
    c.until_top_level("ON")
    if not c.accept("ON"):
        raise c.fail("expected ON table")
    table = c.name()
    f.ref(Namespace.RELATION, table)
    f.create(Namespace.TRIGGER, f"{qualify(table)}.{_norm(name_tok)}")
    middle = c.until_top_level("EXECUTE")
    _scan(middle, f)
    if not c.accept("EXECUTE"):
        raise c.fail("expected EXECUTE FUNCTION")
    c.i += 1  # FUNCTION / PROCEDURE
    f.function_ref(c.name())


def _h_schema(c: _Cursor, f: _Facts) -> None:
    """CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION role] | CREATE SCHEMA AUTHORIZATION role."""
    c.accept("CREATE")
    c.accept("SCHEMA")
    c.accept("IF", "NOT", "EXISTS")
    if c.accept("AUTHORIZATION"):
        role = c.name()[-1]
        f.ref(Namespace.ROLE, [role], optional=True)
        f.create(Namespace.SCHEMA, role)
        return
    f.create(Namespace.SCHEMA, c.name()[-1])
    if c.accept("AUTHORIZATION"):
        f.ref(Namespace.ROLE, c.name(), optional=True)
    _scan(c.rest(), f)


def _h_type(c: _Cursor, f: _Facts) -> None:
    """CREATE TYPE name [AS ENUM (...) | AS (attr type, ...) | AS RANGE (SUBTYPE = t) | (...)]."""
    c.accept("CREATE")
    c.accept("TYPE")
    name = c.name()
    f.create(Namespace.TYPE, qualify(name))
    f.schema_of(name)
    if c.accept("AS", "ENUM"):
        c.rest()
    elif c.accept("AS", "RANGE"):
        for group in _split_commas(c.parens()):
            if _word(group[0]) == "SUBTYPE" and len(group) > 2:
                _type_of(group[2:], f)
    elif c.accept("AS"):
        _column_types(c.parens(), f)
    else:
        _scan(c.rest(), f)


def _h_sequence(c: _Cursor, f: _Facts) -> None:
    """CREATE SEQUENCE [IF NOT EXISTS] name [AS type] ... [OWNED BY table.column]."""
    c.accept("CREATE")
    c.skip_words(("TEMP", "TEMPORARY", "UNLOGGED"))
    c.accept("SEQUENCE")
    c.accept("IF", "NOT", "EXISTS")
    f.create(Namespace.RELATION, qualify(c.name()))
    while not c.at_end():
        if c.accept("OWNED", "BY"):
            parts = c.name()
            if len(parts) >= 2:  # OWNED BY NONE has one part
                f.ref(Namespace.RELATION, parts[:-1])
        elif c.accept("AS"):
            _type_of([c.peek()], f)  # type: ignore[list-item]
            c.i += 1
        else:
            c.i += 1


# GRANT/REVOKE ... ON <words> -> name space of the listed objects
_GRANT_TARGETS: dict[str, Namespace | None] = {
    "TABLE": Namespace.RELATION,
    "SEQUENCE": Namespace.RELATION,
    "FUNCTION": Namespace.FUNCTION,
    "PROCEDURE": Namespace.FUNCTION,
    "ROUTINE": Namespace.FUNCTION,
    "SCHEMA": Namespace.SCHEMA,
    "TYPE": Namespace.TYPE,
    "DOMAIN": Namespace.TYPE,
    "DATABASE": None,
    "LANGUAGE": None,
    "TABLESPACE": None,
    "FOREIGN": None,
    "LARGE": None,
    "PARAMETER": None,
}


def _h_grant(c: _Cursor, f: _Facts) -> None:
    """GRANT|REVOKE privileges ON [kind] objects TO|FROM roles, or role membership."""
    c.i += 1  # GRANT / REVOKE
    granted = c.until_top_level("ON", "TO", "FROM")
    if c.accept("ON"):
        if c.accept("ALL"):  # ALL TABLES|SEQUENCES|FUNCTIONS IN SCHEMA s, ...
            c.until_top_level("SCHEMA")
            c.accept("SCHEMA")
            for group in _split_commas(c.until_top_level("TO", "FROM")):
                f.ref(Namespace.SCHEMA, [_norm(group[0])])
        else:
            namespace: Namespace | None = Namespace.RELATION
            if c.word() in _GRANT_TARGETS:
                namespace = _GRANT_TARGETS[c.word()]
                c.i += 1
            for group in _split_commas(c.until_top_level("TO", "FROM")):
                if namespace is not None:
                    f.ref(namespace, _Cursor(c.src, group, c.what).name())
    else:
        # GRANT role TO role: the granted roles come first
        _roles(granted, f)
    if c.accept("TO") or c.accept("FROM"):
        _roles(c.until_top_level("WITH", "GRANTED", "CASCADE", "RESTRICT"), f)
    c.rest()


def _object_kind(c: _Cursor) -> str:
    """The object word(s) at the cursor (``TABLE``, ``MATERIALIZED VIEW``, ...), consumed."""
    words = [c.word()]
    c.i += 1
    if words[0] in _TWO_WORD_OBJECTS:
        words.append(c.word())
        c.i += 1
    return " ".join(words)


def _table_member(c: _Cursor, f: _Facts, kind: str) -> None:
    """``name ON [DOMAIN] table`` of a policy, trigger, constraint or rule: references both."""
    name_tok = c.peek()
    c.i += 1
    c.accept("ON")
    c.accept("DOMAIN")
    table = c.name()
    f.ref(Namespace.RELATION, table)
    if kind in ("POLICY", "TRIGGER") and name_tok is not None:
        ns = Namespace.POLICY if kind == "POLICY" else Namespace.TRIGGER
        f.references.append(ObjectRef(ns, f"{qualify(table)}.{_norm(name_tok)}"))


def _h_comment(c: _Cursor, f: _Facts) -> None:
    """COMMENT ON kind name IS '...': references the commented object."""
    c.accept("COMMENT", "ON")
    kind = _object_kind(c)
    if kind in ("POLICY", "TRIGGER", "CONSTRAINT", "RULE"):
        _table_member(c, f, kind)
    elif kind == "COLUMN":
        parts = c.name()
        f.ref(Namespace.RELATION, parts[:-1])
    elif kind in _OBJECT_NAMESPACES:
        f.ref(_OBJECT_NAMESPACES[kind], c.name())
    _scan(c.until_top_level("IS"), f)


def _h_alter_other(c: _Cursor, f: _Facts) -> None:
    """ALTER <object> [IF EXISTS] name ...: references the altered object."""
    c.accept("ALTER")
    kind = _object_kind(c)
    c.accept("IF", "EXISTS")
    c.accept("ONLY")
    namespace = _OBJECT_NAMESPACES.get(kind)
    if kind in ("POLICY", "TRIGGER"):
        _table_member(c, f, kind)
    elif namespace is not None and not c.at_end() and _is_name(c.peek()):  # type: ignore[arg-type]
        f.ref(namespace, c.name())
    while not c.at_end():
        if c.accept("OWNER", "TO"):
            f.ref(Namespace.ROLE, c.name(), optional=True)
        else:
            _scan(c.until_top_level("OWNER"), f)


def _h_drop(c: _Cursor, f: _Facts) -> None:
    """DROP <object> [IF EXISTS] names: runs after files that create them (if any)."""
    c.accept("DROP")
    namespace = _OBJECT_NAMESPACES.get(_object_kind(c))
    c.accept("CONCURRENTLY")
    c.accept("IF", "EXISTS")
    if namespace is None:
        return
    for group in _split_commas(c.until_top_level("ON", "CASCADE", "RESTRICT")):
        if _is_name(group[0]):
            f.ref(namespace, _Cursor(c.src, group, c.what).name(), optional=True)


def _h_generic(c: _Cursor, f: _Facts) -> None:
    """Any other command: the object right after CREATE <kind>, then a conservative scan."""
    words = f.kind.split()
    if words[0] == "CREATE" and len(words) >= 2:
        namespace = _OBJECT_NAMESPACES.get(" ".join(words[1:]))
        c.until_top_level(words[-1])
        c.accept(words[-1])
        c.accept("IF", "NOT", "EXISTS")
        if namespace is not None and not c.at_end() and _is_name(c.peek()):  # type: ignore[arg-type]
            name = c.name()
            global_ns = namespace in (Namespace.SCHEMA, Namespace.EXTENSION, Namespace.ROLE)
            f.create(namespace, name[-1] if global_ns else qualify(name))
            if not global_ns:
                f.schema_of(name)
    _scan(c.rest(), f)


_TOKEN_HANDLERS: dict[str, Callable[[_Cursor, _Facts], None]] = {
    "CREATE POLICY": _h_policy,
    "ENABLE RLS": _h_rls,
    "DISABLE RLS": _h_rls,
    "FORCE RLS": _h_rls,
    "NO FORCE RLS": _h_rls,
    "CREATE EXTENSION": _h_extension,
    "CREATE ROLE": _h_role,
    "CREATE USER": _h_role,
    "CREATE GROUP": _h_role,
    "CREATE DOMAIN": _h_domain,
    "ALTER DEFAULT PRIVILEGES": _h_default_privileges,
    "DO": _h_do,
    "REFRESH MATERIALIZED VIEW": _h_refresh,
    "CREATE FUNCTION": _h_function,
    "CREATE PROCEDURE": _h_function,
    "CREATE TRIGGER": _h_trigger,
    "CREATE SCHEMA": _h_schema,
    "CREATE TYPE": _h_type,
    "CREATE SEQUENCE": _h_sequence,
    "GRANT": _h_grant,
    "REVOKE": _h_grant,
    "COMMENT": _h_comment,
}

# Kinds sqlglot parses into a tree we walk; other kinds it would return as Command.
_TREE_KINDS = frozenset(
    {"CREATE TABLE", "CREATE VIEW", "CREATE MATERIALIZED VIEW", "CREATE INDEX", "ALTER TABLE"}
    | {"INSERT", "UPDATE", "DELETE", "SELECT", "WITH", "MERGE", "VALUES", "TABLE", "TRUNCATE"}
)
# Valid PostgreSQL commands sqlglot 30 cannot parse at all (it raises): scanned, not parsed.
_OPAQUE_KINDS = frozenset(
    {"SECURITY", "ANALYZE", "VACUUM", "CLUSTER", "REINDEX", "LOCK", "LISTEN", "NOTIFY"}
    | {"UNLISTEN", "DISCARD", "CHECKPOINT", "LOAD", "IMPORT", "REASSIGN", "CALL", "EXPLAIN"}
)
_DML_KINDS: dict[type[exp.Expr], str] = {
    exp.Insert: "INSERT",
    exp.Update: "UPDATE",
    exp.Delete: "DELETE",
    exp.Merge: "MERGE",
}


def _simple_index(src: _Source, tokens: list[Token]) -> _Facts | None:
    """Fast path for ``CREATE [UNIQUE] INDEX [name] ON t [USING m] (col, ...)``.

    Plain column lists reference nothing but the table, so sqlglot is not needed;
    anything else (expressions, WHERE, WITH) returns None and goes to sqlglot.
    """
    c = _Cursor(src, tokens, "CREATE INDEX")
    c.accept("CREATE")
    c.accept("UNIQUE")
    c.accept("INDEX")
    c.accept("CONCURRENTLY")
    c.accept("IF", "NOT", "EXISTS")
    name_tok = None
    if c.word() != "ON":
        name_tok = c.peek()
        if name_tok is None or not _is_name(name_tok):
            return None
        c.i += 1
    if not c.accept("ON"):
        return None
    c.accept("ONLY")
    tok = c.peek()
    if tok is None or not _is_name(tok):
        return None
    table = c.name()
    if c.accept("USING"):
        c.i += 1
    rest = c.toks[c.i :]
    if not rest or rest[0].token_type != T.L_PAREN or rest[-1].token_type != T.R_PAREN:
        return None
    depth = 0
    for t in rest:
        if t.token_type == T.L_PAREN:
            depth += 1
            if depth > 1:
                return None
        elif t.token_type == T.R_PAREN:
            depth -= 1
        elif t.token_type == T.COMMA or (_is_name(t) and t.token_type != T.DOT):
            if depth == 0 and _word(t) != "INCLUDE":
                return None
        else:
            return None
    facts = _Facts("CREATE INDEX")
    facts.ref(Namespace.RELATION, table)
    if name_tok is not None:
        facts.create(Namespace.RELATION, f"{qualify(table).split('.')[0]}.{_norm(name_tok)}")
    return facts


def _tree_facts(src: _Source, tokens: list[Token], kind: str) -> _Facts:
    """Facts of a statement sqlglot parses into a tree."""
    if kind == "CREATE INDEX":
        fast = _simple_index(src, tokens)
        if fast is not None:
            return fast
    tree = _parse_tokens(src, tokens, kind)
    if isinstance(tree, exp.Command):
        # e.g. ALTER TABLE ... OWNER TO: still reference the object the statement names.
        facts = _Facts(kind)
        handler = _h_alter_other if kind.startswith("ALTER ") else _h_generic
        handler(_Cursor(src, tokens, kind), facts)
        return facts
    if kind == "WITH":
        kind = next((k for t, k in _DML_KINDS.items() if isinstance(tree, t)), "SELECT")
    facts = _Facts(kind)
    if isinstance(tree, exp.Create):
        target = tree.this
        if isinstance(target, exp.Index):
            table = target.args.get("table")
            index_name = _ident(target.this)
            if isinstance(table, exp.Table) and index_name:
                # An index lives in the schema of its table.
                facts.create(
                    Namespace.RELATION, f"{qualify(_table_parts(table)).split('.')[0]}.{index_name}"
                )
        else:
            if isinstance(target, exp.Schema):
                target = target.this
            if isinstance(target, exp.Table):
                parts = _table_parts(target)
                facts.create(Namespace.RELATION, qualify(parts))
                facts.schema_of(parts)
    walk_tree(tree, facts)
    return facts


def statement_facts(
    src: _Source, tokens: list[Token]
) -> tuple[str, tuple[ObjectRef, ...], tuple[ObjectRef, ...], tuple[ObjectRef, ...]]:
    """(kind, creates, references, optional references) of one statement."""
    kind = statement_kind(tokens)
    handler = _TOKEN_HANDLERS.get(kind)
    if handler is None and kind.startswith("ALTER ") and kind != "ALTER TABLE":
        handler = _h_alter_other
    if handler is None and kind.startswith("DROP "):
        handler = _h_drop
    if handler is None and kind in _OPAQUE_KINDS:
        handler = _h_generic
    if handler is not None:
        facts = _Facts(kind)
        handler(_Cursor(src, tokens, kind), facts)
    elif kind in _TREE_KINDS:
        facts = _tree_facts(src, tokens, kind)
    else:
        # Unknown kinds: sqlglot still decides whether this is SQL at all.
        tree = _parse_tokens(src, tokens, kind)
        facts = _Facts(kind)
        if isinstance(tree, exp.Command):
            _h_generic(_Cursor(src, tokens, kind), facts)
        else:
            walk_tree(tree, facts)
    return (facts.kind, *facts.finish())


def parse_file(file: SqlFile) -> tuple[Statement, ...]:
    """Split one file into statements and record what each creates and references."""
    src = _Source(file)
    try:
        tokens = tokenize(file.text)
    except ValueError as exc:
        raise src.error(int(exc.args[0]), str(exc.args[1])) from None
    statements: list[Statement] = []
    for index, toks in enumerate(split_tokens(tokens)):
        first, last = toks[0], toks[-1]
        kind, creates, refs, optional = statement_facts(src, toks)
        line, col = src.locator.line_col(first.start)
        statements.append(
            Statement(
                file=file,
                index=index,
                offset=first.start,
                line=line,
                col=col,
                sql=file.text[first.start : last.end + 1],
                kind=kind,
                creates=creates,
                references=refs,
                optional_references=optional,
            )
        )
    return tuple(statements)
