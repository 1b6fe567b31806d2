"""Lay a catalog model out as a tree of SQL files (pure: never connects).

:func:`layout` turns a :class:`~schemactl.core.catalog.CatalogModel` into ``{path: text}``
in the layout of this repository's ``sql/``. The SQL is the diff engine's: the changes
that build the model from a fresh database (:data:`FRESH_DATABASE`), each put in the file
of the object it belongs to, in the engine's dependency order inside a file, then
re-flowed over lines where that reads better (whitespace outside literals only). Files
need not be in dependency order: ``schemactl order`` orders statements across files.

Where each object goes:

* ``tables/<t>.sql``: the table, its constraints, indexes, identity options, sequences it
  owns, comments on it and its columns, column grants;
* ``policies/<t>.sql``: ENABLE / FORCE ROW LEVEL SECURITY, policies, table grants, triggers
  (and their comments);
* ``partitions/<root>.sql``: every partition of a partitioned table, with what hangs on it;
* ``views/<v>.sql`` (views and materialized views, their indexes, triggers, grants),
  ``functions/<f>.sql`` (overloads share a file), ``types/<t>.sql`` (enums, domains,
  composite types), ``sequences/<s>.sql`` (sequences no column owns);
* ``schemas/<s>.sql`` (a schema, its grants and comment), ``extensions/<e>.sql``,
  ``schemas/default_privileges.sql``.

Names outside ``public`` are written ``<schema>.<name>.sql``. Rules and statistics objects,
which the diff does not handle, go with their table as the server renders them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from schemactl.core.catalog import CatalogModel, Comment, Grant, Schema
from schemactl.core.diff import Change, diff_catalogs, quote_ident

__all__ = ["FRESH_DATABASE", "Layout", "format_statement", "layout"]

# What a database fresh from template0 / template1 holds in the managed schemas (PostgreSQL
# 15 and later): schema public, USAGE on it to PUBLIC, its comment.
FRESH_DATABASE = CatalogModel(
    schemas={"public": Schema("public")},
    grants=frozenset({Grant("SCHEMA", "public", None, "PUBLIC", "USAGE", False, "schema public")}),
    comments={"SCHEMA public": Comment("SCHEMA public", "standard public schema", "schema public")},
)

DEFAULT_PRIVILEGES_FILE = "schemas/default_privileges.sql"
# a change whose object pull cannot place (none known; the tests assert it stays unused)
OTHER_FILE = "other.sql"


@dataclass(frozen=True)
class Layout:
    """The files of a pulled tree and what could not be written."""

    files: dict[str, str]  # POSIX path relative to the SQL dir -> text
    unsupported: tuple[str, ...]  # objects of kinds pull cannot write (labels)


def _qn(*parts: str) -> str:
    return ".".join(quote_ident(p) for p in parts)


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _stem(schema: str, name: str) -> str:
    """A file name for ``schema.name``: ``name`` in public, else ``schema.name``."""
    stem = name if schema == "public" else f"{schema}.{name}"
    stem = _UNSAFE.sub("_", stem)
    return "_" + stem if stem.startswith(".") else stem


class _Homes:
    """Which file each object of the model (by the diff's owner keys) belongs in."""

    def __init__(self, model: CatalogModel) -> None:
        self.home: dict[str, str] = {}  # owner key -> file of the object itself
        self.grants_home: dict[str, str] = {}  # owner key -> file of its grants
        tables = model.tables

        def root(key: tuple[str, str]) -> tuple[str, str]:
            seen = set()
            while tables[key].parent is not None and key not in seen:
                seen.add(key)
                parent = tables[key].parent
                assert parent is not None
                if parent not in tables:
                    break
                key = parent
            return key

        rel_file: dict[tuple[str, str], str] = {}  # tables and views: their own file
        policy_file: dict[tuple[str, str], str] = {}  # RLS, policies, triggers, grants
        for key, table in tables.items():
            if table.parent is not None:
                path = f"partitions/{_stem(*root(key))}.sql"
                rel_file[key] = policy_file[key] = path
            else:
                rel_file[key] = f"tables/{_stem(*key)}.sql"
                policy_file[key] = f"policies/{_stem(*key)}.sql"
        for key in model.views:
            rel_file[key] = policy_file[key] = f"views/{_stem(*key)}.sql"
        for key, path in rel_file.items():
            qname = _qn(*key)
            self.home[f"rel {qname}"] = path
            self.grants_home[f"rel {qname}"] = policy_file[key]
            self.home[f"rls {qname}"] = policy_file[key]
        for key, table in tables.items():
            for column in table.columns:
                self.home[f"col {_qn(*key, column.name)}"] = rel_file[key]
        for vkey, view in model.views.items():
            for name, _type in view.columns:
                self.home[f"col {_qn(*vkey, name)}"] = rel_file[vkey]
        for schema, table_name, name in model.constraints:
            path = rel_file.get((schema, table_name), OTHER_FILE)
            self.home[f"con {_qn(schema, table_name, name)}"] = path
        for schema, table_name, name in model.triggers:
            path = policy_file.get((schema, table_name), OTHER_FILE)
            self.home[f"trg {_qn(schema, table_name, name)}"] = path
        for schema, table_name, name in model.policies:
            path = policy_file.get((schema, table_name), OTHER_FILE)
            self.home[f"pol {_qn(schema, table_name, name)}"] = path
        for ikey, index in model.indexes.items():
            self.home[f"rel {_qn(*ikey)}"] = rel_file.get(index.table, OTHER_FILE)
        for key, seq in model.sequences.items():
            owner = seq.owned_by
            if owner is not None and (owner[0], owner[1]) in rel_file:
                path = rel_file[(owner[0], owner[1])]
            else:
                path = f"sequences/{_stem(*key)}.sql"
            self.home[f"rel {_qn(*key)}"] = path
        for key in (*model.enums, *model.domains, *model.composites):
            self.home[f"type {_qn(*key)}"] = f"types/{_stem(*key)}.sql"
        for f in model.functions.values():
            self.home[f"fn {_qn(f.schema, f.name)}({f.arguments})"] = (
                f"functions/{_stem(f.schema, f.name)}.sql"
            )
        for name in model.schemas:
            self.home[f"schema {quote_ident(name)}"] = f"schemas/{_stem('public', name)}.sql"
        for name in model.extensions:
            self.home[f"ext {quote_ident(name)}"] = f"extensions/{_stem('public', name)}.sql"
        self.home.setdefault("schema public", "schemas/public.sql")
        # what a GRANT names (``public.t``, ``public.f(integer)``) -> the object's owner key
        self.granted = {
            key.split(" ", 1)[1]: key
            for key in self.home
            if key.startswith(("rel ", "fn ", "type ", "schema "))
        }
        self.comment_keys = {c.target: c.owner_key for c in model.comments.values()}
        self.comment_keys.update({c.target: c.owner_key for c in FRESH_DATABASE.comments.values()})

    def of(self, key: str) -> str:
        return self.home.get(key, OTHER_FILE)

    def _granted_key(self, name: str) -> str:
        """The owner key of a grant change's object, from its name (``SELECT on x to r``)."""
        _privilege, _, rest = name.partition(" on ")
        obj = rest.rpartition(" to ")[0]
        if obj in self.granted:
            return self.granted[obj]
        return f"col {obj}"  # a column privilege: ``public.t.c``

    def place(self, change: Change) -> str:
        """The file ``change`` is written to."""
        kind, name = change.kind, change.name
        if kind == "default privilege":
            return DEFAULT_PRIVILEGES_FILE
        if kind == "grant":
            key = self._granted_key(name)
            return self.grants_home.get(key) or self.of(key)
        if kind == "comment":
            return self.of(self.comment_keys.get(name, ""))
        if kind in ("schema", "extension"):
            name = quote_ident(name)  # the diff names these unquoted
        prefix = {
            "schema": "schema", "extension": "ext", "enum": "type", "domain": "type",
            "composite type": "type", "sequence": "rel", "table": "rel", "partition": "rel",
            "column": "col", "constraint": "con", "index": "rel", "view": "rel",
            "materialized view": "rel", "function": "fn", "trigger": "trg", "rls": "rls",
            "policy": "pol",
        }.get(kind)  # fmt: skip
        return self.of(f"{prefix} {name}") if prefix else OTHER_FILE


# ---------------------------------------------------------------------------------------
# formatting: line breaks at the top level of a statement, outside quotes and parentheses


def _top_level(text: str) -> Iterable[tuple[int, int]]:
    """(offset, depth) of every character of ``text`` outside quotes; depth of parentheses."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            end = i + 1
            while end < n:
                if text[end] == ch:
                    if end + 1 < n and text[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
            continue
        if ch == "$":
            match = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", text[i:])
            if match:
                close = text.find(match.group(0), i + len(match.group(0)))
                i = n if close < 0 else close + len(match.group(0))
                continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        yield i, depth if ch != "(" else depth - 1
        i += 1


def _break_before(text: str, markers: tuple[str, ...], indent: str = "  ") -> str:
    """``text`` with a line break before each top-level occurrence of a marker (`` WORD``)."""
    cuts = [
        i
        for i, depth in _top_level(text)
        if depth == 0 and text[i] == " " and text.startswith(markers, i)
    ]
    if not cuts:
        return text
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(text[last:cut])
        last = cut + 1
    pieces.append(text[last:])
    return f"\n{indent}".join(pieces)


def _columns_on_lines(text: str) -> str:
    """``CREATE TABLE t (a int, b text) ...`` with one column or constraint per line."""
    open_at = next((i for i, depth in _top_level(text) if text[i] == "(" and depth == 0), None)
    if open_at is None:
        return text
    close_at = next(
        (i for i, depth in _top_level(text) if i > open_at and text[i] == ")" and depth == 0),
        None,
    )
    if close_at is None:
        return text
    inner = text[open_at + 1 : close_at]
    if not inner.strip():
        return text
    commas = [i for i, depth in _top_level(inner) if inner[i] == "," and depth == 0]
    parts, last = [], 0
    for comma in commas:
        parts.append(inner[last:comma].strip())
        last = comma + 1
    parts.append(inner[last:].strip())
    body = ",\n".join(f"  {p}" for p in parts)
    return f"{text[:open_at].rstrip()} (\n{body}\n){text[close_at + 1 :]}"


def _unquoted(text: str) -> str:
    """``text`` with each quoted identifier that needs no quotes written bare (``"t"`` -> t).

    Strings, dollar-quoted bodies and Unicode identifiers (``U&"..."``) are left as they are.
    """
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            end = i + 1
            while end < n and not (text[end] == "'" and text[end + 1 : end + 2] != "'"):
                end += 2 if text[end] == "'" else 1
            out.append(text[i : end + 1])
            i = end + 1
            continue
        if ch == "$":
            match = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", text[i:])
            if match and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
                close = text.find(match.group(0), i + len(match.group(0)))
                end = n if close < 0 else close + len(match.group(0))
                out.append(text[i:end])
                i = end
                continue
        if ch == '"':
            end = i + 1
            while end < n and not (text[end] == '"' and text[end + 1 : end + 2] != '"'):
                end += 2 if text[end] == '"' else 1
            name = text[i + 1 : end].replace('""', '"')
            if quote_ident(name) == name and text[max(i - 1, 0) : i] != "&":
                out.append(name)
            else:
                out.append(text[i : end + 1])
            i = end + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_CREATE_TABLE = re.compile(r"^CREATE (UNLOGGED )?TABLE ")


def format_statement(statement: str) -> str:
    """``statement`` over several lines where that reads better; the same SQL otherwise.

    Only the spelling changes: a line break replaces a space at the top level of the
    statement (outside quotes, dollar quotes and parentheses), and identifiers that need no
    quotes lose them. Function bodies are kept as the server renders them.
    """
    if statement.startswith(("CREATE OR REPLACE FUNCTION", "CREATE OR REPLACE PROCEDURE")):
        return statement
    statement = _unquoted(statement)
    if _CREATE_TABLE.match(statement) and " PARTITION OF " not in statement[:200]:
        text = _columns_on_lines(statement)
        return _break_before(text, (" PARTITION BY ", " WITH ("), indent="")
    if statement.startswith("CREATE TABLE "):  # a partition
        return _break_before(statement, (" FOR VALUES ", " DEFAULT", " PARTITION BY "))
    if statement.startswith("CREATE POLICY "):
        return _break_before(
            statement, (" AS PERMISSIVE", " AS RESTRICTIVE", " FOR ", " TO ", " USING (",
                        " WITH CHECK (")
        )  # fmt: skip
    if statement.startswith(("CREATE TRIGGER ", "CREATE CONSTRAINT TRIGGER ")):
        return _break_before(statement, (" FOR EACH ", " WHEN (", " EXECUTE FUNCTION "))
    if statement.startswith("ALTER TABLE ") and " ADD CONSTRAINT " in statement:
        return _break_before(statement, (" ADD CONSTRAINT ",))
    return statement


# ---------------------------------------------------------------------------------------


def _server_definitions(
    model: CatalogModel, homes: _Homes
) -> tuple[dict[str, list[str]], list[str]]:
    """Objects the diff does not handle but the server renders whole: (files, the rest).

    A rule (``pg_get_ruledef``) goes with its table or view, a statistics object
    (``pg_get_statisticsobjdef``) with its table; every other such object is not written
    (its label is returned).
    """
    files: dict[str, list[str]] = {}
    rest = []
    for label, definition in sorted(model.unsupported):
        relation = None
        if label.startswith("rule ") and definition.startswith("CREATE RULE "):
            relation = label.rpartition(" on ")[2]
        elif label.startswith("statistics ") and definition.startswith("CREATE STATISTICS "):
            relation = definition.rpartition(" FROM ")[2].strip()
        path = homes.home.get(f"rel {relation}") if relation else None
        if path is None:
            rest.append(label)
            continue
        files.setdefault(path, []).append(definition.strip().removesuffix(";"))
    return files, rest


def _statements_by_file(model: CatalogModel, fresh: CatalogModel) -> dict[str, list[str]]:
    homes = _Homes(model)
    # the source knows the model's default privileges: a new object's grants are written
    # relative to what those give it (order runs ALTER DEFAULT PRIVILEGES before any create)
    start = replace(fresh, default_privileges=model.default_privileges)
    result = diff_catalogs(start, model)
    placed: dict[str, str] = {}
    for change in result.changes:
        for statement in change.sql:
            placed.setdefault(statement, homes.place(change))
    files: dict[str, list[str]] = {}
    for statement in result.statements:
        files.setdefault(placed.get(statement, OTHER_FILE), []).append(statement)
    defaults = diff_catalogs(
        CatalogModel(), CatalogModel(default_privileges=model.default_privileges)
    )
    if defaults.statements:
        files.setdefault(DEFAULT_PRIVILEGES_FILE, []).extend(defaults.statements)
    return files


_GRANT = re.compile(
    r'^(?P<word>GRANT|REVOKE) (?P<privilege>[A-Z]+)(?: \((?P<column>(?:[^()"]|"(?:[^"]|"")*")+)\))?'
    r" (?P<rest>ON .+)$",
    re.S,
)


def merged_grants(statements: Iterable[str]) -> list[str]:
    """GRANT (REVOKE) statements on the same object to the same grantee merged into one.

    ``GRANT SELECT (a) ON TABLE t TO r`` and ``GRANT SELECT (b) ON TABLE t TO r`` become
    ``GRANT SELECT (a, b) ON TABLE t TO r``; ``GRANT INSERT ...`` and ``GRANT DELETE ...``
    become ``GRANT INSERT, DELETE ...``. The merged statement takes the place of the first.
    """
    out: list[str | None] = []
    groups: dict[tuple[str, str], tuple[int, dict[str, list[str]]]] = {}
    for statement in statements:
        match = _GRANT.match(statement)
        if match is None:
            out.append(statement)
            continue
        key = (match["word"], match["rest"])
        if key not in groups:
            groups[key] = (len(out), {})
            out.append(None)
        columns = groups[key][1].setdefault(match["privilege"], [])
        columns.append(match["column"] or "")
    for (word, rest), (position, privileges) in groups.items():
        parts = []
        for privilege, columns in privileges.items():
            named = [c for c in columns if c]
            if len(named) < len(columns):
                parts.append(privilege)  # on the whole object
            if named:
                parts.append(f"{privilege} ({', '.join(named)})")
        out[position] = f"{word} {', '.join(parts)} {rest}"
    return [s for s in out if s is not None]


def render_file(statements: Iterable[str]) -> str:
    """The text of one file: each statement formatted, ended by ``;``, a blank line between."""
    return "\n\n".join(format_statement(s.strip()) + ";" for s in merged_grants(statements)) + "\n"


def layout(model: CatalogModel, schemas: Collection[str] | None = None) -> Layout:
    """The SQL files that build ``model`` on a fresh database, by POSIX path, sorted.

    ``schemas`` are the schemas asked for (default: every managed one): what a fresh
    database has in ``public`` counts only when ``public`` is one of them. Deterministic:
    the same model gives the same bytes. Of the objects of kinds the diff cannot create
    (``model.unsupported``), rules and statistics objects are written as the server renders
    them; the others are not written, and their labels are returned.
    """
    fresh = FRESH_DATABASE if schemas is None or "public" in schemas else CatalogModel()
    by_file = _statements_by_file(model, fresh)
    extra, unsupported = _server_definitions(model, _Homes(model))
    for path, statements in extra.items():
        by_file.setdefault(path, []).extend(statements)
    files = {path: render_file(by_file[path]) for path in sorted(by_file)}
    return Layout(files, tuple(unsupported))
