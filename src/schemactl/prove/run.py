"""Prove a migration on a throwaway clone: state, data and time, before production sees it.

:func:`prove_diff` clones the target (:mod:`schemactl.prove.clone`), applies the
statements there as ``apply`` runs them (labels added to enums committed first, the rest in
one transaction), then checks:

* state: the clone's catalog model, read again, against the desired model (each
  difference listed);
* data: per table, rows before and after; ``checksum`` (md5 of the ordered row texts) for
  tables whose columns the migration leaves alone, ``count`` for the others, ``empty:
  nothing proved`` when the clone has no row to check;
* time: each statement's duration on the clone and the lock it takes, scaled by the
  target's row count over the clone's as an estimate.

A statement that fails is named with the rows at fault, counted on the target (read-only)
where a query can count them (NOT NULL, UNIQUE, CHECK, FOREIGN KEY) and on the clone's
rows for a type change. Nothing is ever written to the target: its session is read-only.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from schemactl.core.catalog import CatalogModel
from schemactl.core.catalog_json import fingerprint
from schemactl.core.diff import (
    ACCESS_EXCLUSIVE,
    SHARE_LOCK,
    Change,
    DiffResult,
    committed_first,
    diff_catalogs,
)
from schemactl.db.connect import connect, database_error, mask_dsn
from schemactl.db.introspect import introspect, list_schemas, managed_schemas
from schemactl.errors import RefusedError, SchemactlError, one_line
from schemactl.prove.clone import (
    ForeignKey,
    QName,
    clone_database,
    leaf_tables,
    open_target,
    parse_foreign_key,
)

__all__ = [
    "PROOF_FORMAT",
    "PROOF_VERSION",
    "Failure",
    "Proof",
    "StatementTiming",
    "TableCheck",
    "check_proof",
    "proof_to_json",
    "prove_diff",
    "read_proof",
]

PROOF_FORMAT = "schemactl-proof"
PROOF_VERSION = 1


@dataclass(frozen=True)
class StatementTiming:
    """One statement run on the clone: how long, which lock, and the estimate for the target."""

    statement: str
    seconds: float
    lock: str
    table: str | None
    clone_rows: int | None
    target_rows: int | None
    estimate_seconds: float | None


@dataclass(frozen=True)
class TableCheck:
    """What was checked of one table's rows: ``checksum``, ``count`` or ``empty: nothing proved``."""

    table: str
    check: str
    before: int
    after: int | None
    ok: bool
    note: str = ""


@dataclass(frozen=True)
class Failure:
    """A statement that failed on the clone, and the rows at fault."""

    statement: str
    sqlstate: str | None
    error: str
    rows_at_fault: int | None
    message: str  # "NOT NULL on transfers.agent_id: 3 rows are NULL"


@dataclass
class Proof:
    """The outcome of :func:`prove_diff`."""

    plan_sha256: str
    target: str
    target_fingerprint: str
    desired_fingerprint: str
    clone_server: str
    rows_per_table: int | None
    statements: list[StatementTiming] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    # the statement that failed on the clone first, then rows at fault found on the target
    # that the clone's sample did not hold
    failures: list[Failure] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)  # clone after vs desired
    data: list[TableCheck] = field(default_factory=list)
    data_loss: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # clone, apply, compare

    @property
    def ok(self) -> bool:
        """True when every statement ran, the state converged and no row was lost."""
        return not self.failures and not self.differences and all(c.ok for c in self.data)


# ---------------------------------------------------------------------------------------
# locks and tables of statements

_LOCKS = [
    (re.compile(r"^CREATE (UNIQUE )?INDEX CONCURRENTLY", re.I), "SHARE UPDATE EXCLUSIVE"),
    (re.compile(r"^(CREATE|DROP) (UNIQUE )?INDEX", re.I), "SHARE"),
    (re.compile(r"^ALTER TABLE .* VALIDATE CONSTRAINT", re.I), "SHARE UPDATE EXCLUSIVE"),
    (re.compile(r"^ALTER TABLE .* ADD CONSTRAINT .* FOREIGN KEY", re.I), "SHARE ROW EXCLUSIVE"),
    (re.compile(r"^CREATE (OR REPLACE )?TRIGGER", re.I), "SHARE ROW EXCLUSIVE"),
    (re.compile(r"^(ALTER|DROP) TABLE|^(CREATE|ALTER|DROP) POLICY|^TRUNCATE", re.I),
     "ACCESS EXCLUSIVE"),
    (re.compile(r"^(REFRESH|DROP) MATERIALIZED VIEW|^DROP VIEW", re.I), "ACCESS EXCLUSIVE"),
]  # fmt: skip

