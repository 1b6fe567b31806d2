"""Rename hints end to end: read from the files, a RENAME runs, the rows stay (issue 6).

Each test builds a database from ``v1`` files with rows in it, edits the files to ``v2``
(with or without ``-- schemactl: renamed from ...``), runs ``diff_files`` + ``apply_diff``
and checks the rows, the catalog and that a second diff is empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemactl.core.diff_report import render_diff, result_as_data
from schemactl.diff import apply_diff, diff_files
from schemactl.errors import RefusedError
from schemactl.testing.server import TestServer

pytestmark = pytest.mark.db

V1 = """
CREATE TABLE account (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    full_name text
);
CREATE INDEX account_full_name_idx ON account (full_name);
CREATE TABLE login (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id integer NOT NULL REFERENCES account (id),
    at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW account_names AS SELECT id, full_name FROM account;
"""

V2_HINTED = """
-- schemactl: renamed from account
CREATE TABLE customer (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    display_name text  -- schemactl: renamed from full_name
);
CREATE INDEX customer_display_name_idx ON customer (display_name);
CREATE TABLE login (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- schemactl: renamed from account_id
    customer_id integer NOT NULL REFERENCES customer (id),
    at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW account_names AS SELECT id, display_name FROM customer;
"""


def _write(sql_dir: Path, text: str) -> Path:
    sql_dir.mkdir(exist_ok=True)
    (sql_dir / "schema.sql").write_text(text, encoding="utf-8")
    return sql_dir


def _rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query.encode()).fetchall()


def _load(url: str, text: str, data: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())
        conn.execute(data.encode())


def test_hinted_renames_keep_rows_and_sequences(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    _load(
        url,
        V1,
        "INSERT INTO account (email, full_name) VALUES ('a@x', 'Ann'), ('b@x', 'Bob');"
        "INSERT INTO login (account_id) VALUES (1), (2), (2);",
    )
    sql_dir = _write(tmp_path / "sql", V2_HINTED)
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    assert result.destructive == (), [f"{c.action} {c.kind} {c.name}" for c in result.destructive]
    renames = [s for s in result.statements if " RENAME " in s]
    assert renames[:3] == [
        "ALTER TABLE public.account RENAME TO customer",
        "ALTER TABLE public.customer RENAME COLUMN full_name TO display_name",
        "ALTER TABLE public.login RENAME COLUMN account_id TO customer_id",
    ]
    # the serial sequence, the keys and the index follow the table instead of being rebuilt
    assert "ALTER SEQUENCE public.account_id_seq RENAME TO customer_id_seq" in renames
    assert not [s for s in result.statements if s.startswith(("DROP TABLE", "CREATE TABLE"))]
    assert not [s for s in result.statements if "DROP COLUMN" in s or "ADD COLUMN" in s]
    assert not [s for s in result.statements if "DROP CONSTRAINT" in s or "CREATE INDEX" in s]
    assert result.possible_renames == ()
    apply_diff(result, url)
    assert _rows(url, "SELECT id, email, display_name FROM customer ORDER BY id") == [
        (1, "a@x", "Ann"),
        (2, "b@x", "Bob"),
    ]
    assert _rows(url, "SELECT customer_id FROM login ORDER BY id") == [(1,), (2,), (2,)]
    # the sequence kept its position: the next row does not collide with the kept ones
    assert _rows(url, "INSERT INTO customer (email) VALUES ('c@x') RETURNING id") == [(3,)]
    assert _rows(url, "SELECT to_regclass('public.account')::text") == [(None,)]
    again = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    assert not again.has_drift, again.statements
    # the hints stay in the files: after the rename ran they are ignored, with a warning each
    ignored = [w for w in again.warnings if "rename hint ignored" in w]
    assert len(ignored) == 3 and all(w.startswith(f"{sql_dir}/schema.sql:") for w in ignored)


def test_hints_are_ignored_on_a_fresh_database(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    sql_dir = _write(tmp_path / "sql", V2_HINTED)
    result = diff_files(sql_dir, schemactl_empty_db, shadow_url=schemactl_server.admin_url)
    assert not [s for s in result.statements if " RENAME " in s]
    assert len([w for w in result.warnings if "rename hint ignored" in w]) == 3
    apply_diff(result, schemactl_empty_db)
    assert _rows(schemactl_empty_db, "SELECT count(*) FROM customer") == [(0,)]


def test_without_a_hint_a_lookalike_is_flagged_and_refused(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    _load(url, V1, "INSERT INTO account (email, full_name) VALUES ('a@x', 'Ann');")
    unhinted = "\n".join(line.split("--")[0] for line in V2_HINTED.splitlines())
    sql_dir = _write(tmp_path / "sql", unhinted)
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    assert result.possible_renames, "no possible rename flagged"
    assert any(
        "possible rename: column public.login.account_id -> customer_id" in note
        and "add `-- schemactl: renamed from account_id`" in note
        for note in result.possible_renames
    ), result.possible_renames
    # account -> customer: same column types, but a column name differs: not the same shape
    text = render_diff(result, "text")
    assert "! possible rename: column public.login.account_id -> customer_id" in text
    assert result_as_data(result)["possible_renames"] == list(result.possible_renames)
    with pytest.raises(RefusedError):
        apply_diff(result, url)
    assert _rows(url, "SELECT full_name FROM account") == [("Ann",)]


def test_table_lookalike_flagged(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    _load(url, "CREATE TABLE old_t (id int, v text);", "INSERT INTO old_t VALUES (1, 'x');")
    sql_dir = _write(tmp_path / "sql", "CREATE TABLE new_t (id int, v text);")
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    assert result.possible_renames == (
        "possible rename: table public.old_t -> new_t; add `-- schemactl: renamed from old_t` "
        "on the line before CREATE TABLE public.new_t to keep the data",
    )
    _write(sql_dir, "-- schemactl: renamed from old_t\nCREATE TABLE new_t (id int, v text);")
    hinted = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    assert hinted.statements == ("ALTER TABLE public.old_t RENAME TO new_t",)
    apply_diff(hinted, url)
    assert _rows(url, "SELECT * FROM new_t") == [(1, "x")]
