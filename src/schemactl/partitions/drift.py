"""Partitions made by ``schemactl partitions`` are not drift: leave them out of a diff.

Pure (no connection): :func:`without_managed` takes a catalog model and the tables recorded in
``schemactl.managed_partitions`` of the same database, and drops those tables with everything
that hangs on them (constraints, indexes, triggers, policies, grants, comments, owners), and
the horizon CHECK that ensure keeps on a DEFAULT partition. A recorded table that the other
side of the diff also has (the SQL files define a partition of the same name) is kept and
compared as usual.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from schemactl.core.catalog import CatalogModel, QualifiedName

HORIZON_CHECK = "schemactl_partitions_horizon"


def _key(schema: str, name: str) -> str:
    def quote(part: str) -> str:
        plain = part.isidentifier() and part == part.lower() and part.isascii()
        return part if plain else '"' + part.replace('"', '""') + '"'

    return f"rel {quote(schema)}.{quote(name)}"


def without_managed(
    model: CatalogModel, managed: Collection[QualifiedName], other: CatalogModel
) -> CatalogModel:
    """``model`` without the managed tables ``other`` lacks, nor the DEFAULT's horizon CHECK."""
    gone = {t for t in managed if t in model.tables and t not in other.tables}
    checks = {
        key
        for key, constraint in model.constraints.items()
        if constraint.name == HORIZON_CHECK and key not in other.constraints
    }
    if not gone and not checks:
        return model
    keys = {_key(schema, name) for schema, name in gone}
    columns = tuple("col " + key.removeprefix("rel ") + "." for key in keys)
    return replace(
        model,
        tables={k: v for k, v in model.tables.items() if k not in gone},
        constraints={
            k: v
            for k, v in model.constraints.items()
            if (k[0], k[1]) not in gone and k not in checks
        },
        indexes={k: v for k, v in model.indexes.items() if v.table not in gone},
        triggers={k: v for k, v in model.triggers.items() if (k[0], k[1]) not in gone},
        policies={k: v for k, v in model.policies.items() if (k[0], k[1]) not in gone},
        grants=frozenset(g for g in model.grants if g.owner_key not in keys),
        comments={
            k: v
            for k, v in model.comments.items()
            if v.owner_key not in keys and not v.owner_key.startswith(columns)
        },
        owners={k: v for k, v in model.owners.items() if k not in keys},
    )
