"""Renames for the diff: hints become ``ALTER ... RENAME``, and look-alikes are flagged (pure).

:func:`apply_renames` checks each :class:`~schemactl.core.renames.RenameHint` against the
two models, renders the ``RENAME`` statements and returns the source model *as it will be
once they ran*: the rest of the diff is computed against that model, so the renames run
first and every later statement names the new names. The rewrite renames keys and the
server-rendered names in definitions (a table's qualified name everywhere; a column's name
in its table's constraints, indexes and generated expressions); what it leaves alone
(a view's text, a policy's expression) the diff sees as changed and rebuilds, which is
correct, only more work. The serial sequence, constraints and indexes of a renamed table
or column whose names follow it (``old_pkey`` -> ``new_pkey``) are renamed too, rather
than rebuilt.

:func:`possible_renames` names the drop + add pairs that look like a rename without a hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from pglast.parser import ParseError as PgParseError
from pglast.parser import scan

from schemactl.core.catalog import CatalogModel, Column, Comment, QualifiedName
from schemactl.core.renames import RenameHint

__all__ = ["RenamePlan", "apply_renames", "possible_renames"]


@dataclass
class RenamePlan:
    """The source model after the renames, their statements (in order) and the warnings."""

    model: CatalogModel
    # (kind, name, statement): run first, in this order
    statements: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _quote(name: str) -> str:
    from schemactl.core.diff import quote_ident

    return quote_ident(name)


def _qn(*parts: str) -> str:
    return ".".join(_quote(p) for p in parts)


def _name_pattern(qualified: str) -> re.Pattern[str]:
    """A server-rendered qualified name as a whole word (a following ``.column`` allowed).

    Not followed by ``(``: that is a function of the same name (a foreign key's
    ``REFERENCES s.t(col)`` is rewritten on its own, see ``_references``).
    """
    return re.compile(r'(?<![\w"$.])' + re.escape(qualified) + r'(?![\w"$(])')


def _references(qualified: str, replacement: str) -> Callable[[str], str]:
    """Rewrite ``REFERENCES qualified(`` in a constraint definition."""
    needle, better = f" REFERENCES {qualified}(", f" REFERENCES {replacement}("
    return lambda definition: definition.replace(needle, better)


# owner keys of what a relation rename can touch (never a function or type of that name)
_RELATION_KEYS = ("rel ", "col ", "con ", "trg ", "pol ")


def _rename_relation(model: CatalogModel, schema: str, old: str, new: str) -> CatalogModel:
    """``model`` with the relation ``schema.old`` called ``new`` (keys and rendered names)."""
    pattern = _name_pattern(_qn(schema, old))
    replacement = _qn(schema, new)
    references = _references(_qn(schema, old), replacement)

    def sub(text: str) -> str:
        return pattern.sub(lambda _: replacement, text)

    def opt(text: str | None) -> str | None:
        return None if text is None else sub(text)

    def keyed(owner_key: str) -> bool:
        return owner_key.startswith(_RELATION_KEYS)

    def key(k: QualifiedName) -> QualifiedName:
        return (schema, new) if k == (schema, old) else k

    def key3(k: tuple[str, str, str]) -> tuple[str, str, str]:
        return (schema, new, k[2]) if (k[0], k[1]) == (schema, old) else k

    tables = {}
    for k, t in model.tables.items():
        columns = tuple(replace(c, default=opt(c.default), generated=opt(c.generated))
                        for c in t.columns)  # fmt: skip
        parent = key(t.parent) if t.parent else None
        tables[key(k)] = replace(t, name=key(k)[1], columns=columns, parent=parent)
    sequences = {}
    for k, s in model.sequences.items():
        owned = s.owned_by
        if owned is not None and (owned[0], owned[1]) == (schema, old):
            owned = (schema, new, owned[2])
        sequences[key(k)] = replace(s, name=key(k)[1], owned_by=owned)
    return replace(
        model,
        tables=tables,
        sequences=sequences,
        constraints={
            key3(k): replace(c, table=key3(k)[1], definition=references(sub(c.definition)))
            for k, c in model.constraints.items()
        },
        indexes={
            key(k): replace(i, name=key(k)[1], table=key(i.table), definition=sub(i.definition))
            for k, i in model.indexes.items()
        },
        views={
            key(k): replace(
                v,
                name=key(k)[1],
                definition=sub(v.definition),
                depends_on=tuple(sorted(key(d) for d in v.depends_on)),
            )
            for k, v in model.views.items()
        },
        triggers={
            key3(k): replace(t, table=key3(k)[1], definition=sub(t.definition))
            for k, t in model.triggers.items()
        },
        policies={
            key3(k): replace(p, table=key3(k)[1], using=opt(p.using), with_check=opt(p.with_check))
            for k, p in model.policies.items()
        },
        grants=frozenset(
            replace(g, object=sub(g.object), owner_key=sub(g.owner_key))
            if keyed(g.owner_key)
            else g
            for g in model.grants
        ),
        comments={
            (sub(t) if keyed(c.owner_key) else t): (
                Comment(sub(c.target), c.text, sub(c.owner_key)) if keyed(c.owner_key) else c
            )
            for t, c in model.comments.items()
        },
        owners={
            (sub(k) if keyed(k) else k): (replace(o, target=sub(o.target)) if keyed(k) else o)
            for k, o in model.owners.items()
        },
    )


def _sub_identifier(text: str, old: str, new: str) -> str:
    """``text`` (a server-rendered expression) with the column ``old`` called ``new``.

    Only identifier tokens that are not qualified (``x.old``), not a function call
    (``old(``) and not a type (``::old``) change; strings and comments never do.
    """
    quoted_old, quoted_new = _quote(old), _quote(new)
    if quoted_old not in text:
        return text
    try:
        tokens = [t for t in scan(text) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    except PgParseError:
        return text
    out, last = [], 0
    for i, tok in enumerate(tokens):
        word = text[tok.start : tok.end + 1]
        if word != quoted_old or tok.name in ("SCONST", "USCONST", "BCONST", "XCONST"):
            continue
        before = text[tokens[i - 1].start : tokens[i - 1].end + 1] if i else ""
        after = text[tokens[i + 1].start : tokens[i + 1].end + 1] if i + 1 < len(tokens) else ""
        if before in (".", "::") or after in (".", "("):
            continue
        out.append(text[last : tok.start])
        out.append(quoted_new)
        last = tok.end + 1
    out.append(text[last:])
    return "".join(out)


_REFERENCES = re.compile(r"(?P<head> REFERENCES (?P<table>\S+?)\()(?P<cols>[^)]*)\)")


def _rename_column(model: CatalogModel, table: QualifiedName, old: str, new: str) -> CatalogModel:
    """``model`` with the column ``old`` of ``table`` called ``new``."""
    qualified = _qn(*table)
    pattern = _name_pattern(_qn(*table, old))
    replacement = _qn(*table, new)

    def sub(text: str) -> str:
        return pattern.sub(lambda _: replacement, text)

    def columns_of(text: str) -> str:
        return _sub_identifier(text, old, new)

    def references(definition: str) -> str:
        """Foreign keys pointing at ``table``: their list of referenced columns."""

        def fix(m: re.Match[str]) -> str:
            if m["table"] != qualified:
                return m.group(0)
            return f"{m['head']}{columns_of(m['cols'])})"

        return _REFERENCES.sub(fix, definition)

    t = model.tables[table]
    cols = tuple(
        replace(
            c,
            name=new if c.name == old else c.name,
            generated=None if c.generated is None else columns_of(c.generated),
        )
        for c in t.columns
    )
    constraints = {}
    for k, c in model.constraints.items():
        definition = c.definition
        if (k[0], k[1]) == table:  # its own columns, not those it references
            head, sep, tail = definition.partition(" REFERENCES ")
            definition = columns_of(head) + sep + tail
        constraints[k] = replace(c, definition=references(definition))
    indexes = {}
    for ikey, index in model.indexes.items():
        text = index.definition
        if index.table == table:
            head, sep, tail = text.partition(" USING ")
            text = head + sep + columns_of(tail)
        indexes[ikey] = replace(index, definition=text)
    sequences = {
        k: replace(s, owned_by=(table[0], table[1], new))
        if s.owned_by == (table[0], table[1], old)
        else s
        for k, s in model.sequences.items()
    }
    grants = frozenset(
        replace(g, column=_quote(new), owner_key=sub(g.owner_key))
        if g.object == qualified and g.column == _quote(old)
        else g
        for g in model.grants
    )
    return replace(
        model,
        tables={**model.tables, table: replace(t, columns=cols)},
        constraints=constraints,
        indexes=indexes,
        sequences=sequences,
        grants=grants,
        comments={
            sub(k): Comment(sub(c.target), c.text, sub(c.owner_key))
            for k, c in model.comments.items()
        },
    )


def _relation_names(model: CatalogModel, schema: str) -> set[str]:
    """Names of the relations of ``schema`` (tables, views, sequences, indexes share them)."""
    return {
        n for s, n in (*model.tables, *model.views, *model.sequences, *model.indexes) if s == schema
    }


def apply_renames(
    source: CatalogModel, target: CatalogModel, hints: Iterable[RenameHint]
) -> RenamePlan:
    """The renames the hints ask for that fit ``source`` (the live database) and ``target``.

    A hint is ignored, with a warning naming it, when its old name is not in the source
    (a fresh database, or the rename already ran), when the new name is already taken
    there, or when the old name is still in the target.
    """
    plan = RenamePlan(source)
    hints = list(hints)
    followed: set[QualifiedName] = set()
    for h in (h for h in hints if h.kind == "table"):
        old, new = (h.schema, h.old), (h.schema, h.new)
        problem = None
        if old not in plan.model.tables:
            problem = f"{_qn(*old)} is not in the database (a fresh one, or the rename ran)"
        elif h.new in _relation_names(plan.model, h.schema):
            problem = f"{_qn(*new)} already exists in the database"
        elif old in target.tables:
            problem = f"the files still create {_qn(*old)}"
        elif new not in target.tables:
            problem = f"the files do not create {_qn(*new)} in the compared schemas"
        if problem:
            plan.warnings.append(f"{h.location}: rename hint ignored: {problem}")
            continue
        plan.statements.append(
            ("table", f"{_qn(*old)} -> {_quote(h.new)}",
             f"ALTER TABLE {_qn(*old)} RENAME TO {_quote(h.new)}")
        )  # fmt: skip
        plan.model = _rename_relation(plan.model, h.schema, h.old, h.new)
        followed.add(new)
    for h in (h for h in hints if h.kind == "column"):
        key = (h.schema, h.table)
        table = plan.model.tables.get(key)
        wanted = target.tables.get(key)
        problem = None
        if table is None or table.column(h.old) is None:
            problem = f"{_qn(*key, h.old)} is not in the database (a fresh one, or the rename ran)"
        elif table.parent is not None:
            problem = f"{_qn(*key)} is a partition: put the hint on its partitioned table"
        elif table.column(h.new) is not None:
            problem = f"{_qn(*key, h.new)} already exists in the database"
        elif wanted is None or wanted.column(h.new) is None:
            problem = f"the files do not create {_qn(*key, h.new)} in the compared schemas"
        elif wanted.column(h.old) is not None:
            problem = f"the files still create {_qn(*key, h.old)}"
        if problem:
            plan.warnings.append(f"{h.location}: rename hint ignored: {problem}")
            continue
        plan.statements.append(
            ("column", f"{_qn(*key, h.old)} -> {_quote(h.new)}",
             f"ALTER TABLE {_qn(*key)} RENAME COLUMN {_quote(h.old)} TO {_quote(h.new)}")
        )  # fmt: skip
        plan.model = _rename_column(plan.model, key, h.old, h.new)
        followed.add(key)
    for key in sorted(followed):
        _follow(plan, target, key)
    return plan


def _follow(plan: RenamePlan, target: CatalogModel, table: QualifiedName) -> None:
    """Rename the sequences, constraints and indexes of ``table`` whose names followed it."""
    model = plan.model
    schema = table[0]
    # a sequence owned by one of the table's columns (serial, identity)
    taken = _relation_names(model, schema)
    for key, seq in sorted(model.sequences.items()):
        if seq.owned_by is None or (seq.owned_by[0], seq.owned_by[1]) != table:
            continue
        if key in target.sequences:
            continue
        match = [k for k, s in target.sequences.items()
                 if s.owned_by == seq.owned_by and k[0] == schema and k[1] not in taken]  # fmt: skip
        if len(match) != 1:
            continue
        new = match[0][1]
        plan.statements.append(
            ("sequence", f"{_qn(*key)} -> {_quote(new)}",
             f"ALTER SEQUENCE {_qn(*key)} RENAME TO {_quote(new)}")
        )  # fmt: skip
        model = _rename_relation(model, schema, key[1], new)
        taken = _relation_names(model, schema)
    # NOT NULL constraints (named on PostgreSQL 18: t_c_not_null) keep their old names
    have, want = model.tables[table], target.tables[table]
    renamed_columns = []
    for col in have.columns:
        wanted = want.column(col.name)
        new_name = wanted.not_null_name if wanted is not None else None
        if col.not_null_name and new_name and new_name != col.not_null_name:
            plan.statements.append(
                ("constraint", f"{_qn(*table, col.not_null_name)} -> {_quote(new_name)}",
                 f"ALTER TABLE {_qn(*table)} RENAME CONSTRAINT {_quote(col.not_null_name)} "
                 f"TO {_quote(new_name)}")
            )  # fmt: skip
            col = replace(col, not_null_name=new_name)
        renamed_columns.append(col)
    model = replace(
        model, tables={**model.tables, table: replace(have, columns=tuple(renamed_columns))}
    )
    # constraints of the same kind and definition under another name
    gone = {k: c for k, c in model.constraints.items()
            if (k[0], k[1]) == table and k not in target.constraints}  # fmt: skip
    new_ones = {k: c for k, c in target.constraints.items()
                if (k[0], k[1]) == table and k not in model.constraints}  # fmt: skip
    for k, c in sorted(gone.items()):
        same = [n for n, d in new_ones.items()
                 if (d.kind, d.definition, d.validated) == (c.kind, c.definition, c.validated)]  # fmt: skip
        if len(same) != 1 or (c.kind in ("p", "u", "x") and same[0][2] in taken):
            continue
        cto = same[0]
        del new_ones[cto]
        plan.statements.append(
            ("constraint", f"{_qn(*k)} -> {_quote(cto[2])}",
             f"ALTER TABLE {_qn(*table)} RENAME CONSTRAINT {_quote(k[2])} TO {_quote(cto[2])}")
        )  # fmt: skip
        model = _rename_constraint(model, k, cto[2])
        taken = _relation_names(model, schema)
    # indexes with the same definition but their name
    old_idx = {
        k: i for k, i in model.indexes.items() if i.table == table and k not in target.indexes
    }
    new_idx = {
        k: i for k, i in target.indexes.items() if i.table == table and k not in model.indexes
    }
    for ikey, index in sorted(old_idx.items()):
        shape = _index_shape(index.definition, ikey[1])
        found = [n for n, j in new_idx.items() if _index_shape(j.definition, n[1]) == shape]
        if len(found) != 1 or found[0][1] in taken:
            continue
        ito = found[0]
        del new_idx[ito]
        plan.statements.append(
            ("index", f"{_qn(*ikey)} -> {_quote(ito[1])}",
             f"ALTER INDEX {_qn(*ikey)} RENAME TO {_quote(ito[1])}")
        )  # fmt: skip
        model = _rename_relation(model, schema, ikey[1], ito[1])
        renamed = model.indexes[ito]
        definition = renamed.definition.replace(
            f" {_quote(ikey[1])} ON ", f" {_quote(ito[1])} ON ", 1
        )
        model = replace(
            model, indexes={**model.indexes, ito: replace(renamed, definition=definition)}
        )
        taken = _relation_names(model, schema)
    plan.model = model


def _index_shape(definition: str, name: str) -> str:
    return definition.replace(f" {_quote(name)} ON ", " ? ON ", 1)


def _rename_constraint(model: CatalogModel, key: tuple[str, str, str], new: str) -> CatalogModel:
    """``model`` with the constraint ``key`` called ``new`` (and its comment, its index)."""
    old_qn, new_qn = _qn(*key), _qn(key[0], key[1], new)
    target_old = f"CONSTRAINT {_quote(key[2])} ON {_qn(key[0], key[1])}"
    target_new = f"CONSTRAINT {_quote(new)} ON {_qn(key[0], key[1])}"
    constraints = {
        ((k[0], k[1], new) if k == key else k): (replace(c, name=new) if k == key else c)
        for k, c in model.constraints.items()
    }
    comments = {}
    for t, c in model.comments.items():
        if t == target_old:
            comments[target_new] = Comment(target_new, c.text, f"con {new_qn}")
        else:
            comments[t] = (
                c if c.owner_key != f"con {old_qn}" else replace(c, owner_key=f"con {new_qn}")
            )
    return replace(model, constraints=constraints, comments=comments)


def possible_renames(source: CatalogModel, target: CatalogModel) -> tuple[str, ...]:
    """Drops and adds of the same shape that may be renames without a hint, as advice.

    A column dropped and another of the same type added in one table; a table dropped and
    one with the same columns (names and types) created in the same schema.
    """
    notes: list[str] = []
    advice = "add `-- schemactl: renamed from {}` {} to keep the data"
    for key in sorted(source.tables.keys() & target.tables.keys()):
        old, new = source.tables[key], target.tables[key]
        if old.parent is not None or new.parent is not None:
            continue
        dropped = [c for c in old.columns if new.column(c.name) is None]
        added = [c for c in new.columns if old.column(c.name) is None]
        for d in dropped:
            for a in added:
                if _same_type(d, a):
                    notes.append(
                        f"possible rename: column {_qn(*key, d.name)} -> {_quote(a.name)}; "
                        + advice.format(_quote(d.name), f"on the line of column {_quote(a.name)}")
                    )
    gone = sorted(source.tables.keys() - target.tables.keys())
    new_tables = sorted(target.tables.keys() - source.tables.keys())
    for g in gone:
        for n in new_tables:
            if g[0] != n[0] or source.tables[g].parent or target.tables[n].parent:
                continue
            if _shape(source.tables[g].columns) == _shape(target.tables[n].columns):
                notes.append(
                    f"possible rename: table {_qn(*g)} -> {_quote(n[1])}; "
                    + advice.format(_quote(g[1]), f"on the line before CREATE TABLE {_qn(*n)}")
                )
    return tuple(notes)


def _same_type(a: Column, b: Column) -> bool:
    return (a.data_type, a.collation) == (b.data_type, b.collation)


def _shape(columns: Sequence[Column]) -> tuple[tuple[str, str], ...]:
    return tuple((c.name, c.data_type) for c in columns)
