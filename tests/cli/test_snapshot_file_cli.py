"""`schemactl snapshot` and snapshot files as a side of `schemactl diff` (real servers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from prove_rows import fill_platform
from schemactl import api
from schemactl.cli import main
from schemactl.core.catalog_json import fingerprint, loads
from schemactl.testing.server import DatabaseReaper, TestServer, clone_database, unique_name

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def load(url: str, text: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


@pytest.fixture
def other_platform_db(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_template: str,
    schemactl_reaper: DatabaseReaper,
) -> Iterator[str]:
    """A second clone of the platform template."""
    name = unique_name("sct_snap")
    clone_database(schemactl_admin, schemactl_template, name)
    try:
        yield schemactl_server.url_for(name)
    finally:
        schemactl_reaper.drop(name)


def test_same_schema_same_bytes_whatever_the_rows(
    tmp_path: Path, schemactl_db_url: str, other_platform_db: str
) -> None:
    fill_platform(schemactl_db_url)
    with psycopg.connect(schemactl_db_url) as conn:
        # sequences moved: data, not schema
        conn.execute("SELECT nextval(c.oid) FROM pg_class c WHERE c.relkind = 'S'")
    first, again, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    code, output = run("snapshot", "--database-url", schemactl_db_url, "-o", str(first))
    assert code == 0, output
    assert output.startswith(f"{first}: 2 schema(s), 22 table(s), fingerprint ")
    assert run("snapshot", "--database-url", schemactl_db_url, "-o", str(again))[0] == 0
    assert run("snapshot", "--database-url", other_platform_db, "-o", str(other))[0] == 0
    assert first.read_bytes() == again.read_bytes() == other.read_bytes()
    model = loads(first.read_text())
    assert ("public", "transfers") in model.tables
    assert all(s.last_value is None for s in model.sequences.values())
    assert fingerprint(model) in output
    # stdout gives the same bytes
    code, printed = run("snapshot", "--database-url", schemactl_db_url, "-o", "-")
    assert (code, printed.encode()) == (0, first.read_bytes())


def test_snapshot_is_a_side_of_diff(
    tmp_path: Path, schemactl_db_url: str, schemactl_server: TestServer
) -> None:
    snap = tmp_path / "schema.json"
    assert run("snapshot", "--database-url", schemactl_db_url, "-o", str(snap))[0] == 0
    url = schemactl_db_url
    assert run("diff", "--from", str(snap), "--to", url) == (0, "no drift: the schemas are equal\n")
    assert run("diff", "--from", url, "--to", str(snap))[0] == 0
    load(url, "ALTER TABLE public.transfers ADD COLUMN note text")
    code, output = run("diff", "--from", url, "--to", str(snap), "--format", "json")
    assert code == 3, output  # to reach the snapshot, the new column goes: destructive
    data = json.loads(output)
    assert data["destructive"] == ["drop column public.transfers.note"]
    code, output = run("diff", "--from", str(snap), "--to", url, "--format", "sql")
    assert code == 1
    assert 'ALTER TABLE "public"."transfers" ADD COLUMN "note" text;' in output


def test_snapshot_as_the_database_of_a_files_diff(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """sql/ against a snapshot of a database sql/ built: no drift, the auth shim found."""
    api.apply(SQL_DIR, database_url=schemactl_empty_db)
    snap = tmp_path / "schema.json"
    assert run("snapshot", "--database-url", schemactl_empty_db, "-o", str(snap))[0] == 0
    shadow = ("--shadow-url", schemactl_server.admin_url)
    code, output = run("diff", str(SQL_DIR), "--database-url", str(snap), *shadow)
    assert (code, output) == (0, "no drift: the schemas are equal\n")
    # the snapshot is the record: the database changing afterwards changes nothing
    load(schemactl_empty_db, "DROP MATERIALIZED VIEW public.project_realtime_stats")
    assert run("diff", str(SQL_DIR), "--database-url", str(snap), *shadow)[0] == 0
    assert run("diff", str(SQL_DIR), "--database-url", schemactl_empty_db, *shadow)[0] == 1


def test_no_secret_in_a_snapshot(tmp_path: Path, schemactl_empty_db: str) -> None:
    load(
        schemactl_empty_db,
        """
        CREATE FOREIGN DATA WRAPPER sct_fdw;
        CREATE SERVER sct_srv FOREIGN DATA WRAPPER sct_fdw
            OPTIONS (host 'db.internal', password 'srv-s3cret');
        CREATE USER MAPPING FOR CURRENT_USER SERVER sct_srv
            OPTIONS (user 'remote', password 'map-s3cret');
        CREATE FOREIGN TABLE public.remote_t (id int) SERVER sct_srv
            OPTIONS (password 'ft-s3cret');
        CREATE TABLE public.t (id int);
        """,
    )
    snap = tmp_path / "schema.json"
    assert run("snapshot", "--database-url", schemactl_empty_db, "-o", str(snap))[0] == 0
    text = snap.read_text()
    assert "s3cret" not in text and "db.internal" not in text and "remote'" not in text
    model = loads(text)
    # the foreign table is named (diff reports it), nothing of its options
    assert ("foreign table public.remote_t", "") in model.unsupported
    assert ("public", "t") in model.tables


def test_bad_snapshot_files_are_one_line_errors(tmp_path: Path, schemactl_empty_db: str) -> None:
    snap = tmp_path / "schema.json"
    assert run("snapshot", "--database-url", schemactl_empty_db, "-o", str(snap))[0] == 0
    document = json.loads(snap.read_text())
    cases = {
        "cut.json": snap.read_text()[:100],
        "version.json": json.dumps({**document, "version": 2}),
        "edited.json": snap.read_text().replace('"public"', '"publik"'),
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    for name, expected in [
        ("cut.json", "not JSON"),
        ("version.json", "catalog snapshot version 2, this schemactl reads 1"),
        ("edited.json", "does not match its fingerprint"),
        ("missing.json", "cannot read the snapshot file"),
    ]:
        path = str(tmp_path / name)
        code, output = run("diff", "--from", path, "--to", schemactl_empty_db)
        assert code == 2, output
        assert output.startswith(f"schemactl: {path}: ") or output.startswith(f"{path}: ")
        assert expected in output and "Traceback" not in output
    # a --schema that leaves out a schema the snapshot holds would compare half of it
    code, output = run("diff", "--from", str(snap), "--to", schemactl_empty_db, "--schema", "x")
    assert code == 2 and "holds schema(s) public that --schema leaves out" in output
