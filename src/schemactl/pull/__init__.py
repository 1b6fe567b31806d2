"""``schemactl pull``: write the managed schemas of a live database as a tree of SQL files.

The database is read into the diff's catalog model (:func:`schemactl.db.introspect`), laid
out as files by the pure :func:`schemactl.pull.layout.layout`, and written to the SQL dir.
A SQL dir that already holds ``.sql`` files is refused (exit 3) unless ``force``: then its
``.sql`` files are replaced by the pulled ones (other files stay).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from schemactl.errors import ConfigError, RefusedError
from schemactl.pull.layout import Layout, layout

__all__ = ["PullResult", "layout", "pull", "pull_layout"]


@dataclass(frozen=True)
class PullResult:
    """What a pull wrote (or, with ``dry_run``, would write)."""

    sql_dir: str  # as given or configured (for messages)
    files: tuple[str, ...]  # POSIX paths relative to the SQL dir, sorted
    removed: tuple[str, ...]  # .sql files of the dir the pull replaced (``force``)
    unsupported: tuple[str, ...]  # objects of kinds pull cannot write: not in any file
    dry_run: bool = False


def pull_layout(database_url: str, schemas: Sequence[str] | None = None) -> Layout:
    """The files that rebuild the managed schemas of ``database_url`` (nothing is written)."""
    import psycopg

    from schemactl.core.catalog import CatalogModel
    from schemactl.db.connect import connect, database_error
    from schemactl.db.introspect import introspect, list_schemas, managed_schemas, require_schemas
    from schemactl.partitions._db import managed_tables
    from schemactl.partitions.drift import without_managed

    conn = connect(database_url, lock_timeout=None)
    try:
        present = list_schemas(conn)
        require_schemas(present, schemas)
        model = introspect(conn, managed_schemas(present, schemas))
        # partitions `schemactl partitions ensure` made are its to make, not the files'
        model = without_managed(model, managed_tables(conn), CatalogModel())
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()
    return layout(model, schemas)


def _existing_sql(root: Path) -> list[str]:
    if not root.exists():
        return []
    found = []
    for dirpath, _dirs, names in os.walk(root, followlinks=True):
        for name in names:
            if name.endswith(".sql"):
                found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(found)


def _check_directory(root: Path, shown: str) -> None:
    """A SQL_DIR that exists must be a directory (a file there gave a FileExistsError traceback)."""
    from schemactl.db.connect import looks_like_dsn

    if looks_like_dsn(shown) or looks_like_dsn(root.as_posix()):
        # it would become a directory named after the URL, password and all
        raise ConfigError(
            "SQL_DIR looks like a database URL, not a directory; nothing was written",
            hint="give the database as --database-url URL (or DATABASE_URL) and SQL_DIR as a path",
        )
    if root.exists() and not root.is_dir():
        raise ConfigError(
            f"{shown}: not a directory; nothing was written",
            hint="give a directory (new or empty) for the pulled .sql files",
        )


def write_layout(tree: Layout, root: Path, *, force: bool = False, shown: str = "") -> PullResult:
    """Write ``tree`` under ``root``; refuse (exit 3) when it holds .sql files, unless ``force``."""
    shown = shown or root.as_posix()
    _check_directory(root, shown)
    existing = _existing_sql(root)
    if existing and not force:
        raise RefusedError(
            f"{shown}: already holds {len(existing)} .sql file(s) ({existing[0]}...); "
            "nothing was written",
            hint="pull into an empty or new directory, or pass --force to replace its .sql "
            "files with the pulled ones",
        )
    root.mkdir(parents=True, exist_ok=True)  # also for a database with nothing to write
    root.mkdir(parents=True, exist_ok=True)  # also for a database with nothing to write
    removed = tuple(p for p in existing if p not in tree.files)
    for relpath in removed:
        (root / relpath).unlink()
    for relpath, text in tree.files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return PullResult(shown, tuple(tree.files), removed, tree.unsupported)


def pull(
    sql_dir: Path | str | None = None,
    *,
    database_url: str | None = None,
    schemas: Sequence[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
    project_dir: Path | str | None = None,
) -> PullResult:
    """The library twin of ``schemactl pull``: write the database's schema as SQL files.

    The database comes from ``database_url`` / the environment / the config (else the
    embedded server), the SQL dir from ``sql_dir`` / the config. Without ``schemas`` every
    schema that ``diff`` manages is written. With ``dry_run`` nothing is written (and a
    non-empty SQL dir is not refused): the result lists the files.
    """
    from schemactl.config import database_url_of, load_settings
    from schemactl.db.embedded import resolve_database_url

    settings = load_settings(project_dir, sql_dir=sql_dir, database_url=database_url)
    database_url_of(settings)  # an empty URL fails before anything starts
    root = settings.resolve(settings.sql_dir)
    _check_directory(root, Path(settings.sql_dir).as_posix())
    tree = pull_layout(resolve_database_url(settings), schemas)
    shown = Path(settings.sql_dir).as_posix()
    if dry_run:
        existing = _existing_sql(root)
        removed = tuple(p for p in existing if p not in tree.files) if force else ()
        return PullResult(shown, tuple(tree.files), removed, tree.unsupported, dry_run=True)
    return write_layout(tree, root, force=force, shown=shown)
