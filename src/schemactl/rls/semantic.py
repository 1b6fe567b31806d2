"""The semantic operators of ``rls mutate``: subtle weakenings of the access rules.

The four structural operators of :mod:`schemactl.rls.mutate` switch a whole policy off;
these keep every policy in place and weaken one term of the rules, the way a careless
edit or a review that skims would:

``widen-roles``
    A role list gains the next weaker role. Role lists are a policy's ``TO`` list, and
    lists of string literals (``ARRAY['owner', 'admin']``, ``IN ('owner', 'admin')``)
    inside a policy's USING / WITH CHECK or inside a function body (the helpers the
    policies call, the trigger functions). Which strings are roles, and their order, is
    read from the SQL dir itself: a *role ladder* is a widest list (one that no other list
    contains), written strongest first, e.g. ``ARRAY['owner', 'admin', 'billing_admin',
    'member']``. A list that is a proper subset of a ladder gains the first role of the
    ladder below its own strongest role that it does not name yet: ``['owner', 'admin']``
    gains ``'billing_admin'``, ``['owner', 'billing_admin']`` gains ``'admin'``. A ``TO``
    list climbs down ``service_role``, ``authenticated``, ``anon``, ``PUBLIC``
    (``TO authenticated`` becomes ``TO authenticated, anon``; a list of other roles gains
    ``PUBLIC``).
``drop-window``
    A validity-window term is replaced by ``true``: a comparison with the current time
    (``valid_from <= now()``, ``now() < valid_until``, ``expires_at > current_timestamp``,
    ``x BETWEEN ... AND now()``) or an ``IS [NOT] NULL`` test of a time column (a name
    ending in ``_at``, ``_from``, ``_until``, ``_on``, ``_date`` or ``_time``, e.g.
    ``revoked_at IS NULL``), in a policy or a function body. A negated term (``NOT ...``)
    is left alone: true would strengthen it.
``widen-grant``
    A column-level ``GRANT priv (cols) ON table TO roles`` gains one column of the table
    those roles do not get otherwise (one mutant per such column); a ``REVOKE`` whose
    privileges all have column lists is not run. A column list that a table-level grant
    of the same privilege to the same role (or PUBLIC) makes moot gives no mutant.
``loosen-guard``
    A trigger function (``RETURNS trigger``, PL/pgSQL) that raises an error to protect a
    rule is a guard. Each ``IF`` / ``ELSIF`` branch holding a ``RAISE`` (level EXCEPTION,
    the default) gets the condition ``false``; a ``RAISE`` outside such a branch is wrapped
    in ``IF false THEN ... END IF;``. Each ``CREATE TRIGGER`` running a guard is removed.

Every mutant is an edit of the file text at exact offsets; its line is the line of the
edited term.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlglot.tokenizer_core import Token, TokenType

from schemactl.model import Namespace, Statement
from schemactl.rls.sqltext import (
    CLOSERS,
    OPENERS,
    Edit,
    close_paren,
    dollar_body,
    excerpt,
    line_of,
    name_of,
    policy_clauses,
    tokenize,
    word,
)

WIDEN_ROLES = "widen-roles"
DROP_WINDOW = "drop-window"
WIDEN_GRANT = "widen-grant"
LOOSEN_GUARD = "loosen-guard"
SEMANTIC_KINDS: tuple[str, ...] = (WIDEN_ROLES, DROP_WINDOW, WIDEN_GRANT, LOOSEN_GUARD)

# the database roles a policy's TO list may name, strongest first (Supabase's, then PUBLIC)
TO_LADDER: tuple[str, ...] = ("service_role", "authenticated", "anon", "public")

_FUNCTION_KINDS = frozenset({"CREATE FUNCTION", "CREATE PROCEDURE"})
_TIME_KEYWORDS = frozenset(
    {
        TokenType.CURRENT_TIMESTAMP,
        TokenType.CURRENT_DATE,
        TokenType.CURRENT_TIME,
        TokenType.LOCALTIMESTAMP,
        TokenType.LOCALTIME,
    }
)
_TIME_FUNCTIONS = frozenset(
    {"NOW", "CLOCK_TIMESTAMP", "STATEMENT_TIMESTAMP", "TRANSACTION_TIMESTAMP"}
)
_NAME_TYPES = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT})
_TIME_COLUMN = re.compile(r"(_at|_from|_until|_on|_date|_time)$")
_COMPARISONS = frozenset(
    {
        TokenType.LT,
        TokenType.LTE,
        TokenType.GT,
        TokenType.GTE,
        TokenType.EQ,
        TokenType.NEQ,
        TokenType.BETWEEN,
    }
)
# words that end an operand of a boolean term (SQL clauses, PL/pgSQL statements)
_TERM_BOUNDARIES = frozenset(
    {
        "AND",
        "OR",
        "WHERE",
        "ON",
        "WHEN",
        "THEN",
        "ELSE",
        "END",
        "HAVING",
        "SELECT",
        "FROM",
        "JOIN",
        "LIMIT",
        "ORDER",
        "GROUP",
        "UNION",
        "EXCEPT",
        "INTERSECT",
        "RETURN",
        "IF",
        "ELSIF",
        "ELSEIF",
        "WHILE",
        "LOOP",
        "USING",
        "CHECK",
        "BEGIN",
    }
)
_BOUNDARY_TYPES = frozenset({TokenType.COMMA, TokenType.SEMICOLON, TokenType.COLON_EQ})
_QUIET_RAISE_LEVELS = frozenset({"DEBUG", "LOG", "INFO", "NOTICE", "WARNING"})
_STATEMENT_STARTERS = frozenset({"THEN", "ELSE", "BEGIN", "LOOP", "DECLARE"})


@dataclass(frozen=True)
class Weakening:
    """A semantic mutant before it gets an id: what, where, and the edits."""

    kind: str  # one of SEMANTIC_KINDS
    target: str  # policy, function, trigger or "schema.table.column"
    statement: Statement  # the statement edited
    line: int  # 1-based line of the (first) edit
    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class _Region:
    """A stretch of one statement that holds access rules: a policy clause or a function body."""

    statement: Statement
    base: int  # offset of ``text`` in the file
    text: str
    tokens: list[Token]
    owner: str  # "policy x.y.z" / "function x.y"
    target: str

    def edit(self, start: int, end: int, replacement: str) -> Edit:
        """An edit of ``text[start:end]``, in file offsets."""
        return Edit(self.statement.file.relpath, self.base + start, self.base + end, replacement)

    def line(self, offset: int) -> int:
        """File line of ``text[offset]``."""
        return line_of(self.statement.file.text, self.base + offset)


def _created(st: Statement, namespace: Namespace) -> str | None:
    for ref in st.creates:
        if ref.namespace == namespace:
            return ref.name
    return None


def _policy_regions(st: Statement) -> Iterator[_Region]:
    name = _created(st, Namespace.POLICY) or "?"
    for start, end in policy_clauses(st.sql).values():
        text = st.sql[start:end]
        yield _Region(st, st.offset + start, text, tokenize(text), f"policy {name}", name)


def _function_region(st: Statement) -> _Region | None:
    body = dollar_body(st.sql)
    if body is None:
        return None
    offset, text = body
    name = _created(st, Namespace.FUNCTION) or "?"
    try:
        tokens = tokenize(text)
    except ValueError:
        return None  # a body in another language than SQL
    return _Region(st, st.offset + offset, text, tokens, f"function {name}", name)


def _regions(statements: Sequence[Statement]) -> dict[int, list[_Region]]:
    """Policy clauses and function bodies, by statement index (into ``statements``)."""
    found: dict[int, list[_Region]] = {}
    for i, st in enumerate(statements):
        try:
            if st.kind == "CREATE POLICY":
                found[i] = list(_policy_regions(st))
            elif st.kind in _FUNCTION_KINDS:
                region = _function_region(st)
                if region is not None:
                    found[i] = [region]
        except ValueError:
            continue  # text the tokenizer cannot follow: no semantic mutant of it
    return found


# ---------------------------------------------------------------------------- widen-roles


@dataclass(frozen=True)
class _StringList:
    values: tuple[str, ...]
    last: Token  # the last literal: the new role goes after it


def _string_lists(tokens: Sequence[Token]) -> Iterator[_StringList]:
    """``ARRAY['a', 'b']`` and ``IN ('a', 'b')`` lists of plain string literals."""
    for i, tok in enumerate(tokens[:-1]):
        nxt = tokens[i + 1].token_type
        if tok.token_type == TokenType.ARRAY and nxt == TokenType.L_BRACKET:
            closer = TokenType.R_BRACKET
        elif tok.token_type == TokenType.IN and nxt == TokenType.L_PAREN:
            closer = TokenType.R_PAREN
        else:
            continue
        values: list[str] = []
        j = i + 2
        while j + 1 < len(tokens) and tokens[j].token_type == TokenType.STRING:
            values.append(tokens[j].text)
            if tokens[j + 1].token_type == closer:
                yield _StringList(tuple(values), tokens[j])
                break
            if tokens[j + 1].token_type != TokenType.COMMA:
                break
            j += 2


def role_ladders(lists: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """The widest lists (no other list contains them, at least two roles), first spelling wins."""
    sets = [frozenset(values) for values in lists]
    ladders: list[tuple[str, ...]] = []
    for values, members in zip(lists, sets, strict=True):
        if len(members) < 2 or len(members) != len(values):
            continue
        if any(members < other for other in sets):
            continue
        if any(frozenset(ladder) == members for ladder in ladders):
            continue
        ladders.append(tuple(values))
    return ladders


def next_weaker(values: Sequence[str], ladders: Sequence[Sequence[str]]) -> str | None:
    """The role a list gains: the first of its ladder below its strongest role, not in it."""
    members = set(values)
    for ladder in ladders:
        if members < set(ladder):
            top = min(ladder.index(v) for v in members)
            return next((r for r in ladder[top + 1 :] if r not in members), None)
    return None


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _to_list(st: Statement) -> tuple[list[str], Token] | None:
    """The roles of a policy's TO clause and the token of the last one."""
    tokens = tokenize(st.sql)
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.token_type in OPENERS:
            depth += 1
        elif tok.token_type in CLOSERS:
            depth -= 1
        elif depth == 0 and word(tok) in ("USING", "WITH"):
            return None
        elif depth == 0 and word(tok) == "TO":
            roles: list[str] = []
            j = i + 1
            while j < len(tokens):
                roles.append(name_of(tokens[j]))
                if j + 1 < len(tokens) and tokens[j + 1].token_type == TokenType.COMMA:
                    j += 2
                    continue
                return roles, tokens[j]
            return None
    return None


