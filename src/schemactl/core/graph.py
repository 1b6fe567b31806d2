"""Order statements by dependency: graphlib.TopologicalSorter plus a deterministic tie-break."""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from schemactl.errors import CycleError
from schemactl.model import Namespace, ObjectRef, Statement

# References no file creates may come from an extension (pgcrypto's functions,
# citext's type, pg_trgm's operator classes, ...): statements with such references run
# after every CREATE EXTENSION. Schemas and roles are never created by extensions.
_EXTENSION_PROVIDED = frozenset(
    {
        Namespace.FUNCTION,
        Namespace.TYPE,
        Namespace.RELATION,
        Namespace.OPERATOR,
        Namespace.OPERATOR_CLASS,
        Namespace.OPERATOR_FAMILY,
        Namespace.COLLATION,
        Namespace.TEXT_SEARCH,
        Namespace.FOREIGN_DATA_WRAPPER,
        Namespace.LANGUAGE,
        Namespace.ACCESS_METHOD,
        Namespace.CAST,
    }
)


@dataclass(frozen=True)
class Ordering:
    """Statements in execution order with their dependencies (indexes into ``statements``)."""

    statements: tuple[Statement, ...]
    depends_on: tuple[tuple[int, ...], ...]
    unresolved: tuple[tuple[int, ObjectRef], ...]


def describe(statement: Statement) -> str:
    """A short label: ``table public.a`` / ``policy public.t.p`` / ``ENABLE RLS public.t``."""
    words = statement.kind.split()
    if statement.creates:
        target = statement.creates[0]
        if words[0] == "CREATE" and len(words) > 1:
            return f"{' '.join(words[1:]).lower()} {target.name}"
        return f"{target.namespace.value} {target.name}"
    if statement.references:
        return f"{statement.kind} {statement.references[0].name}"
    return statement.kind


class _Index:
    """Who creates and who alters each object, with lookups by name prefix."""

    def __init__(self, statements: Sequence[Statement]) -> None:
        self.creators: dict[ObjectRef, list[int]] = {}
        self.alterers: dict[ObjectRef, list[int]] = {}
        # (name space, prefix) -> creators of objects named "prefix.<more>": a schema's
        # relations ("s"), a table's columns ("s.t"); (name space, "*") -> all of them
        self.under: dict[tuple[Namespace, str], list[int]] = {}
        for i, st in enumerate(statements):
            for ref in st.creates:
                self.creators.setdefault(ref, []).append(i)
                self.under.setdefault((ref.namespace, "*"), []).append(i)
                parts = ref.name.split(".")
                for n in range(1, len(parts)):
                    self.under.setdefault((ref.namespace, ".".join(parts[:n])), []).append(i)
            for ref in st.alters:
                self.alterers.setdefault(ref, []).append(i)

    def resolve(self, ref: ObjectRef) -> list[int]:
        """Statements creating ``ref`` (a table's row type is created with the table)."""
        found = self.creators.get(ref)
        if found is None and ref.namespace is Namespace.TYPE:
            found = self.creators.get(ObjectRef(Namespace.RELATION, ref.name))
        return found or []

    def matching(self, pattern: ObjectRef) -> list[int]:
        """Statements a pattern names: creators of ``prefix.*`` / ``*``, or the creators
        and alterers of one object."""
        if pattern.name == "*":
            return self.under.get((pattern.namespace, "*"), [])
        if pattern.name.endswith(".*"):
            return self.under.get((pattern.namespace, pattern.name[:-2]), [])
        return self.resolve(pattern) + self.alterers.get(pattern, [])


def _reaches(deps: list[set[int]], start: int, goal: int) -> bool:
    """True when ``start`` depends on ``goal``, directly or not."""
    if start == goal:
        return True
    seen = {start}
    stack = [start]
    while stack:
        for j in deps[stack.pop()]:
            if j == goal:
                return True
            if j not in seen:
                seen.add(j)
                stack.append(j)
    return False


