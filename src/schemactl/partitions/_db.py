"""The server side of ``schemactl partitions``: catalog reads and calls of the SQL functions."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import psycopg
from psycopg import sql

from schemactl.config import PartitionConfig
from schemactl.db.resources import query, script
from schemactl.errors import ConfigError, DatabaseError
from schemactl.partitions.periods import Range, parse_range_bound

ENSURE_SIGNATURE = "schemactl.ensure_partition(regclass,text,date,date,text,text,text[])"
INSTALL_LOCK = "schemactl partitions install"


@dataclass(frozen=True)
class Partition:
    """One partition as the catalog has it (``bounds`` None for the DEFAULT partition)."""

    schema: str
    name: str
    bound: str
    bounds: Range | None
    estimated_rows: int
    size_bytes: int
    # the horizon CHECK of a DEFAULT partition: None absent, False NOT VALID, True validated
    horizon_check: bool | None

    @property
    def qualified(self) -> str:
        """``schema.name``, quoted where needed."""
        return _qualified(self.schema, self.name)


@dataclass(frozen=True)
class Parent:
    """A configured partitioned table and its partitions."""

    config: PartitionConfig
    schema: str
    name: str
    owner: str
    key_column: str
    key_type: str
    partitions: tuple[Partition, ...]

    @property
    def qualified(self) -> str:
        """``schema.name``, quoted where needed."""
        return _qualified(self.schema, self.name)

    @property
    def default(self) -> Partition | None:
        """The DEFAULT partition, if any."""
        return next((p for p in self.partitions if p.bounds is None), None)

    @property
    def ranges(self) -> list[Range]:
        """The ranges of the partitions other than the default."""
        return [p.bounds for p in self.partitions if p.bounds is not None]


def _qualified(schema: str, name: str) -> str:
    def quote(part: str) -> str:
        plain = part.isidentifier() and part == part.lower() and part.isascii()
        return part if plain else '"' + part.replace('"', '""') + '"'

    return f"{quote(schema)}.{quote(name)}"


def use_utc(conn: psycopg.Connection[Any]) -> None:
    """Periods are UTC: bounds are printed and read in UTC whatever the server's TimeZone."""
    conn.execute("SELECT set_config('TimeZone', 'UTC', false)")


def _raise_bad_name(
    conn: psycopg.Connection[Any], configs: Sequence[PartitionConfig], exc: psycopg.Error
) -> NoReturn:
    """A ConfigError naming the configured table (file:line) whose name does not parse.

    The server's error (e.g. "cross-database references are not implemented") was the
    whole message, with neither the file nor the table.
    """
    from schemactl.db.connect import database_error

    if not conn.autocommit:
        conn.rollback()
    for config in configs:
        try:
            conn.execute("SELECT to_regclass(%s)", (config.table,))
        except psycopg.Error as each:
            if not conn.autocommit:
                conn.rollback()
            raise ConfigError(
                f"{config.source or 'partitions'}: {config.table!r} is not a table name: "
                f"{database_error(each).message}",
                hint="name a table as table or schema.table",
            ) from None
    raise database_error(exc) from None


def read_parents(
    conn: psycopg.Connection[Any], configs: Sequence[PartitionConfig], *, sizes: bool = False
) -> list[Parent]:
    """The configured tables as the catalog has them; ConfigError for one that cannot be managed.

    ``sizes``: also each partition's total size (``status``); else sizes are 0.
    """
    try:
        rows = conn.execute(
            query("partitions_parents"), {"tables": [c.table for c in configs], "sizes": sizes}
        ).fetchall()
    except psycopg.Error as exc:  # a name to_regclass cannot parse ("a.b.c", "public.")
        _raise_bad_name(conn, configs, exc)
    parents = []
    for config, row in zip(configs, rows, strict=True):
        _, schema, name, kind, owner, key_column, key_type, partitions = row
        where = config.source or "partitions"
        if schema is None:
            raise ConfigError(
                f"{where}: table {config.table!r} does not exist in the database",
                hint="apply the schema first (schemactl apply), or fix the table name",
            )
        if (
            kind != "p"
            or key_column is None
            or key_type
            not in (
                "date",
                "timestamp without time zone",
                "timestamp with time zone",
            )
        ):
            raise ConfigError(
                f"{where}: {_qualified(schema, name)} is not partitioned BY RANGE on one "
                "date or timestamp column",
                hint="schemactl partitions manages tables like "
                "CREATE TABLE t (...) PARTITION BY RANGE (created_at)",
            )
        found = []
        for p_schema, p_name, bound, rows_estimate, size, horizon in partitions:
            try:
                bounds = parse_range_bound(bound)
            except ValueError as exc:
                raise ConfigError(
                    f"{where}: partition {_qualified(p_schema, p_name)}: {exc}",
                    hint="schemactl partitions reads bounds of one date or timestamp column",
                ) from None
            found.append(
                Partition(
                    p_schema,
                    p_name,
                    bound,
                    bounds,
                    max(int(rows_estimate), 0),
                    int(size or 0),
                    horizon,
                )
            )
        parents.append(Parent(config, schema, name, owner, key_column, key_type, tuple(found)))
    return parents