def _widen_to(st: Statement) -> Weakening | None:
    found = _to_list(st)
    if found is None:
        return None
    roles, last = found
    if "public" in roles:
        return None
    if all(r in TO_LADDER for r in roles):
        top = min(TO_LADDER.index(r) for r in roles)
        added = next((r for r in TO_LADDER[top + 1 :] if r not in roles), None)
    else:
        added = "public"
    if added is None:
        return None
    spelled = "PUBLIC" if added == "public" else added
    policy = _created(st, Namespace.POLICY) or "?"
    offset = st.offset + last.end + 1
    return Weakening(
        WIDEN_ROLES,
        policy,
        st,
        line_of(st.file.text, offset),
        f"policy {policy}: TO {', '.join(roles)} gains {spelled}",
        (Edit(st.file.relpath, offset, offset, f", {spelled}"),),
    )


def _widen_lists(region: _Region, ladders: Sequence[Sequence[str]]) -> Iterator[Weakening]:
    for found in _string_lists(region.tokens):
        added = next_weaker(found.values, ladders)
        if added is None:
            continue
        at = found.last.end + 1
        listed = ", ".join(_quote_literal(v) for v in found.values)
        yield Weakening(
            WIDEN_ROLES,
            region.target,
            region.statement,
            region.line(at),
            f"{region.owner}: [{listed}] gains {_quote_literal(added)}",
            (region.edit(at, at, f", {_quote_literal(added)}"),),
        )