_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_TABLE_OF = [
    re.compile(rf"^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?({_NAME}\.{_NAME})", re.I),
    re.compile(
        rf"^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?\S+ ON (?:ONLY )?({_NAME}\.{_NAME})", re.I
    ),
    re.compile(rf"^(?:CREATE|ALTER|DROP) POLICY \S+ ON ({_NAME}\.{_NAME})", re.I),
    re.compile(rf"^CREATE (?:OR REPLACE )?TRIGGER .* ON ({_NAME}\.{_NAME})", re.I | re.S),
]


def lock_of(statement: str, change: Change | None) -> str:
    """The lock ``statement`` takes on the table it touches ("none" if it touches none)."""
    if change is not None and ACCESS_EXCLUSIVE in change.hazards:
        return "ACCESS EXCLUSIVE"
    if change is not None and SHARE_LOCK in change.hazards:
        return "SHARE"
    for pattern, lock in _LOCKS:
        if pattern.search(statement.lstrip()):
            return lock
    return "none"


def _unquote(part: str) -> str:
    return part[1:-1].replace('""', '"') if part.startswith('"') else part


def table_of(statement: str) -> QName | None:
    """The table a statement works on, when one can be read from it."""
    for pattern in _TABLE_OF:
        match = pattern.search(statement.lstrip())
        if match:
            parts = re.findall(_NAME, match.group(1))
            if len(parts) == 2:
                return (_unquote(parts[0]), _unquote(parts[1]))
    return None


def _display(name: QName) -> str:
    return name[1] if name[0] == "public" else f"{name[0]}.{name[1]}"


# ---------------------------------------------------------------------------------------
# row counts and checksums


def _count_and_checksum(conn: psycopg.Connection[Any], name: QName) -> tuple[int, str]:
    row = conn.execute(
        sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '')"
            " FROM {} AS r"
        ).format(sql.Identifier(*name))
    ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def _exists(conn: psycopg.Connection[Any], name: QName) -> bool:
    row = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (sql.Identifier(*name).as_string(conn),)
    ).fetchone()
    return bool(row and row[0])


def _target_rows(conn: psycopg.Connection[Any], names: Sequence[QName]) -> dict[QName, int]:
    """The target's row count per table: the planner's estimate, counted when never analyzed."""
    counts: dict[QName, int] = {}
    with conn.transaction():
        for name in names:
            row = conn.execute(
                "SELECT c.reltuples::bigint FROM pg_class AS c WHERE c.oid = to_regclass(%s)",
                (sql.Identifier(*name).as_string(conn),),
            ).fetchone()
            estimate = int(row[0]) if row and row[0] is not None else -1
            if estimate < 0:
                counted = conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(*name))
                ).fetchone()
                estimate = int(counted[0]) if counted else 0
            counts[name] = estimate
    return counts


# ---------------------------------------------------------------------------------------
# what a failure was about


_KEY = re.compile(r"^Key \((?P<cols>.*)\)=\(")
_TYPE = re.compile(
    rf"ALTER COLUMN (?P<col>{_NAME}) (?:SET DATA )?TYPE (?P<type>.+?)(?: USING (?P<using>.+))?$",
    re.I | re.S,
)


def _count(conn: psycopg.Connection[Any], query: sql.Composed) -> int | None:
    try:
        with conn.transaction():
            row = conn.execute(query).fetchone()
        return int(row[0]) if row and row[0] is not None else 0
    except psycopg.Error:
        return None


def _desired_constraint(
    desired: CatalogModel, schema: str | None, table: str | None, name: str | None
) -> str | None:
    c = desired.constraints.get((schema or "", table or "", name or ""))
    return c.definition if c else None


