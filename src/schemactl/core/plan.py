"""Build the ordered plan of a SQL directory: discover, parse, order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from schemactl.core.discover import discover
from schemactl.core.graph import order_statements
from schemactl.core.parse import parse_file
from schemactl.errors import SourceError, UnresolvedReferenceError
from schemactl.model import Namespace, ObjectRef, Plan, SqlFile, Statement


@cache
def auth_shim_objects() -> frozenset[ObjectRef]:
    """What the auth compat layer creates (schema auth, auth.users, auth.uid()...).

    Read from the layer's own SQL (packaged with apply), parsed like a file: what it
    provides cannot drift from what it runs.
    """
    text = (resources.files("schemactl") / "db" / "sql" / "auth_shim.sql").read_text("utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    shim = SqlFile(relpath="<auth shim>", display="<auth shim>", text=text, sha256=digest)
    return frozenset(ref for st in parse_file(shim) for ref in st.creates)


def build_plan(
    sql_dir: Path,
    *,
    display_root: Path | str | None = None,
    strict: bool = False,
    provided: frozenset[ObjectRef] = frozenset(),
) -> Plan:
    """Parse every ``.sql`` file under ``sql_dir`` and order its statements by dependency.

    ``display_root`` is how the SQL directory is shown in messages (e.g. ``sql``);
    with ``strict`` a reference that no file creates is an error. References to
    ``provided`` objects (those of the auth compat layer, :func:`auth_shim_objects`, when
    apply installs it or the database has it) are resolved, not reported.
    """
    sql_dir = Path(sql_dir)
    files = discover(sql_dir, display_root=display_root)
    statements: list[Statement] = []
    for file in files:
        statements.extend(parse_file(file))
    check_duplicates(statements)
    ordering = order_statements(statements)
    unresolved = tuple((i, ref) for i, ref in ordering.unresolved if ref not in provided)
    if strict:
        blind = next((st for st in ordering.statements if st.blind_spots), None)
        if blind is not None:
            raise UnresolvedReferenceError(
                f"{blind.location}: {blind.kind}: {blind.blind_spots[0]}",
                hint="create the objects with plain statements order can read, or drop "
                "--strict (apply then waits for what it cannot see, and says so)",
            )
        if unresolved:
            raise unresolved_error(ordering.statements, unresolved)
    shown = display_root if display_root is not None else sql_dir
    return Plan(
        sql_dir=Path(shown).as_posix(),
        files=files,
        statements=ordering.statements,
        depends_on=ordering.depends_on,
        unresolved=unresolved,
    )


# Objects that may legitimately be created twice under one name (overloads share one).
_MAY_REPEAT = frozenset({Namespace.FUNCTION, Namespace.OPERATOR, Namespace.CAST})


def check_duplicates(statements: list[Statement]) -> None:
    """Refuse one object created by two statements (neither OR REPLACE / IF NOT EXISTS).

    Which one ran last would depend on file names, and the server refuses the second
    anyway ("already exists"). A DROP of the object anywhere makes a re-creation
    deliberate, and is left to the server.
    """
    dropped = {
        ref
        for st in statements
        if st.kind.startswith("DROP")
        for ref in (*st.references, *st.optional_references)
    }
    first: dict[ObjectRef, Statement] = {}
    for st in statements:
        if not st.creates or st.idempotent:
            continue
        ref = st.creates[0]
        if ref.namespace in _MAY_REPEAT or ref in dropped:
            continue
        earlier = first.setdefault(ref, st)
        if earlier is not st:
            raise SourceError(
                st.file.display,
                st.line,
                st.col,
                f"{ref} is already created at {earlier.location}",
                hint="keep one definition: which one would run last depends on file names "
                "(or use CREATE OR REPLACE / IF NOT EXISTS)",
            )


def unresolved_error(
    statements: tuple[Statement, ...], unresolved: tuple[tuple[int, ObjectRef], ...]
) -> UnresolvedReferenceError:
    """``--strict``: one line naming the first unresolved reference and how many more."""
    index, ref = unresolved[0]
    names = sorted({str(r) for _, r in unresolved})
    more = f" ({len(names)} unresolved in all: {', '.join(names)})" if len(names) > 1 else ""
    return UnresolvedReferenceError(
        f"{statements[index].location}: {ref} is created by no file{more}",
        hint="create it in a .sql file, or drop --strict if the database provides it "
        "(e.g. Supabase's auth schema or an extension)",
    )


@dataclass(frozen=True, order=True)
class LabelledRef(ObjectRef):
    """An ObjectRef with a human label (``table``, ``index``, ``view``...) for reports."""

    label: str = ""


def created_objects(plan: Plan) -> tuple[ObjectRef, ...]:
    """Every object a statement is written to create, in execution order, labelled by kind.

    One per statement (its first created object: the table, not its columns, keys or
    implicit indexes), except statements that create several on purpose (``DO`` blocks,
    ``CREATE SCHEMA`` with elements). Put this on ``ApplyResult.created`` so
    ``render_apply_result`` can group tables, indexes and views apart (they share the
    relation name space).
    """
    result: list[ObjectRef] = []
    for st in plan.statements:
        words = st.kind.split()
        label = " ".join(words[1:]).lower() if words[0] == "CREATE" and len(words) > 1 else ""
        wanted = [r for r in st.creates if r.namespace not in _PARTS]
        if st.kind not in ("DO", "CREATE SCHEMA"):
            wanted = wanted[:1]
        elif st.kind == "DO":
            label = ""
        result.extend(LabelledRef(ref.namespace, ref.name, label) for ref in wanted)
    return tuple(result)


# Parts of another object, never listed on their own.
_PARTS = frozenset(
    {Namespace.COLUMN, Namespace.CONSTRAINT, Namespace.KEY, Namespace.ENUM_LABEL}
)
