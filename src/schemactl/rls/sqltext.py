"""SQL text as tokens with character offsets: what the mutants of ``rls mutate`` edit.

Mutants are edits of the original file text, so they need exact offsets of the words they
change. sqlglot's PostgreSQL tokenizer gives them (comments, strings and quoted names
are single tokens, so a parenthesis or keyword inside them never counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlglot.errors
from sqlglot.dialects.postgres import Postgres
from sqlglot.tokenizer_core import Token, TokenType

_DIALECT = Postgres()

OPENERS = frozenset({TokenType.L_PAREN, TokenType.L_BRACKET})
CLOSERS = frozenset({TokenType.R_PAREN, TokenType.R_BRACKET})
# tokens whose text is a value or a name, never a keyword
_LITERALS = frozenset(
    {
        TokenType.STRING,
        TokenType.IDENTIFIER,
        TokenType.HEREDOC_STRING,
        TokenType.BYTE_STRING,
        TokenType.NATIONAL_STRING,
        TokenType.BIT_STRING,
        TokenType.HEX_STRING,
        TokenType.RAW_STRING,
        TokenType.NUMBER,
    }
)


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of file ``path`` (relative to the SQL dir) by ``replacement``."""

    path: str
    start: int
    end: int
    replacement: str


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


def word(token: Token) -> str:
    """The upper-case text of a keyword or plain name; ``""`` for literals and quoted names."""
    return "" if token.token_type in _LITERALS else token.text.upper()


def name_of(token: Token) -> str:
    """A name as PostgreSQL folds it: quoted names as written, others lower-cased."""
    return token.text if token.token_type == TokenType.IDENTIFIER else token.text.lower()


def close_paren(tokens: Sequence[Token], open_at: int) -> int:
    """Index of the token closing the parenthesis (or bracket) opened at ``tokens[open_at]``."""
    depth = 0
    for i in range(open_at, len(tokens)):
        kind = tokens[i].token_type
        if kind in OPENERS:
            depth += 1
        elif kind in CLOSERS:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


def policy_clauses(sql: str) -> dict[str, tuple[int, int]]:
    """Character ranges (inside ``sql``) of the USING and WITH CHECK expressions of a policy.

    Keys ``"using"`` / ``"check"``; each range covers what is between the clause's
    parentheses, the parentheses excluded. Tokens, not text, are matched, so parentheses
    in strings, quoted names and comments do not count.
    """
    tokens = tokenize(sql)
    found: dict[str, tuple[int, int]] = {}
    depth = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0:
            clause: str | None = None
            open_at = i + 1
            if tok.token_type == TokenType.USING:
                clause = "using"
            elif (
                tok.token_type == TokenType.WITH
                and i + 1 < len(tokens)
                and tokens[i + 1].text.upper() == "CHECK"
            ):
                clause, open_at = "check", i + 2
            if (
                clause is not None
                and open_at < len(tokens)
                and tokens[open_at].token_type == TokenType.L_PAREN
            ):
                close_at = close_paren(tokens, open_at)
                # token ends are inclusive offsets
                found[clause] = (tokens[open_at].end + 1, tokens[close_at].start)
                i = close_at + 1
                continue
        i += 1
    return found


def dollar_body(sql: str) -> tuple[int, str] | None:
    """Offset (in ``sql``) and text of a function's dollar-quoted body (``AS $$ ... $$``).

    None when the statement has no dollar-quoted string after ``AS`` (a body in single
    quotes would need its quotes doubled in every edit: such bodies are not mutated).
    """
    tokens = tokenize(sql)
    for i, tok in enumerate(tokens):
        if tok.token_type != TokenType.HEREDOC_STRING or i == 0 or word(tokens[i - 1]) != "AS":
            continue
        raw = sql[tok.start : tok.end + 1]
        delimiter = raw[: raw.index("$", 1) + 1]
        if raw[len(delimiter) : len(delimiter) + len(tok.text)] != tok.text:
            return None
        return tok.start + len(delimiter), tok.text
    return None


def line_of(text: str, offset: int) -> int:
    """1-based line of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` on one line (runs of whitespace collapsed), cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
