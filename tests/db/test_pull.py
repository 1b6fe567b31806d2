"""``schemactl pull``: the round trip is the test.

A database is pulled into a tree of files; the tree is ordered by schemactl's own engine
(``api.order``) and applied to a fresh database; the diff between the original and the copy
must be empty, and pulling the copy must give the same bytes. Proven on the platform
schema (sql/), on the ``b.sql`` of every diff case (tests/cases/diff; a sample in CI, all of
them with ``make pull-roundtrip``) and on one schema with every kind the diff handles.
"""

from __future__ import annotations

import os
import random
import re
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from faults import Databases
from schemactl import api
from schemactl.diff import diff_databases
from schemactl.pull import pull_layout, write_layout
from schemactl.pull.layout import OTHER_FILE
from schemactl.testing.server import (
    drop_database,
)

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "cases" / "diff"
ROLE_WORD = re.compile(r"\bdiffcase_(reader|writer)\b")

# Every diff case takes ~1 s per server; CI runs a sample, `make pull-roundtrip` all of them.
ENV_ALL = "SCHEMACTL_PULL_ALL_CASES"
SAMPLE = 12


def run_sql(url: str, text: str) -> None:
    """Run ``text`` as one implicit transaction (as ``psql -1`` would)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


def has_auth(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT to_regprocedure('auth.uid()') IS NOT NULL").fetchone()
        return bool(row and row[0])


def round_trip(dbs: Databases, original: str, tmp: Path) -> dict[str, str]:
    """Pull ``original``, order and apply the tree to a fresh database, check both; the tree."""
    tree = pull_layout(original)
    assert OTHER_FILE not in tree.files, tree.files.get(OTHER_FILE)
    target = tmp / "pulled"
    result = write_layout(tree, target)
    assert set(result.files) == set(tree.files)
    for relpath, text in tree.files.items():
        assert (target / relpath).read_text(encoding="utf-8") == text

    if not tree.files:  # nothing in the managed schemas: as a fresh database
        assert not diff_databases(original, dbs.create()).has_drift
        assert target.is_dir()
        return tree.files
    plan = api.order(target)  # schemactl's own order: file names do not matter
    assert len(plan.files) == len(tree.files)
    copy = dbs.create()
    # the auth compat layer only where the original has auth.uid() (it grants on public)
    api.apply(target, database_url=copy, auth_shim="always" if has_auth(original) else "never")

    drift = diff_databases(original, copy)
    assert not drift.has_drift, (drift.statements, drift.unsupported)
    again = pull_layout(copy)
    assert again.files == tree.files  # the same bytes
    return tree.files


def test_platform_schema_round_trips(databases: Databases, tmp_path: Path) -> None:
    original = databases.create()
    api.apply(ROOT / "sql", database_url=original)
    files = round_trip(databases, original, tmp_path)
    tables = [p for p in files if p.startswith("tables/")]
    assert len(tables) == 20
    assert "partitions/agent_telemetry.sql" in files
    assert "views/project_realtime_stats.sql" in files
    assert "schemas/private.sql" in files
    policies = files["policies/agents.sql"]
    assert "ALTER TABLE public.agents ENABLE ROW LEVEL SECURITY;" in policies
    assert "CREATE POLICY agents_select ON public.agents\n  AS PERMISSIVE\n  FOR SELECT" in policies
    assert "GRANT SELECT (capabilities, created_at, id," in files["tables/agents.sql"]



def test_partitions_made_by_ensure_are_not_pulled(databases: Databases, tmp_path: Path) -> None:
    """The files keep the partitions they define; ensure's own (recorded in
    schemactl.managed_partitions) are made by ensure, not written into the tree."""
    from partitions_world import month_name, partitions_of, write_project
    from schemactl import partitions

    original = databases.create()
    api.apply(ROOT / "sql", database_url=original)
    partitions.ensure(database_url=original, project_dir=write_project(tmp_path / "project"))
    with psycopg.connect(original) as conn:
        assert month_name(1) in partitions_of(conn)
    tree = pull_layout(original)
    text = "\n".join(tree.files.values())
    assert month_name(1) not in text
    assert "schemactl_partitions_horizon" not in text
    assert "agent_telemetry_2025_01" in tree.files["partitions/agent_telemetry.sql"]

EVERY_KIND = """
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
CREATE TYPE app.status AS ENUM ('new', 'active', 'done');
CREATE DOMAIN app.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0) NOT NULL;
CREATE TYPE app.pair AS (a integer, b text);
CREATE SEQUENCE app.ticket START 100 INCREMENT 5 CACHE 2;
CREATE UNLOGGED TABLE app.scratch (id integer);
CREATE TABLE app.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10) PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    status app.status NOT NULL DEFAULT 'new',
    amount app.positive,
    total numeric GENERATED ALWAYS AS (amount * 2) STORED,
    ticket integer DEFAULT nextval('app.ticket'),
    "Mixed Case" text COLLATE "C",
    CONSTRAINT email_length CHECK (length(email::text) < 200) NOT VALID
) WITH (fillfactor = 80);
COMMENT ON TABLE app.accounts IS 'who pays';
COMMENT ON COLUMN app.accounts.email IS 'login; it''s unique';
COMMENT ON CONSTRAINT email_length ON app.accounts IS 'short enough';
CREATE INDEX accounts_status ON app.accounts (status) WHERE status <> 'done';
CREATE TABLE app.events (
    id bigserial,
    account_id bigint REFERENCES app.accounts (id) ON DELETE CASCADE,
    at date NOT NULL,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.status := 'active';
  RETURN NEW;
END
$$;
CREATE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
CREATE FUNCTION app.double(x text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT x || x';
CREATE PROCEDURE app.noop() LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION app.double(text) FROM PUBLIC;
COMMENT ON FUNCTION app.double(integer) IS 'twice';
CREATE TRIGGER accounts_touch BEFORE UPDATE ON app.accounts
    FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.accounts DISABLE TRIGGER accounts_touch;
COMMENT ON TRIGGER accounts_touch ON app.accounts IS 'marks updates';
ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON app.accounts AS RESTRICTIVE FOR UPDATE TO PUBLIC
    USING (status <> 'done') WITH CHECK (amount IS NOT NULL);
CREATE POLICY everyone ON app.accounts FOR SELECT USING (true);
COMMENT ON POLICY own ON app.accounts IS 'no edits once done';
CREATE VIEW app.active WITH (security_invoker = true) AS
    SELECT id, email FROM app.accounts WHERE status = 'active';
CREATE MATERIALIZED VIEW app.totals AS SELECT status, count(*) AS n FROM app.accounts GROUP BY status;
CREATE UNIQUE INDEX totals_status ON app.totals (status);
COMMENT ON VIEW app.active IS 'who is active';
GRANT USAGE ON SCHEMA app TO PUBLIC;
GRANT SELECT ON app.active TO PUBLIC;
GRANT SELECT (id, email), UPDATE (status) ON app.accounts TO PUBLIC;
GRANT INSERT ON app.accounts TO pull_reader WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE pull_reader IN SCHEMA app GRANT SELECT ON SEQUENCES TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE TABLE app.after_defaults (id integer);
REVOKE SELECT ON app.after_defaults FROM PUBLIC;
CREATE TABLE public.plain (id integer);
COMMENT ON SCHEMA public IS 'ours now';
CREATE TABLE app.bookings (
    room integer NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)
);
CREATE FUNCTION app.active_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END
$$;
CREATE TRIGGER active_insert INSTEAD OF INSERT ON app.active
    FOR EACH ROW EXECUTE FUNCTION app.active_insert();
GRANT SELECT (email) ON app.active TO PUBLIC;
CREATE RULE keep AS ON DELETE TO public.plain DO INSTEAD NOTHING;
CREATE STATISTICS app.accounts_status_amount (dependencies) ON status, amount FROM app.accounts;
"""


@pytest.fixture
def reader_role(schemactl_admin: psycopg.Connection[Any], databases: Databases) -> Iterator[str]:
    """A NOLOGIN role of this test's own (roles are cluster-wide), dropped after it."""
    role = f"pull_reader_{uuid.uuid4().hex[:10]}"
    schemactl_admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    try:
        yield role
    finally:
        for name in databases.names:  # what the role holds goes with the databases
            drop_database(schemactl_admin, name)
        databases.names.clear()
        schemactl_admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_every_kind_round_trips(databases: Databases, reader_role: str, tmp_path: Path) -> None:
    original = databases.create()
    run_sql(original, EVERY_KIND.replace("pull_reader", reader_role))
    files = round_trip(databases, original, tmp_path)
    assert set(files) >= {
        "extensions/citext.sql",
        "schemas/app.sql",
        "schemas/public.sql",
        "schemas/default_privileges.sql",
        "types/app.status.sql",
        "types/app.positive.sql",
        "types/app.pair.sql",
        "sequences/app.ticket.sql",
        "tables/app.accounts.sql",
        "tables/app.events.sql",
        "partitions/app.events.sql",
        "policies/app.accounts.sql",
        "functions/app.double.sql",
        "functions/app.touch.sql",
        "functions/app.noop.sql",
        "views/app.active.sql",
        "views/app.totals.sql",
    }
    accounts = files["tables/app.accounts.sql"]
    assert '"Mixed Case" text COLLATE "C"' in accounts
    assert "COMMENT ON COLUMN app.accounts.email IS 'login; it''s unique';" in accounts
    assert "CREATE INDEX accounts_status" in accounts
    policies = files["policies/app.accounts.sql"]
    assert "FORCE ROW LEVEL SECURITY" in policies
    assert "DISABLE TRIGGER accounts_touch" in policies
    assert files["functions/app.double.sql"].count("CREATE OR REPLACE FUNCTION") == 2
    assert "EXCLUDE USING gist (during WITH &&)" in files["tables/app.bookings.sql"]
    assert "INSTEAD OF INSERT ON app.active" in files["views/app.active.sql"]
    # kinds the diff does not handle but the server renders whole: written with their table
    assert "CREATE RULE keep AS" in files["tables/plain.sql"]
    assert "CREATE STATISTICS app.accounts_status_amount" in accounts
    assert pull_layout(original).unsupported == ()


def test_kinds_it_cannot_write_are_listed(databases: Databases, tmp_path: Path) -> None:
    original = databases.create()
    run_sql(
        original,
        "CREATE TABLE plain (id integer);"
        "CREATE AGGREGATE total(integer) (sfunc = int4pl, stype = integer);",
    )
    tree = pull_layout(original)
    assert tree.unsupported == ("aggregate public.total(integer)",)
    assert list(tree.files) == ["tables/plain.sql"]
    assert all("AGGREGATE" not in text for text in tree.files.values())


# ------------------------------------------------------------------ the diff corpus


def case_names() -> list[str]:
    names = sorted(p.name for p in CASES_DIR.iterdir() if (p / "b.sql").exists())
    if os.environ.get(ENV_ALL):
        return names
    return sorted(random.Random(9).sample(names, SAMPLE))


def case_roles(folder: Path) -> list[str]:
    toml = folder / "case.toml"
    if not toml.exists():
        return []
    return list(tomllib.loads(toml.read_text(encoding="utf-8")).get("roles", []))


@pytest.mark.parametrize("case", case_names())
def test_diff_case_round_trips(
    case: str, databases: Databases, schemactl_admin: psycopg.Connection[Any], tmp_path: Path
) -> None:
    folder = CASES_DIR / case
    text = (folder / "b.sql").read_text(encoding="utf-8")
    roles = {r: f"{r}_{uuid.uuid4().hex[:10]}" for r in case_roles(folder)}
    text = ROLE_WORD.sub(lambda m: roles.get(m.group(0), m.group(0)), text)
    for role in roles.values():
        schemactl_admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    try:
        original = databases.create()
        run_sql(original, text)
        round_trip(databases, original, tmp_path)
    finally:
        if roles:  # they hold privileges in the databases: drop those first, then them
            for name in databases.names:
                drop_database(schemactl_admin, name)
            databases.names.clear()
            names = sql.SQL(", ").join(sql.Identifier(r) for r in roles.values())
            schemactl_admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(names))