def _type_misfits(
    clone: psycopg.Connection[Any],
    table: QName | sql.Composable,
    column: str,
    new_type: str,
    using: str | None,
) -> tuple[int, str | None] | None:
    """Rows of ``table`` on the clone whose value does not convert to ``new_type``.

    Each row is converted as ALTER ... TYPE converts it (its USING expression, then an
    assignment to the new type), in a subtransaction of its own.
    """
    expr = using or column
    relation = sql.Identifier(*table) if isinstance(table, tuple) else table
    probe = (
        sql.SQL("INSERT INTO pg_temp.schemactl_probe SELECT {expr} FROM {t} WHERE ctid = r.ctid")
        .format(expr=sql.SQL(expr), t=relation)
        .as_string(clone)
    )
    rows = (
        sql.SQL("SELECT ctid, {col}::text AS v FROM {t} WHERE {col} IS NOT NULL")
        .format(col=sql.SQL(column), t=relation)
        .as_string(clone)
    )
    body = (
        "DECLARE r record; bad bigint := 0; example text; BEGIN "
        f"FOR r IN {rows} LOOP BEGIN {probe}; "
        "EXCEPTION WHEN others THEN bad := bad + 1; example := coalesce(example, r.v); END; "
        "END LOOP; INSERT INTO pg_temp.schemactl_misfits VALUES (bad, example); END"
    )
    try:
        with clone.transaction(force_rollback=True):
            clone.execute(
                sql.SQL("CREATE TEMP TABLE schemactl_probe (x {}) ON COMMIT DROP").format(
                    sql.SQL(new_type)
                )
            )
            clone.execute("CREATE TEMP TABLE schemactl_misfits (n bigint, example text)")
            clone.execute(sql.SQL("DO {}").format(sql.Literal(body)))
            row = clone.execute("SELECT n, example FROM pg_temp.schemactl_misfits").fetchone()
    except psycopg.Error:
        return None
    return (int(row[0]), row[1]) if row else None


def count_nulls(conn: psycopg.Connection[Any], table: QName, column: str) -> int | None:
    """Rows of ``table`` whose ``column`` is NULL."""
    return _count(
        conn,
        sql.SQL("SELECT count(*) FROM {} WHERE {} IS NULL").format(
            sql.Identifier(*table), sql.Identifier(column)
        ),
    )


def count_duplicates(conn: psycopg.Connection[Any], table: QName, columns: str) -> int | None:
    """Rows of ``table`` sharing the value of ``columns`` (rendered SQL) with another row."""
    cols = sql.SQL(columns)
    return _count(
        conn,
        sql.SQL(
            "SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {} WHERE ROW({}) IS NOT NULL"
            " GROUP BY {} HAVING count(*) > 1) AS d"
        ).format(sql.Identifier(*table), cols, cols),
    )


def count_violations(conn: psycopg.Connection[Any], table: QName, check: str) -> int | None:
    """Rows of ``table`` for which ``check`` (``CHECK (...)`` as rendered) is false."""
    return _count(
        conn,
        sql.SQL("SELECT count(*) FROM {} WHERE NOT ({})").format(
            sql.Identifier(*table), sql.SQL(check.removeprefix("CHECK "))
        ),
    )


def count_orphans(conn: psycopg.Connection[Any], fk: ForeignKey) -> int | None:
    """Rows of the child whose (non-NULL) key matches no row of the parent."""
    pairs = sql.SQL(" AND ").join(
        sql.SQL("p.{} = c.{}").format(sql.SQL(p), sql.SQL(k))
        for p, k in zip(fk.parent_columns, fk.columns, strict=True)
    )
    return _count(
        conn,
        sql.SQL(
            "SELECT count(*) FROM {t} AS c WHERE ROW({cols}) IS NOT NULL"
            " AND NOT EXISTS (SELECT FROM {p} AS p WHERE {pairs})"
        ).format(
            t=sql.Identifier(*fk.child),
            cols=sql.SQL(", ").join(sql.SQL("c.{}").format(sql.SQL(k)) for k in fk.columns),
            p=sql.SQL(fk.parent),
            pairs=pairs,
        ),
    )


_UNIQUE = re.compile(r"^(?:UNIQUE|PRIMARY KEY) \((?P<cols>[^)]*)\)$")
_UNIQUE_INDEX = re.compile(r"^CREATE UNIQUE INDEX .* USING \w+ \((?P<cols>.*)\)$")