def _runtime_needs(
    statement: Statement, statements: Sequence[Statement], index: _Index
) -> set[ObjectRef]:
    """What code run by ``statement`` uses: bodies of the functions it calls, transitively.

    Functions called by the triggers of the tables it writes count too (their CREATE
    TRIGGER alters the table, which ``after_all`` names).
    """
    calls = [
        r for r in (*statement.references, *statement.optional_references)
        if r.namespace is Namespace.FUNCTION
    ]
    for target in statement.after_all:
        for j in index.matching(target):
            calls.extend(
                r for r in statements[j].optional_references + statements[j].references
                if r.namespace is Namespace.FUNCTION
            )
    needs: set[ObjectRef] = set()
    seen: set[ObjectRef] = set()
    while calls:
        fn = calls.pop()
        if fn in seen:
            continue
        seen.add(fn)
        for j in index.resolve(fn):
            for ref in statements[j].runtime_references:
                needs.add(ref)
                if ref.namespace is Namespace.FUNCTION:
                    calls.append(ref)
    return needs


def dependencies(
    statements: Sequence[Statement],
) -> tuple[list[set[int]], list[tuple[int, ObjectRef]]]:
    """For each statement (input order) the statements it depends on, and unresolved refs.

    Hard edges come from references (the server would refuse the statement without
    them). Soft edges come from order-sensitive meaning (``after_all``, ``before_all``,
    run-time needs of executed code): each is added unless it would close a cycle.
    """
    index = _Index(statements)
    extensions = [i for i, st in enumerate(statements) if st.kind == "CREATE EXTENSION"]
    deps: list[set[int]] = []
    unresolved: list[tuple[int, ObjectRef]] = []
    for i, st in enumerate(statements):
        mine: set[int] = set()
        maybe_extension = False
        for ref in st.references:
            found = index.resolve(ref)
            if not found:
                unresolved.append((i, ref))
                maybe_extension |= ref.namespace in _EXTENSION_PROVIDED
            mine.update(found)
        for ref in st.optional_references:
            found = index.resolve(ref)
            if not found:
                maybe_extension |= ref.namespace in _EXTENSION_PROVIDED
            mine.update(found)
        if maybe_extension:
            mine.update(extensions)
        mine.discard(i)
        deps.append(mine)

    soft: list[tuple[int, int]] = []  # (dependent, dependency)
    for i, st in enumerate(statements):
        for pattern in st.after_all:
            soft.extend((i, j) for j in index.matching(pattern))
        for pattern in st.before_all:
            soft.extend((j, i) for j in index.matching(pattern))
        if st.executes:
            for ref in _runtime_needs(st, statements, index):
                # a table the called code reads or writes: as it will be, with its
                # identity, defaults and triggers (creators and alterers alike)
                found = index.matching(ref) if ref.namespace is Namespace.RELATION else []
                soft.extend((i, j) for j in found or index.resolve(ref))
    for dependent, dependency in soft:
        if dependent == dependency or dependency in deps[dependent]:
            continue
        if not _reaches(deps, dependency, dependent):
            deps[dependent].add(dependency)
    return deps, unresolved


def _cycle_message(
    cycle: Sequence[int], statements: Sequence[Statement], deps: list[set[int]]
) -> str:
    nodes = list(cycle)
    # graphlib lists a cycle in one direction; print it as "x -> y" meaning x needs y.
    if len(nodes) > 1 and nodes[1] not in deps[nodes[0]]:
        nodes.reverse()
    parts = [
        f"{describe(statements[i])} ({statements[i].file.display}:{statements[i].line})"
        for i in nodes
    ]
    return "dependency cycle: " + " -> ".join(parts)


def order_statements(statements: Sequence[Statement]) -> Ordering:
    """Topologically order statements given in (relpath, index) order.

    Among statements whose dependencies are all placed, the one first in
    (relpath, index) order goes next, so file names only ever break ties.
    Raises CycleError naming every object and file:line of a cycle.
    """
    deps, unresolved = dependencies(statements)
    sorter: graphlib.TopologicalSorter[int] = graphlib.TopologicalSorter()
    for i, mine in enumerate(deps):
        sorter.add(i, *sorted(mine))
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        raise CycleError(
            _cycle_message(exc.args[1], statements, deps),
            hint="break the cycle, e.g. move a foreign key into a later ALTER TABLE ... "
            "ADD CONSTRAINT",
        ) from None
    ready = list(sorter.get_ready())
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        sorter.done(i)
        for j in sorter.get_ready():
            heapq.heappush(ready, j)
    position = {old: new for new, old in enumerate(order)}
    return Ordering(
        statements=tuple(statements[i] for i in order),
        depends_on=tuple(tuple(sorted(position[d] for d in deps[i])) for i in order),
        unresolved=tuple(
            sorted(((position[i], ref) for i, ref in unresolved), key=lambda item: item[0])
        ),
    )
