"""Scope of a files-vs-database diff: what the files manage, plus public (issue 6).

A table in a schema the files never mention (another team's, a tool's) is not drift: it is
neither reported nor dropped. ``--schema`` / the ``schemas`` setting widen or narrow that.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemactl.diff import apply_diff, diff, diff_files
from schemactl.testing.server import TestServer

pytestmark = pytest.mark.db

FILES = (
    "CREATE SCHEMA app;\nCREATE TABLE app.item (id int PRIMARY KEY);\nCREATE TABLE t (id int);\n"
)


def _setup(tmp_path: Path, url: str) -> Path:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE SCHEMA other; CREATE TABLE other.keep (id int); INSERT INTO other.keep"
            " VALUES (1), (2); CREATE TABLE t (id int); CREATE TABLE stale (id int)"
        )
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "schema.sql").write_text(FILES, encoding="utf-8")
    return sql_dir


def _names(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT n.nspname || '.' || c.relname FROM pg_class AS c JOIN pg_namespace AS n"
            " ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
            " AND n.nspname IN ('app', 'public', 'other') ORDER BY 1"
        ).fetchall()
    return [r[0] for r in rows]


def test_unrelated_schema_of_the_database_is_not_drift(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    sql_dir = _setup(tmp_path, url)
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    names = [c.name for c in result.changes]
    assert not [n for n in names if "other" in n], names
    assert not any("other" in s for s in result.statements)
    # public is managed: its stale table is a (destructive) drop
    assert [f"{c.action} {c.kind} {c.name}" for c in result.destructive] == [
        "drop table public.stale"
    ]
    apply_diff(result, url, allow_destructive=True)
    assert _names(url) == ["app.item", "other.keep", "public.t"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM other.keep").fetchone() == (2,)
    assert not diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url).has_drift


def test_schemas_setting_and_option_widen_the_scope(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    sql_dir = _setup(tmp_path, url)
    (tmp_path / "schemactl.toml").write_text('schemas = ["app", "public", "other"]\n')
    configured = diff(sql_dir, database_url=url, shadow_url=schemactl_server.admin_url,
                      project_dir=tmp_path)  # fmt: skip
    assert {f"{c.action} {c.kind} {c.name}" for c in configured.destructive} == {
        "drop table public.stale",
        "drop table other.keep",
        "drop schema other",
    }
    # an option wins over the setting: only app is compared
    only_app = diff(sql_dir, database_url=url, shadow_url=schemactl_server.admin_url,
                    project_dir=tmp_path, schemas=["app"])  # fmt: skip
    assert {c.name for c in only_app.changes} >= {"app", "app.item"}
    assert not [c for c in only_app.changes if c.name.startswith(("public.", "other"))]