def diagnose(
    exc: psycopg.Error,
    statement: str,
    target: psycopg.Connection[Any],
    clone: psycopg.Connection[Any],
    desired: CatalogModel,
) -> Failure:
    """Name the rows at fault behind a failed statement (counted on the target if possible)."""
    diag = exc.diag
    schema, table_name, column = diag.schema_name, diag.table_name, diag.column_name
    table: QName | None = (schema, table_name) if schema and table_name else table_of(statement)
    where = _display(table) if table else "?"
    sqlstate = exc.sqlstate
    error = one_line(diag.message_primary or str(exc))
    count: int | None = None
    message = error
    if sqlstate == "23502" and table and column:
        count = count_nulls(target, table, column)
        message = f"NOT NULL on {where}.{column}: {_n(count)} {_are(count)} NULL"
    elif sqlstate == "23505" and table:
        match = _KEY.match(diag.message_detail or "")
        if match:
            count = count_duplicates(target, table, match["cols"])
            message = (
                f"UNIQUE on {where} ({match['cols']}): {_n(count)} share a value with another "
                f"({one_line(diag.message_detail or '')})"
            )
    elif sqlstate == "23514" and table:
        definition = _desired_constraint(desired, table[0], table[1], diag.constraint_name)
        if definition and definition.startswith("CHECK "):
            count = count_violations(target, table, definition)
        message = f"CHECK {diag.constraint_name} on {where}: {_n(count)} violate it"
    elif sqlstate == "23503" and table:
        c = desired.constraints.get((table[0], table[1], diag.constraint_name or ""))
        fk = parse_foreign_key(c) if c else None
        if fk is not None:
            count = count_orphans(target, fk)
            message = (
                f"FOREIGN KEY {diag.constraint_name} on {where} ({', '.join(fk.columns)}) -> "
                f"{fk.parent}: {_n(count)} reference no row"
            )
    elif sqlstate and sqlstate.startswith("22") and table:
        match = _TYPE.search(statement)
        if match:
            found = _type_misfits(clone, table, match["col"], match["type"], match["using"])
            if found is not None:
                count, example = found
                example_note = f" (e.g. {one_line(example)[:40]!r})" if example else ""
                message = (
                    f"type change of {where}.{_unquote(match['col'])} to {match['type']}: "
                    f"{_n(count)} of the clone do not fit{example_note}: {error}"
                )
    return Failure(statement, sqlstate, error, count, message)


def target_checks(
    target: psycopg.Connection[Any], before: CatalogModel, desired: CatalogModel
) -> list[Failure]:
    """Rows of the target the new NOT NULLs, keys and checks would reject (all rows read).

    A sample can miss them: these counts run on the target itself (read-only), for every
    column that becomes NOT NULL and every constraint or unique index added or changed on
    a table that exists now.
    """
    found: list[Failure] = []

    def add(count: int | None, what: str, message: str) -> None:
        if count:
            found.append(Failure(what, None, "found on the target", count, message))

    for key, table in desired.tables.items():
        old = before.tables.get(key)
        if old is None:
            continue
        for col in table.columns:
            was = old.column(col.name)
            if col.not_null and was is not None and not was.not_null:
                n = count_nulls(target, key, col.name)
                add(
                    n,
                    f"NOT NULL {key[0]}.{key[1]}.{col.name}",
                    f"NOT NULL on {_display(key)}.{col.name}: {_n(n)} {_are(n)} NULL",
                )
    for ckey, c in desired.constraints.items():
        old_c = before.constraints.get(ckey)
        owner_table: QName = (c.schema, c.table)
        if owner_table not in before.tables or (
            old_c is not None and old_c.definition == c.definition
        ):
            continue
        if not c.validated:
            continue  # added NOT VALID: existing rows are not checked
        what = f"constraint {c.name} on {c.schema}.{c.table}"
        if c.kind == "c":
            n = count_violations(target, owner_table, c.definition)
            add(n, what, f"CHECK {c.name} on {_display(owner_table)}: {_n(n)} violate it")
        elif c.kind in ("u", "p") and (m := _UNIQUE.match(c.definition)):
            n = count_duplicates(target, owner_table, m["cols"])
            add(
                n,
                what,
                f"UNIQUE on {_display(owner_table)} ({m['cols']}): {_n(n)} share a value with another",
            )
        elif c.kind == "f" and (fk := parse_foreign_key(c)) is not None:
            n = count_orphans(target, fk)
            add(
                n,
                what,
                f"FOREIGN KEY {c.name} on {_display(owner_table)} ({', '.join(fk.columns)})"
                f" -> {fk.parent}: {_n(n)} reference no row",
            )
    for ikey, index in desired.indexes.items():
        old_i = before.indexes.get(ikey)
        if index.table not in before.tables or (old_i and old_i.definition == index.definition):
            continue
        m = _UNIQUE_INDEX.match(index.definition)
        if m and " WHERE " not in index.definition:
            n = count_duplicates(target, index.table, m["cols"])
            add(
                n,
                f"index {index.schema}.{index.name}",
                f"UNIQUE index {index.name} on "
                f"{_display(index.table)} ({m['cols']}): {_n(n)} share a value with another",
            )
    return found  # fmt: skip


