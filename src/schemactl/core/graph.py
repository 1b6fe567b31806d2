"""Order statements by dependency: graphlib.TopologicalSorter plus a deterministic tie-break."""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from schemactl.errors import CycleError
from schemactl.model import Namespace, ObjectRef, Statement

# References no file creates may come from an extension (pgcrypto's functions,
# citext's type, ...): statements with such references run after every CREATE
# EXTENSION. Schemas and roles are never created by extensions.
_EXTENSION_PROVIDED = frozenset({Namespace.FUNCTION, Namespace.TYPE, Namespace.RELATION})


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


def _creators(statements: Sequence[Statement]) -> dict[ObjectRef, int]:
    """Object -> the first statement (in input order) that creates it."""
    creators: dict[ObjectRef, int] = {}
    for i, st in enumerate(statements):
        for ref in st.creates:
            creators.setdefault(ref, i)
    return creators


def _resolve(ref: ObjectRef, creators: dict[ObjectRef, int]) -> int | None:
    found = creators.get(ref)
    if found is None and ref.namespace is Namespace.TYPE:
        # Every table and view has a row type of the same name.
        found = creators.get(ObjectRef(Namespace.RELATION, ref.name))
    return found


def dependencies(
    statements: Sequence[Statement],
) -> tuple[list[set[int]], list[tuple[int, ObjectRef]]]:
    """For each statement (input order) the statements it depends on, and unresolved refs."""
    creators = _creators(statements)
    extensions = [i for i, st in enumerate(statements) if st.kind == "CREATE EXTENSION"]
    deps: list[set[int]] = []
    unresolved: list[tuple[int, ObjectRef]] = []
    for i, st in enumerate(statements):
        mine: set[int] = set()
        maybe_extension = False
        for ref in st.references:
            j = _resolve(ref, creators)
            if j is None:
                unresolved.append((i, ref))
                maybe_extension |= ref.namespace in _EXTENSION_PROVIDED
            elif j != i:
                mine.add(j)
        for ref in st.optional_references:
            j = _resolve(ref, creators)
            if j is None:
                maybe_extension |= ref.namespace in _EXTENSION_PROVIDED
            elif j != i:
                mine.add(j)
        if maybe_extension:
            mine.update(e for e in extensions if e != i)
        deps.append(mine)
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
