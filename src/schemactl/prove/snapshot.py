"""Schema snapshots (``schemactl snapshot``) and drift checks against them (``schemactl drift``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from schemactl.core.catalog import CatalogModel
from schemactl.core.catalog_json import dumps
from schemactl.core.diff import DiffResult

__all__ = ["drift", "resolve_url", "schema_only", "snapshot", "write_snapshot"]


def schema_only(model: CatalogModel) -> CatalogModel:
    """``model`` without its data: sequences' current values left out.

    Two databases with the same schema then give the same snapshot bytes, whatever rows
    they hold. (The model has no kind that carries secrets: foreign servers, user mappings
    and subscriptions are not read, foreign tables only by name.)
    """
    sequences = {
        key: dataclasses.replace(seq, last_value=None) for key, seq in model.sequences.items()
    }
    return dataclasses.replace(model, sequences=sequences)


def resolve_url(database_url: str | None, project_dir: Path | str | None = None) -> str:
    """``database_url``, else the environment's / config's, else the embedded server's."""
    from schemactl.config import load_settings
    from schemactl.db.embedded import resolve_database_url

    return resolve_database_url(load_settings(project_dir, database_url=database_url))


def snapshot(
    database_url: str | None = None,
    *,
    schemas: Sequence[str] | None = None,
    project_dir: Path | str | None = None,
) -> CatalogModel:
    """The catalog model of the managed schemas of a database (its schema, no data).

    Without ``schemas``: the schemas a diff would compare (every schema but PostgreSQL's,
    the extensions', schemactl's ledger, auth and platform schemas). Without
    ``database_url``: as every command finds its database (environment, config, embedded).
    """
    import psycopg

    from schemactl.db.connect import connect, database_error
    from schemactl.db.introspect import introspect, list_schemas, managed_schemas, require_schemas

    conn = connect(resolve_url(database_url, project_dir), lock_timeout=None)
    try:
        present = list_schemas(conn)
        require_schemas(present, schemas)
        managed = managed_schemas(present, schemas)
        return schema_only(introspect(conn, managed))
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()


def write_snapshot(model: CatalogModel, path: Path | str) -> None:
    """Write ``model`` to ``path`` as :func:`schemactl.core.catalog_json.dumps` renders it."""
    from schemactl.db.connect import refuse_dsn_as_path
    from schemactl.errors import ConfigError

    hint = "give the database as --database-url URL and the file as -o schema.json"
    refuse_dsn_as_path(path, "the snapshot file", hint)  # a file named after the password
    try:
        Path(path).write_text(dumps(model), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the snapshot: {exc.strerror}") from None


def drift(
    database_url: str | None,
    snapshot_path: Path | str,
    *,
    schemas: Sequence[str] | None = None,
    owners: bool = False,
    project_dir: Path | str | None = None,
) -> DiffResult:
    """What must run on ``database_url`` to make its schema equal to the snapshot's again.

    No changes (``has_drift`` false): the database still has the schema of the snapshot.
    """
    from schemactl.diff import diff_databases, is_snapshot
    from schemactl.errors import ConfigError

    database_url = resolve_url(database_url, project_dir)
    path = str(snapshot_path)
    if not is_snapshot(path):
        raise ConfigError(
            f"{path}: a snapshot is a file ending in .json",
            hint="write one with `schemactl snapshot --database-url URL -o schema.json`",
        )
    if is_snapshot(database_url):
        raise ConfigError(f"{database_url}: drift compares a live database with a snapshot")
    return diff_databases(database_url, path, schemas=schemas, owners=owners)