def target_type_checks(
    target: psycopg.Connection[Any],
    clone: psycopg.Connection[Any],
    statements: Sequence[str],
    before: CatalogModel,
) -> list[Failure]:
    """Values of the target a type change cannot convert, though the clone's sample could.

    Each changed column's values are streamed from the target (read only) into a temporary
    table of the clone with the column's old type, and converted there one by one.
    """
    found = []
    for statement in statements:
        match = _TYPE.search(statement)
        table = table_of(statement)
        if match is None or table is None or table not in before.tables:
            continue
        column = _unquote(match["col"])
        old = before.tables[table].column(column)
        if old is None:
            continue
        values = sql.Identifier("pg_temp", "schemactl_values")
        try:
            with clone.transaction(force_rollback=True):
                clone.execute(
                    sql.SQL("CREATE TEMP TABLE schemactl_values ({} {})").format(
                        sql.Identifier(column), sql.SQL(old.data_type)
                    )
                )
                out = sql.SQL("COPY (SELECT {c} FROM {t} WHERE {c} IS NOT NULL) TO STDOUT").format(
                    c=sql.Identifier(column), t=sql.Identifier(*table)
                )
                into = sql.SQL("COPY {} FROM STDIN").format(values)
                with (
                    target.cursor() as tcur,
                    clone.cursor() as ccur,
                    tcur.copy(out) as reader,
                    ccur.copy(into) as writer,
                ):
                    for chunk in reader:
                        writer.write(chunk)
                misfits = _type_misfits(clone, values, match["col"], match["type"], match["using"])
        except psycopg.Error:
            continue
        if misfits and misfits[0]:
            count, example = misfits
            note = f" (e.g. {one_line(example)[:40]!r})" if example else ""
            found.append(
                Failure(
                    statement,
                    None,
                    "found on the target",
                    count,
                    f"type change of {_display(table)}.{column} to {match['type']}: "
                    f"{_n(count)} of the target do not fit{note}",
                )
            )
    return found


def _are(count: int | None) -> str:
    return "is" if count == 1 else "are"


def _n(count: int | None) -> str:
    if count is None:
        return "the rows (not counted)"
    return f"{count} row{'s' if count != 1 else ''}"


# ---------------------------------------------------------------------------------------
# the run


def _changed_tables(before: CatalogModel, after: CatalogModel) -> set[QName]:
    """Tables whose rows' text may change: columns added, dropped, retyped or reordered."""
    changed = set()
    for key, table in before.tables.items():
        new = after.tables.get(key)
        if new is None or new.columns != table.columns:
            changed.add(key)
    return changed