# ---------------------------------------------------------------------------- drop-window


def _is_boundary(tokens: Sequence[Token], i: int) -> bool:
    tok = tokens[i]
    if tok.token_type in _BOUNDARY_TYPES:
        return True
    if word(tok) == "NOT":
        # prefix NOT (negation) ends an operand; NOT in IS NOT / NOT BETWEEN does not
        return i == 0 or tokens[i - 1].token_type in OPENERS or _is_boundary(tokens, i - 1)
    return word(tok) in _TERM_BOUNDARIES


def _term_start(tokens: Sequence[Token], first: int) -> int:
    """Index of the first token of the boolean term holding ``tokens[first]``."""
    i, depth = first - 1, 0
    while i >= 0:
        tok = tokens[i]
        if tok.token_type in CLOSERS:
            depth += 1
        elif tok.token_type in OPENERS:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and _is_boundary(tokens, i):
            if word(tok) == "AND" and _between_before(tokens, i):
                i -= 1
                continue
            break
        i -= 1
    return i + 1


def _between_before(tokens: Sequence[Token], and_at: int) -> bool:
    """Whether the AND at ``and_at`` is the one of a ``BETWEEN x AND y``."""
    i, depth = and_at - 1, 0
    while i >= 0:
        tok = tokens[i]
        if tok.token_type in CLOSERS:
            depth += 1
        elif tok.token_type in OPENERS:
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0:
            if tok.token_type == TokenType.BETWEEN:
                return True
            if _is_boundary(tokens, i):
                return False
        i -= 1
    return False