def functions_version() -> str:
    """The version of the installed SQL functions: a digest of their script."""
    digest = hashlib.sha256(script("partitions_functions").encode("utf-8")).hexdigest()
    return f"schemactl partitions {digest[:16]}"


def install_functions(conn: psycopg.Connection[Any]) -> None:
    """Install (or update) the functions of ``db/sql/partitions_functions.sql`` when needed.

    Under an advisory lock: overlapping runs would otherwise race on CREATE OR REPLACE
    ("tuple concurrently updated").
    """
    version = functions_version()
    check = "SELECT obj_description(to_regprocedure(%s), 'pg_proc')"
    try:
        row = conn.execute(check, (ENSURE_SIGNATURE,)).fetchone()
        if row is not None and row[0] == version:
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (INSTALL_LOCK,))
            row = conn.execute(check, (ENSURE_SIGNATURE,)).fetchone()
            if row is not None and row[0] == version:
                return
            conn.execute(script("partitions_functions"))
            conn.execute(
                sql.SQL("COMMENT ON FUNCTION {} IS {}").format(
                    sql.SQL(ENSURE_SIGNATURE), sql.Literal(version)
                )
            )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise DatabaseError(
            "installing the partitions functions in schema schemactl: "
            f"{exc.diag.message_primary or exc}",
            hint="run `schemactl partitions ensure` once as the role that runs schemactl apply "
            "(or GRANT CREATE ON SCHEMA schemactl TO the role); later runs only call them",
            sqlstate=exc.diag.sqlstate,
        ) from None


def ensure_partition(
    conn: psycopg.Connection[Any],
    parent: Parent,
    name: str,
    start: dt.date,
    end: dt.date,
    lock_timeout: str,
    lock_wait: str,
) -> int | None:
    """One partition in one transaction; rows moved out of the default, None if it existed."""
    row = conn.execute(
        "SELECT schemactl.ensure_partition(%s::regclass, %s, %s, %s, %s, %s)",
        (parent.qualified, name, start, end, lock_timeout, lock_wait),
    ).fetchone()
    assert row is not None  # a function call returns one row
    return None if row[0] is None else int(row[0])


def ensure_default(
    conn: psycopg.Connection[Any], parent: Parent, name: str, lock_timeout: str, lock_wait: str
) -> bool:
    """The DEFAULT partition ``name`` of ``parent`` unless it has one; True when made."""
    row = conn.execute(
        "SELECT schemactl.ensure_default_partition(%s::regclass, %s, %s, %s)",
        (parent.qualified, name, lock_timeout, lock_wait),
    ).fetchone()
    assert row is not None
    return bool(row[0])


def guard_default(
    conn: psycopg.Connection[Any],
    parent: Parent,
    horizon: dt.date,
    lock_timeout: str,
    lock_wait: str,
) -> str:
    """One step of the DEFAULT partition's horizon CHECK (see the SQL function)."""
    row = conn.execute(
        "SELECT schemactl.guard_default_partition(%s::regclass, %s, %s, %s)",
        (parent.qualified, horizon, lock_timeout, lock_wait),
    ).fetchone()
    assert row is not None
    return str(row[0])


def count_rows(conn: psycopg.Connection[Any], partition: Partition) -> int:
    """The exact number of rows of one partition (the DEFAULT one, for status)."""
    row = conn.execute(
        sql.SQL("SELECT count(*) FROM ONLY {}").format(
            sql.Identifier(partition.schema, partition.name)
        )
    ).fetchone()
    assert row is not None
    return int(row[0])


def managed_tables(conn: psycopg.Connection[Any]) -> set[tuple[str, str]]:
    """(schema, name) of every existing table ``partitions ensure`` created."""
    row = conn.execute("SELECT to_regclass('schemactl.managed_partitions') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return set()
    return {(s, n) for s, n in conn.execute(query("partitions_managed")).fetchall()}


def detach(
    conn: psycopg.Connection[Any], parent: Parent, partition: Partition, *, drop: bool
) -> None:
    """DETACH one partition (plain: CONCURRENTLY is refused while a DEFAULT exists); DROP it too.

    Plain DETACH takes ACCESS EXCLUSIVE on the parent for a moment, bounded by the session's
    lock_timeout; the detach and the drop are one transaction. A detached table ensure made
    stays recorded (an archive is not drift); a dropped one is forgotten.
    """
    table = sql.Identifier(partition.schema, partition.name)
    with conn.transaction():
        conn.execute(
            sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(
                sql.Identifier(parent.schema, parent.name), table
            )
        )
        if drop:
            conn.execute(sql.SQL("DROP TABLE {}").format(table))
        if drop and managed_tables(conn):
            conn.execute(
                "DELETE FROM schemactl.managed_partitions"
                " WHERE partition_schema = %s AND partition_name = %s",
                (partition.schema, partition.name),
            )