def _data_loss(
    target: psycopg.Connection[Any], result: DiffResult, before: CatalogModel
) -> list[str]:
    """What a destructive change throws away, counted on the target."""
    lost = []
    for change in result.destructive:
        parts = change.name.split(".")
        if change.kind == "column" and change.action == "drop" and len(parts) == 3:
            table, column = (parts[0], parts[1]), parts[2]
            if table in before.tables:
                n = _count(
                    target,
                    sql.SQL("SELECT count(*) FROM {} WHERE {} IS NOT NULL").format(
                        sql.Identifier(*table), sql.Identifier(column)
                    ),
                )
                lost.append(f"drop column {change.name}: {_n(n)} hold a value that is lost")
        elif change.kind == "table" and change.action == "drop" and len(parts) == 2:
            if (parts[0], parts[1]) in before.tables:
                n = _count(
                    target, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(*parts))
                )
                lost.append(f"drop table {change.name}: {_n(n)} are lost")
        else:
            lost.append(f"{change.action} {change.kind} {change.name}: {'; '.join(change.hazards)}")
    return lost


def _refuse_unsafe(result: DiffResult, target: str, allow_destructive: bool) -> None:
    if result.unsupported:
        raise RefusedError(
            f"{target}: the plan lists {len(result.unsupported)} difference(s) it cannot "
            "migrate: apply would refuse it, there is nothing to prove",
            hint="migrate these by hand (or change the files), then plan again",
        )
    if result.destructive and not allow_destructive:
        names = ", ".join(f"{c.action} {c.kind} {c.name}" for c in result.destructive[:5])
        raise RefusedError(
            f"{target}: {len(result.destructive)} destructive change(s): {names}; nothing was run",
            hint="review them, then pass --allow-destructive: the proof counts the rows they lose",
        )


def prove_diff(
    result: DiffResult,
    desired: CatalogModel,
    database_url: str,
    *,
    schemas: Sequence[str] | None = None,
    known_schemas: Sequence[str] = (),
    plan_sha256: str = "",
    expected_fingerprint: str | None = None,
    clone_url: str | None = None,
    rows: int | None = 1000,
    allow_destructive: bool = False,
) -> Proof:
    """Apply ``result`` to a clone of ``database_url`` and check state, data and time.

    ``desired`` is the model the target must have after the migration; ``schemas`` the
    schemas compared (default: the managed ones of the target, the desired model and
    ``known_schemas``, as a plan file lists them).
    ``expected_fingerprint``: the target's fingerprint the plan was made on; a target
    that changed since is refused (a proof of another schema proves nothing). The clone
    lives on ``clone_url``'s server (default: the embedded server) and is always dropped.
    ``rows`` per table are copied (None: all).
    """
    target_name = mask_dsn(database_url)
    _refuse_unsafe(result, target_name, allow_destructive)
    started = time.perf_counter()
    if clone_url is None:
        from schemactl.db.embedded import start

        clone_url = start()
    with open_target(database_url) as target:
        with target.transaction():
            present = set(list_schemas(target)) | set(desired.schemas) | set(known_schemas)
        scope = managed_schemas(present, schemas)
        with target.transaction():
            from schemactl.partitions import managed_tables_of
            from schemactl.partitions.drift import without_managed

            # read as the plan's diff read it: partitions `partitions ensure` made left out
            before = without_managed(introspect(target, scope), managed_tables_of(target), desired)
        before_print = fingerprint(before)
        if expected_fingerprint is not None and before_print != expected_fingerprint:
            from schemactl.errors import ConfigError

            raise ConfigError(
                f"{target_name}: the schema changed since the plan was made (its catalog "
                f"fingerprint is no longer {expected_fingerprint[:12]}): nothing to prove",
                hint="make a new plan against the database as it is now, then prove that",
            )
        proof = Proof(
            plan_sha256=plan_sha256,
            target=target_name,
            target_fingerprint=before_print,
            desired_fingerprint=fingerprint(desired),
            clone_server=mask_dsn(clone_url),
            rows_per_table=rows,
        )
        with target.transaction():
            proof.data_loss = _data_loss(target, result, before)
        tables = leaf_tables(before)
        target_rows = _target_rows(target, tables)
        with clone_database(target, before, desired, scope, server=clone_url, rows=rows) as clone:
            proof.warnings.extend(clone.warnings)
            if rows is not None and clone.closure_rows:
                proof.warnings.append(
                    f"{clone.closure_rows} parent row(s) copied beyond the sample so that "
                    "every foreign key holds on the clone"
                )
            conn = connect(clone.url, lock_timeout=None, autocommit=True)
            try:
                sums = {name: _count_and_checksum(conn, name) for name in tables}
                proof.seconds["clone"] = time.perf_counter() - started
                applying = time.perf_counter()
                _apply(proof, result, conn, target, desired, sums, target_rows)
                proof.seconds["apply"] = time.perf_counter() - applying
                comparing = time.perf_counter()
                if not proof.failures:
                    after = introspect(conn, scope)
                    left = diff_catalogs(after, desired)
                    proof.differences = [f"{c.action} {c.kind} {c.name}" for c in left.changes] + [
                        f"not handled: {u}" for u in left.unsupported
                    ]
                    proof.data = _check_data(conn, sums, _changed_tables(before, desired))
                if rows is not None:
                    # the sample may hold none of the rows at fault: count them on the target
                    seen = {
                        (f.sqlstate is not None, f.message.split(":")[0]) for f in proof.failures
                    }
                    for found in target_checks(target, before, desired):
                        if (True, found.message.split(":")[0]) not in seen:
                            proof.failures.append(found)
                    if not proof.failures:
                        ran = [s.statement for s in proof.statements]
                        proof.failures.extend(target_type_checks(target, conn, ran, before))
                proof.seconds["compare"] = time.perf_counter() - comparing
            except psycopg.Error as exc:
                raise database_error(exc) from None
            finally:
                conn.close()
        proof.seconds["drop"] = clone.drop_seconds
    proof.seconds["total"] = time.perf_counter() - started
    return proof