def _term_end(tokens: Sequence[Token], start: int, last: int) -> int:
    """Index of the last token of the term that starts at ``start`` and holds ``last``."""
    depth = 0
    between = False  # a BETWEEN whose AND is still to come
    for tok in _top_level(tokens, start, last):
        if tok.token_type == TokenType.BETWEEN:
            between = True
        elif word(tok) == "AND":
            between = False
    j = last + 1
    while j < len(tokens):
        tok = tokens[j]
        if tok.token_type in OPENERS:
            depth += 1
        elif tok.token_type in CLOSERS:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            if tok.token_type == TokenType.BETWEEN:
                between = True
            elif word(tok) == "AND" and between:
                between = False
            elif _is_boundary(tokens, j):
                break
        j += 1
    return j - 1


def _top_level(tokens: Sequence[Token], start: int, end: int) -> Iterator[Token]:
    depth = 0
    for tok in tokens[start : end + 1]:
        if tok.token_type in OPENERS:
            depth += 1
        elif tok.token_type in CLOSERS:
            depth -= 1
        elif depth == 0:
            yield tok


def _negated(tokens: Sequence[Token], start: int) -> bool:
    return start > 0 and word(tokens[start - 1]) == "NOT"


def _time_tokens(tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """(first, last) token indexes of now(), current_timestamp and the like."""
    for i, tok in enumerate(tokens):
        if tok.token_type in _TIME_KEYWORDS:
            yield i, i
        elif (
            word(tok) in _TIME_FUNCTIONS
            and i + 2 < len(tokens)
            and tokens[i + 1].token_type == TokenType.L_PAREN
            and tokens[i + 2].token_type == TokenType.R_PAREN
        ):
            yield i, i + 2


def _null_tests(tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """(column, NULL) token indexes of ``<time column> IS [NOT] NULL``."""
    for i, tok in enumerate(tokens):
        if tok.token_type != TokenType.IS or i == 0:
            continue
        j = i + 1
        if j < len(tokens) and word(tokens[j]) == "NOT":
            j += 1
        if j >= len(tokens) or tokens[j].token_type != TokenType.NULL:
            continue
        column = tokens[i - 1]
        if column.token_type in _NAME_TYPES and _TIME_COLUMN.search(name_of(column)):
            yield i - 1, j


def window_terms(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token ranges of the validity-window terms, in text order, without duplicates."""
    spans: set[tuple[int, int]] = set()
    for first, last in _time_tokens(tokens):
        start = _term_start(tokens, first)
        end = _term_end(tokens, start, last)
        top = list(_top_level(tokens, start, end))
        if not any(t.token_type in _COMPARISONS or t.token_type == TokenType.IS for t in top):
            continue
        if not _negated(tokens, start):
            spans.add((start, end))
    for column, null in _null_tests(tokens):
        start = _term_start(tokens, column)
        # only a (qualified) column name left of IS: `d.revoked_at IS NULL`
        plain = all(t.token_type in _NAME_TYPES for t in tokens[start:column])
        if plain and not _negated(tokens, start):
            spans.add((start, _term_end(tokens, start, null)))
    # a term inside another one (two clocks in one comparison) is dropped with it
    return sorted(
        s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)
    )


def _drop_windows(region: _Region) -> Iterator[Weakening]:
    for start, end in window_terms(region.tokens):
        begin, stop = region.tokens[start].start, region.tokens[end].end + 1
        yield Weakening(
            DROP_WINDOW,
            region.target,
            region.statement,
            region.line(begin),
            f"{region.owner}: `{excerpt(region.text[begin:stop])}` (true)",
            (region.edit(begin, stop, "true"),),
        )


# ---------------------------------------------------------------------------- widen-grant


@dataclass(frozen=True)
class _Privilege:
    name: str  # SELECT, UPDATE, ... (ALL for ALL [PRIVILEGES])
    columns: tuple[str, ...] | None  # None: the whole table
    last: Token | None  # last column of the list


@dataclass(frozen=True)
class _Grant:
    statement: Statement
    grant: bool  # GRANT (True) or REVOKE
    privileges: tuple[_Privilege, ...]
    table: str
    roles: tuple[str, ...]


def _parse_grant(st: Statement) -> _Grant | None:
    """A GRANT / REVOKE on one table, or None for any other form (functions, schemas ...)."""
    tokens = tokenize(st.sql)
    if not tokens or word(tokens[0]) not in ("GRANT", "REVOKE"):
        return None
    grant = word(tokens[0]) == "GRANT"
    i = 1
    if not grant and word(tokens[i]) == "GRANT" and word(tokens[i + 1]) == "OPTION":
        return None  # REVOKE GRANT OPTION FOR keeps the privilege
    privileges: list[_Privilege] = []
    words: list[str] = []
    while i < len(tokens) and word(tokens[i]) != "ON":
        tok = tokens[i]
        if tok.token_type == TokenType.L_PAREN:
            close = close_paren(tokens, i)
            columns = tuple(
                name_of(t) for t in tokens[i + 1 : close] if t.token_type != TokenType.COMMA
            )
            privileges.append(_Privilege(" ".join(words), columns, tokens[close - 1]))
            words = []
            i = close + 1
            if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
                i += 1
            continue
        if tok.token_type == TokenType.COMMA:
            privileges.append(_Privilege(" ".join(words), None, None))
            words = []
        else:
            words.append(word(tok))
        i += 1
    if words:
        privileges.append(_Privilege(" ".join(words), None, None))
    i += 1
    if i < len(tokens) and word(tokens[i]) == "TABLE":
        i += 1
    if i >= len(tokens) or word(tokens[i]) in (
        "ALL",
        "FUNCTION",
        "FUNCTIONS",
        "SCHEMA",
        "SEQUENCE",
    ):
        return None
    keyword = "TO" if grant else "FROM"
    while i < len(tokens) and word(tokens[i]) != keyword:
        i += 1
    roles: list[str] = []
    for tok in tokens[i + 1 :]:
        if word(tok) in ("WITH", "GRANTED", "CASCADE", "RESTRICT"):
            break
        if tok.token_type != TokenType.COMMA and word(tok) != "GROUP":
            roles.append(name_of(tok))
    table = next((r.name for r in st.references if r.namespace == Namespace.RELATION), None)
    if table is None or not privileges or not roles:
        return None
    normalised = tuple(
        _Privilege("ALL" if p.name.startswith("ALL") else p.name, p.columns, p.last)
        for p in privileges
    )
    return _Grant(st, grant, normalised, table, tuple(roles))


def _grant_or_none(st: Statement) -> _Grant | None:
    try:
        return _parse_grant(st)
    except ValueError:
        return None


def _quote_name(name: str) -> str:
    return name if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) else '"' + name.replace('"', '""') + '"'


def _widen_grants(
    statements: Sequence[Statement], removal: Callable[[Statement], Edit]
) -> dict[int, list[Weakening]]:
    columns: dict[str, list[str]] = {}
    for st in statements:
        for ref in st.creates:
            if ref.namespace == Namespace.COLUMN:
                table, _, column = ref.name.rpartition(".")
                columns.setdefault(table, []).append(column)
    grants = {i: g for i, st in enumerate(statements) if (g := _grant_or_none(st)) is not None}
    whole: set[tuple[str, str, str]] = set()  # (table, privilege, role) granted table-wide
    granted: dict[tuple[str, str, str], set[str]] = {}  # (table, privilege, role) -> columns
    for g in grants.values():
        if not g.grant:
            continue
        for p in g.privileges:
            for role in g.roles:
                if p.columns is None:
                    whole.add((g.table, p.name, role))
                else:
                    granted.setdefault((g.table, p.name, role), set()).update(p.columns)
    found: dict[int, list[Weakening]] = {}
    for i, g in grants.items():
        st = g.statement
        if not g.grant:
            if all(p.columns is not None for p in g.privileges):
                what = ", ".join(f"{p.name} ({', '.join(p.columns or ())})" for p in g.privileges)
                found.setdefault(i, []).append(
                    Weakening(
                        WIDEN_GRANT,
                        g.table,
                        st,
                        st.line,
                        f"REVOKE {what} ON {g.table} FROM {', '.join(g.roles)} not run",
                        (removal(st),),
                    )
                )
            continue
        for p in g.privileges:
            if p.columns is None or p.last is None:
                continue
            roles = (*g.roles, "public")
            if any((g.table, name, r) in whole for r in roles for name in (p.name, "ALL")):
                continue
            given = set(p.columns).union(*(granted.get((g.table, p.name, r), set()) for r in roles))
            at = st.offset + p.last.end + 1
            for column in columns.get(g.table, []):
                if column in given:
                    continue
                found.setdefault(i, []).append(
                    Weakening(
                        WIDEN_GRANT,
                        f"{g.table}.{column}",
                        st,
                        line_of(st.file.text, at),
                        f"GRANT {p.name} (...) ON {g.table} TO {', '.join(g.roles)} gains {column}",
                        (Edit(st.file.relpath, at, at, f", {_quote_name(column)}"),),
                    )
                )
    return found


# ---------------------------------------------------------------------------- loosen-guard


def _is_trigger_function(st: Statement) -> bool:
    tokens = tokenize(st.sql)
    returns_trigger = any(
        word(a) == "RETURNS" and word(b) == "TRIGGER" for a, b in itertools.pairwise(tokens)
    )
    plpgsql = any(
        word(a) == "LANGUAGE" and b.text.lower() in ("plpgsql", "'plpgsql'")
        for a, b in itertools.pairwise(tokens)
    )
    return returns_trigger and plpgsql


def _statement_start(tokens: Sequence[Token], i: int) -> bool:
    if i == 0:
        return True
    prev = tokens[i - 1]
    return prev.token_type == TokenType.SEMICOLON or word(prev) in _STATEMENT_STARTERS


def _semicolon_after(tokens: Sequence[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind in OPENERS:
            depth += 1
        elif kind in CLOSERS:
            depth -= 1
        elif kind == TokenType.SEMICOLON and depth == 0:
            return j
    raise ValueError("RAISE without a semicolon")


@dataclass
class _IfFrame:
    condition: tuple[int, int] | None  # token range of the current branch's condition
    kind: str = "if"  # "if" or "case" (a CASE statement, ended by END CASE)


def guarded_raises(tokens: Sequence[Token]) -> list[tuple[str, int, int]]:
    """How to make each erroring RAISE of a PL/pgSQL body unreachable.

    ``("condition", first, last)``: the token range of the IF / ELSIF condition of the
    branch holding the RAISE (set it to false); ``("raise", first, last)``: the RAISE
    statement itself, up to its semicolon (wrap it in ``IF false THEN ... END IF;``).
    """
    frames: list[_IfFrame] = []
    case_expressions = 0
    found: list[tuple[str, int, int]] = []
    i = 0
    while i < len(tokens):
        w = word(tokens[i])
        nxt = word(tokens[i + 1]) if i + 1 < len(tokens) else ""
        if w == "CASE":
            if _statement_start(tokens, i):
                frames.append(_IfFrame(None, "case"))
            else:
                case_expressions += 1
        elif w == "END" and nxt in ("IF", "CASE"):
            if frames:
                frames.pop()
            i += 2
            continue
        elif w == "END" and nxt != "LOOP" and case_expressions:
            case_expressions -= 1
        elif w in ("IF", "ELSIF", "ELSEIF") and _statement_start(tokens, i):
            # as PL/pgSQL reads it: the condition ends at the first THEN outside parentheses
            # (a CASE expression in a condition must be parenthesized)
            j, depth = i + 1, 0
            while j < len(tokens):
                kind = tokens[j].token_type
                if kind in OPENERS:
                    depth += 1
                elif kind in CLOSERS:
                    depth -= 1
                elif depth == 0 and word(tokens[j]) == "THEN":
                    break
                j += 1
            if w == "IF":
                frames.append(_IfFrame((i + 1, j - 1)))
            elif frames:
                frames[-1].condition = (i + 1, j - 1)
            i = j + 1
            continue
        elif w == "ELSE" and not case_expressions and frames and frames[-1].kind == "if":
            frames[-1].condition = None
        elif w == "RAISE" and _statement_start(tokens, i):
            level = tokens[i + 1] if i + 1 < len(tokens) else None
            # RAISE; re-raises in a handler, and the quiet levels only report
            if (
                level is not None
                and level.token_type != TokenType.SEMICOLON
                and word(level) not in _QUIET_RAISE_LEVELS
            ):
                frame = frames[-1] if frames else None
                if frame is not None and frame.kind == "if" and frame.condition is not None:
                    entry = ("condition", *frame.condition)
                else:
                    entry = ("raise", i, _semicolon_after(tokens, i))
                if entry not in found:
                    found.append(entry)
        i += 1
    return found


def _loosen_guard(region: _Region) -> Iterator[Weakening]:
    for how, first, last in guarded_raises(region.tokens):
        begin, stop = region.tokens[first].start, region.tokens[last].end + 1
        if how == "condition":
            yield Weakening(
                LOOSEN_GUARD,
                region.target,
                region.statement,
                region.line(begin),
                f"{region.owner}: IF {excerpt(region.text[begin:stop], 40)} (false): "
                "its RAISE is unreachable",
                (region.edit(begin, stop, "false"),),
            )
        else:
            yield Weakening(
                LOOSEN_GUARD,
                region.target,
                region.statement,
                region.line(begin),
                f"{region.owner}: `{excerpt(region.text[begin:stop], 40)}` "
                "wrapped in IF false THEN ... END IF",
                (
                    region.edit(begin, begin, "IF false THEN "),
                    region.edit(stop, stop, " END IF;"),
                ),
            )


# ---------------------------------------------------------------------------- all of them


def semantic_weakenings(
    statements: Sequence[Statement], removal: Callable[[Statement], Edit]
) -> dict[int, list[Weakening]]:
    """Every semantic mutant of the statements (in file order), by statement index.

    ``removal(st)`` is the edit that deletes a statement with its semicolon.
    """
    regions = _regions(statements)
    lists = [
        found.values
        for rs in regions.values()
        for region in rs
        for found in _string_lists(region.tokens)
    ]
    ladders = role_ladders(lists)
    guards = {
        region.target
        for i, rs in regions.items()
        for region in rs
        if statements[i].kind in _FUNCTION_KINDS and _is_guard(statements[i], region)
    }
    found: dict[int, list[Weakening]] = {}
    grants = _widen_grants(statements, removal)
    for i, st in enumerate(statements):
        try:
            out = _weakenings_of(st, regions.get(i, []), ladders, guards, removal)
        except ValueError:
            continue  # text the tokenizer cannot follow: no semantic mutant of it
        out.extend(grants.get(i, []))
        if out:
            found[i] = out
    return found


def _is_guard(st: Statement, region: _Region) -> bool:
    """A PL/pgSQL trigger function with a RAISE that stops the statement."""
    try:
        return _is_trigger_function(st) and bool(guarded_raises(region.tokens))
    except ValueError:
        return False


def _weakenings_of(
    st: Statement,
    regions: Sequence[_Region],
    ladders: Sequence[Sequence[str]],
    guards: set[str],
    removal: Callable[[Statement], Edit],
) -> list[Weakening]:
    """The widen-roles, drop-window and loosen-guard mutants of one statement."""
    out: list[Weakening] = []
    if st.kind == "CREATE POLICY":
        widened = _widen_to(st)
        if widened is not None:
            out.append(widened)
    for region in regions:
        out.extend(_widen_lists(region, ladders))
    for region in regions:
        out.extend(_drop_windows(region))
    if st.kind in _FUNCTION_KINDS and _created(st, Namespace.FUNCTION) in guards:
        for region in regions:
            out.extend(_loosen_guard(region))
    if st.kind == "CREATE TRIGGER":
        called = {r.name for r in st.references if r.namespace == Namespace.FUNCTION}
        if called & guards:
            trigger = _created(st, Namespace.TRIGGER) or "?"
            out.append(
                Weakening(
                    LOOSEN_GUARD,
                    trigger,
                    st,
                    st.line,
                    f"trigger {trigger} (guard {', '.join(sorted(called & guards))}) not created",
                    (removal(st),),
                )
            )
    return out
