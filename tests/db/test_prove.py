"""prove on real servers: each failure caught with the rows named, a safe plan on the platform
schema with rows in every table proved, the clone always dropped, the target never written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from prove_rows import fill_platform
from schemactl.core.catalog import CatalogModel
from schemactl.core.diff import DiffResult, diff_catalogs
from schemactl.db.introspect import introspect, list_schemas, managed_schemas
from schemactl.db.snapshot import catalog_snapshot
from schemactl.errors import EXIT_REFUSED, RefusedError
from schemactl.prove import run as prove_run
from schemactl.prove.run import Proof, prove_diff
from schemactl.testing.server import (
    DatabaseReaper,
    TestServer,
    clone_database,
    create_database,
    unique_name,
)

pytestmark = pytest.mark.db


def load(url: str, text: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


def model_of(url: str) -> CatalogModel:
    with psycopg.connect(url) as conn:
        return introspect(conn, managed_schemas(list_schemas(conn)))


def clones_left(server: TestServer) -> list[str]:
    with psycopg.connect(server.admin_url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'schemactl\\_prove\\_%'"
        ).fetchall()
    return [r[0] for r in rows]


def row_checksums(url: str) -> dict[str, tuple[int, str]]:
    """count and md5 of the ordered row texts of every table of the managed schemas."""
    out = {}
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
        ).fetchall()
        for schema, name in tables:
            row = conn.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '')"
                    " FROM {} AS r"
                ).format(sql.Identifier(schema, name))
            ).fetchone()
            assert row is not None
            out[f"{schema}.{name}"] = (row[0], row[1])
    return out


@pytest.fixture
def desired_db(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> Iterator[str]:
    """An empty database to build the desired schema in."""
    name = unique_name("sct_want")
    create_database(schemactl_admin, name, template="template0")
    try:
        yield schemactl_server.url_for(name)
    finally:
        schemactl_reaper.drop(name)


Prover = Callable[..., tuple[Proof, DiffResult]]


@pytest.fixture
def prove(schemactl_server: TestServer) -> Prover:
    """prove_diff of target -> desired, the clone on the test server; checks nothing leaks."""

    def run(target: str, desired: str, **options: Any) -> tuple[Proof, DiffResult]:
        want = model_of(desired)
        before_catalog = _catalog(target)
        before_rows = row_checksums(target)
        result = diff_catalogs(model_of(target), want)
        try:
            proof = prove_diff(
                result, want, target, clone_url=schemactl_server.admin_url, **options
            )
        finally:
            # nothing written to the target, the clone dropped
            assert _catalog(target) == before_catalog
            assert row_checksums(target) == before_rows
            assert clones_left(schemactl_server) == []
        return proof, result

    return run


def _catalog(url: str) -> Any:
    with psycopg.connect(url) as conn:
        return catalog_snapshot(conn)


TABLE = "CREATE TABLE transfers (id int PRIMARY KEY, agent_id int, name text, size bigint);"


def test_not_null_over_nulls(schemactl_empty_db: str, desired_db: str, prove: Prover) -> None:
    load(schemactl_empty_db, TABLE + "INSERT INTO transfers SELECT g, CASE WHEN g % 500 = 0"
         " THEN NULL ELSE g END, 'f' || g, g FROM generate_series(1, 1500) g")  # fmt: skip
    load(desired_db, TABLE.replace("agent_id int", "agent_id int NOT NULL"))
    proof, _ = prove(schemactl_empty_db, desired_db, rows=None)
    assert not proof.ok
    (failure,) = proof.failures
    assert failure.message == "NOT NULL on transfers.agent_id: 3 rows are NULL"
    assert failure.rows_at_fault == 3 and failure.sqlstate == "23502"
    assert (
        failure.statement == 'ALTER TABLE "public"."transfers" ALTER COLUMN "agent_id" SET NOT NULL'
    )
    # a sample of 100 rows holds none of them: the target is counted all the same
    proof, _ = prove(schemactl_empty_db, desired_db, rows=100)
    assert not proof.ok
    assert [f.message for f in proof.failures] == [
        "NOT NULL on transfers.agent_id: 3 rows are NULL"
    ]
    assert proof.failures[0].error == "found on the target"


def test_unique_index_over_duplicates(
    schemactl_empty_db: str, desired_db: str, prove: Prover
) -> None:
    load(schemactl_empty_db, TABLE + "INSERT INTO transfers SELECT g, g, 'f' || (g % 998), g"
         " FROM generate_series(1, 1000) g")  # fmt: skip
    load(desired_db, TABLE + "CREATE UNIQUE INDEX transfers_name ON transfers (name);")
    proof, _ = prove(schemactl_empty_db, desired_db, rows=None)
    (failure,) = proof.failures
    assert failure.sqlstate == "23505" and failure.rows_at_fault == 4
    assert failure.message.startswith("UNIQUE on transfers (name): 4 rows share a value")
    assert failure.statement.startswith("CREATE UNIQUE INDEX")


def test_check_over_violations(schemactl_empty_db: str, desired_db: str, prove: Prover) -> None:
    load(schemactl_empty_db, TABLE + "INSERT INTO transfers SELECT g, g, 'f', g - 5"
         " FROM generate_series(1, 800) g")  # fmt: skip
    load(desired_db, TABLE + "ALTER TABLE transfers ADD CONSTRAINT size_ok CHECK (size > 0);")
    proof, _ = prove(schemactl_empty_db, desired_db, rows=None)
    (failure,) = proof.failures
    assert failure.sqlstate == "23514"
    assert failure.message == "CHECK size_ok on transfers: 5 rows violate it"


def test_narrowing_type_change(schemactl_empty_db: str, desired_db: str, prove: Prover) -> None:
    load(schemactl_empty_db, TABLE + "INSERT INTO transfers SELECT g, g, 'f', g::bigint * 1000000"
         " FROM generate_series(1, 3000) g")  # fmt: skip
    load(desired_db, TABLE.replace("size bigint", "size integer"))
    proof, result = prove(schemactl_empty_db, desired_db, rows=None, allow_destructive=True)
    assert result.destructive  # a narrowing is a lossy type change
    (failure,) = proof.failures
    assert failure.sqlstate == "22003"
    # 2147483647 / 1e6: rows 2148..3000 do not fit in integer
    assert failure.rows_at_fault == 853
    assert failure.message.startswith("type change of transfers.size to integer: 853 rows")
    # a sample of 100 rows fits: every value of the target is converted on the clone too
    proof, _ = prove(schemactl_empty_db, desired_db, rows=100, allow_destructive=True)
    (failure,) = proof.failures
    assert (failure.error, failure.rows_at_fault) == ("found on the target", 853)
    assert failure.message == (
        "type change of transfers.size to integer: 853 rows of the target do not fit"
        " (e.g. '2148000000')"
    )


def test_dropped_column_with_data(schemactl_empty_db: str, desired_db: str, prove: Prover) -> None:
    load(schemactl_empty_db, TABLE + "INSERT INTO transfers SELECT g, g, CASE WHEN g > 10"
         " THEN 'f' END, g FROM generate_series(1, 40) g")  # fmt: skip
    load(desired_db, TABLE.replace(" name text,", ""))
    with pytest.raises(RefusedError) as refused:
        prove(schemactl_empty_db, desired_db)
    assert refused.value.exit_code == EXIT_REFUSED
    assert "drop column public.transfers.name" in refused.value.message
    proof, _ = prove(schemactl_empty_db, desired_db, allow_destructive=True)
    assert proof.ok
    assert proof.data_loss == [
        "drop column public.transfers.name: 30 rows hold a value that is lost"
    ]
    (check,) = proof.data
    assert (check.table, check.check, check.before, check.after) == ("transfers", "count", 40, 40)


def test_foreign_key_over_orphans(schemactl_empty_db: str, desired_db: str, prove: Prover) -> None:
    agents = "CREATE TABLE agents (id int PRIMARY KEY);"
    load(schemactl_empty_db, agents + TABLE + "INSERT INTO agents SELECT generate_series(1, 90);"
         "INSERT INTO transfers SELECT g, g % 100, 'f', g FROM generate_series(1, 2000) g")  # fmt: skip
    load(desired_db, agents + TABLE.replace("agent_id int", "agent_id int REFERENCES agents"))
    proof, _ = prove(schemactl_empty_db, desired_db, rows=None)
    (failure,) = proof.failures
    assert failure.sqlstate == "23503"
    # g % 100 in 0 and 91..99: 10 of every 100 rows
    assert failure.message == (
        "FOREIGN KEY transfers_agent_id_fkey on transfers (agent_id) -> public.agents: "
        "200 rows reference no row"
    )
    # sampled: every sampled child's parent is copied, so only real orphans can fail it
    proof, _ = prove(schemactl_empty_db, desired_db, rows=50)
    assert [f.rows_at_fault for f in proof.failures] == [200]


def test_clone_dropped_on_interrupt(
    schemactl_empty_db: str,
    desired_db: str,
    prove: Prover,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(schemactl_empty_db, TABLE + "INSERT INTO transfers VALUES (1, 1, 'a', 1)")
    load(desired_db, TABLE + "CREATE INDEX t_name ON transfers (name);")

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(prove_run, "_apply", interrupted)
    with pytest.raises(KeyboardInterrupt):
        prove(schemactl_empty_db, desired_db)  # the fixture asserts the clone is gone


def test_safe_plan_on_the_platform_schema(
    schemactl_db_url: str,
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_template: str,
    schemactl_reaper: DatabaseReaper,
    prove: Prover,
) -> None:
    fill_platform(schemactl_db_url)
    name = unique_name("sct_want")
    clone_database(schemactl_admin, schemactl_template, name)
    try:
        desired = schemactl_server.url_for(name)
        load(
            desired,
            """
            ALTER TABLE public.transfers ADD COLUMN note text DEFAULT 'none';
            CREATE INDEX transfers_note ON public.transfers (note);
            ALTER TABLE public.agents ADD CONSTRAINT agents_name_len CHECK (length(name) < 500);
            COMMENT ON TABLE public.projects IS 'projects of a company';
            """,
        )
        proof, result = prove(schemactl_db_url, desired, rows=1000)
    finally:
        schemactl_reaper.drop(name)
    assert len(result.statements) == 5  # the CHECK: added NOT VALID, then validated
    assert proof.ok, (proof.failures, proof.differences, proof.warnings)
    assert proof.differences == [] and proof.failures == []
    checks = {c.table: c for c in proof.data}
    assert checks["transfers"].check == "count"
    assert checks["agents"].check == "checksum" and checks["agents"].before > 0
    # rows in every table: each one proved something
    assert [c.table for c in proof.data if c.check.startswith("empty")] == []
    assert all(c.before == c.after for c in proof.data)
    locks = {
        s.statement.split(" ")[0] + " " + s.statement.split(" ")[1]: s.lock
        for s in proof.statements
    }
    assert locks["CREATE INDEX"] == "SHARE"
    assert all(s.seconds >= 0 and s.estimate_seconds is not None for s in proof.statements)
    assert set(proof.seconds) == {"clone", "apply", "compare", "drop", "total"}