def _apply(
    proof: Proof,
    result: DiffResult,
    conn: psycopg.Connection[Any],
    target: psycopg.Connection[Any],
    desired: CatalogModel,
    sums: dict[QName, tuple[int, str]],
    target_rows: dict[QName, int],
) -> None:
    """Run the statements as apply does, timing each; stop at the first failure."""
    owner: dict[str, Change] = {}
    for c in result.changes:
        for stmt in c.sql:
            owner.setdefault(stmt, c)
    first, rest = committed_first(result)
    batches = [b for b in (first, rest) if b]
    for index, batch in enumerate(batches):
        failed: tuple[psycopg.Error, str] | None = None
        try:
            with conn.transaction():
                for position, statement in enumerate(batch):
                    t0 = time.perf_counter()
                    try:
                        conn.execute(statement.encode())
                    except psycopg.Error as exc:
                        failed = (exc, statement)
                        proof.not_run = list(batch[position + 1 :])
                        for later in batches[index + 1 :]:
                            proof.not_run.extend(later)
                        raise
                    seconds = time.perf_counter() - t0
                    proof.statements.append(
                        _timing(statement, seconds, owner.get(statement), sums, target_rows)
                    )
        except psycopg.Error:
            if failed is None:
                raise
            # rolled back: the clone can be queried again to count the rows at fault
            proof.failures.append(diagnose(failed[0], failed[1], target, conn, desired))
            proof.not_run.extend(result.outside)
            return
    # CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT (a plan made with --concurrently): after
    # the transaction commits, each alone, as apply runs them
    for position, statement in enumerate(result.outside):
        t0 = time.perf_counter()
        try:
            conn.execute(statement.encode())
        except psycopg.Error as exc:
            proof.failures.append(diagnose(exc, statement, target, conn, desired))
            proof.not_run.extend(result.outside[position + 1 :])
            return
        seconds = time.perf_counter() - t0
        proof.statements.append(
            _timing(statement, seconds, owner.get(statement), sums, target_rows)
        )


def _timing(
    statement: str,
    seconds: float,
    change: Change | None,
    sums: dict[QName, tuple[int, str]],
    target_rows: dict[QName, int],
) -> StatementTiming:
    table = table_of(statement)
    clone_rows = sums[table][0] if table in sums else None
    rows_there = target_rows.get(table) if table else None
    estimate: float | None = seconds
    if clone_rows is not None and rows_there is not None and rows_there > clone_rows:
        estimate = seconds * rows_there / clone_rows if clone_rows else None
    return StatementTiming(
        statement=statement,
        seconds=seconds,
        lock=lock_of(statement, change),
        table=_display(table) if table else None,
        clone_rows=clone_rows,
        target_rows=rows_there,
        estimate_seconds=estimate,
    )


def _check_data(
    conn: psycopg.Connection[Any], sums: dict[QName, tuple[int, str]], changed: set[QName]
) -> list[TableCheck]:
    checks = []
    for name, (count, checksum) in sorted(sums.items()):
        shown = _display(name)
        if not _exists(conn, name):
            checks.append(TableCheck(shown, "dropped", count, None, True, "table dropped"))
            continue
        after_count, after_sum = _count_and_checksum(conn, name)
        if count == 0:
            checks.append(TableCheck(shown, "empty: nothing proved", 0, after_count, True))
        elif name in changed:
            ok = after_count == count
            note = "" if ok else f"{count - after_count} row(s) lost"
            checks.append(TableCheck(shown, "count", count, after_count, ok, note))
        else:
            ok = after_sum == checksum and after_count == count
            note = "" if ok else "rows changed by a migration that leaves the table's columns alone"
            checks.append(TableCheck(shown, "checksum", count, after_count, ok, note))
    return checks


# ---------------------------------------------------------------------------------------
# the proof file


def proof_as_data(proof: Proof) -> dict[str, Any]:
    """The proof as plain data (the proof file's content, without its hash)."""
    return {
        "format": PROOF_FORMAT,
        "version": PROOF_VERSION,
        "ok": proof.ok,
        "plan_sha256": proof.plan_sha256,
        "target": proof.target,
        "target_fingerprint": proof.target_fingerprint,
        "desired_fingerprint": proof.desired_fingerprint,
        "clone": {"server": proof.clone_server, "rows_per_table": proof.rows_per_table},
        "failures": [vars(f) for f in proof.failures],
        "not_run": proof.not_run,
        "state": {"converged": not proof.differences and not proof.failures,
                  "differences": proof.differences},
        "data": [vars(c) for c in proof.data],
        "data_loss": proof.data_loss,
        "statements": [vars(s) for s in proof.statements],
        "warnings": proof.warnings,
        "seconds": {k: round(v, 4) for k, v in proof.seconds.items()},
    }  # fmt: skip


def proof_to_json(proof: Proof) -> str:
    """The proof file's text (keys sorted)."""
    return json.dumps(proof_as_data(proof), sort_keys=True, indent=2) + "\n"


class ProofFileError(SchemactlError):
    """A proof file cannot be read (exit 2)."""


def read_proof(path: Path | str) -> dict[str, Any]:
    """The proof file at ``path`` as data (exit 2 if it is not one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ProofFileError(
            f"{path}: cannot read the proof file: {getattr(exc, 'strerror', None) or exc}",
            hint="write one with `schemactl prove PLAN -o FILE`",
        ) from None
    if not isinstance(data, dict) or data.get("format") != PROOF_FORMAT:
        raise ProofFileError(f"{path}: not a schemactl proof file")
    if data.get("version") != PROOF_VERSION:
        raise ProofFileError(f"{path}: proof file version {data.get('version')!r} is not 1")
    return data


def check_proof(
    plan_sha256: str, plan_fingerprint: str, proof: dict[str, Any], target_fingerprint: str
) -> None:
    """Refuse (exit 3) unless ``proof`` proved this plan, on this target's schema, with success.

    ``plan_fingerprint`` is the target fingerprint the plan was made on;
    ``target_fingerprint`` the target's now.
    """
    if proof.get("plan_sha256") != plan_sha256:
        raise RefusedError(
            "the proof is of another plan (its plan_sha256 differs); nothing was changed",
            hint="prove this plan: `schemactl prove PLAN --database-url URL -o proof.json`",
        )
    if proof.get("target_fingerprint") != plan_fingerprint:
        raise RefusedError(
            "the proof was made on another schema than the plan's; nothing was changed",
            hint="plan and prove again against the database as it is now",
        )
    if target_fingerprint != plan_fingerprint:
        raise RefusedError(
            "the target's schema changed since the plan was made and proved; nothing was changed",
            hint="plan and prove again against the database as it is now",
        )
    if proof.get("ok") is not True:
        failures = proof.get("failures")
        first = failures[0] if isinstance(failures, list) and failures else None
        why = first.get("message") if isinstance(first, dict) else None
        raise RefusedError(
            f"the proof failed{': ' + one_line(str(why)) if why else ''}; nothing was changed",
            hint="fix the plan (or the data), plan and prove again",
        )
