"""`schemactl.lint.lint()` end to end: shadow database, live database, locations, noqa."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from schemactl import api
from schemactl.errors import ApplyError
from schemactl.lint import engine, lint
from schemactl.testing.server import TestServer

FILES = {
    "tables/open.sql": "CREATE TABLE open_table (id int PRIMARY KEY);\n",
    "tables/quiet.sql": (
        "-- RLS is deliberately off: reference data, readable by everyone\n"
        "CREATE TABLE countries (code text PRIMARY KEY); -- noqa: RLS001\n"
    ),
    "tables/keys.sql": (
        "CREATE TABLE keys (\n"
        "  id int PRIMARY KEY,\n"
        "  key_hash text\n"
        ");\n"
        "ALTER TABLE keys ENABLE ROW LEVEL SECURITY;\n"
    ),
    "policies/keys.sql": (
        "GRANT SELECT ON keys TO authenticated;\n"
        "\n"
        "CREATE POLICY keys_read ON keys FOR SELECT TO authenticated\n"
        "  USING (id = auth.uid()::text::int);\n"
    ),
}


def _write(root: Path) -> Path:
    sql_dir = root / "sql"
    for relpath, text in FILES.items():
        path = sql_dir / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sql_dir


def _database_exists(server: TestServer, name: str) -> bool:
    with psycopg.connect(server.admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None and row[0] == 1


@pytest.fixture
def shadow_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the name of every shadow database lint() creates (the real function runs)."""
    names: list[str] = []
    real = engine.shadow_database

    @contextmanager
    def recording(server_url: str) -> Iterator[str]:
        with real(server_url) as url:
            names.append(psycopg.conninfo.conninfo_to_dict(url)["dbname"])  # type: ignore[arg-type]
            yield url

    monkeypatch.setattr(engine, "shadow_database", recording)
    return names


def test_lint_sql_dir_on_a_shadow_database(
    tmp_path: Path, schemactl_server: TestServer, shadow_names: list[str]
) -> None:
    sql_dir = _write(tmp_path)
    report = lint(sql_dir, shadow_url=schemactl_server.admin_url, project_dir=tmp_path)

    got = {(f.code, f.object, f.location) for f in report.findings}
    keys = f"{sql_dir}/tables/keys.sql:1:1"
    assert ("RLS001", "public.open_table", f"{sql_dir}/tables/open.sql:1:1") in got
    assert ("SEC005", "public.keys", keys) in got
    # the policy points to its own CREATE POLICY statement
    assert ("PERF001", "public.keys.keys_read", f"{sql_dir}/policies/keys.sql:3:1") in got
    # countries' RLS001 is silenced by the noqa after its statement
    assert not any(f.object == "public.countries" and f.code == "RLS001" for f in report.findings)
    assert report.suppressed >= 1
    assert {f.code for f in report.errors} == {"RLS001", "SEC005"}
    # the shadow database is gone
    assert len(shadow_names) == 1
    assert not _database_exists(schemactl_server, shadow_names[0])


def test_shadow_database_is_dropped_when_apply_fails(
    tmp_path: Path, schemactl_server: TestServer, shadow_names: list[str]
) -> None:
    sql_dir = _write(tmp_path)
    (sql_dir / "tables" / "broken.sql").write_text(
        "CREATE TABLE broken (id int REFERENCES open_table (nope));\n", encoding="utf-8"
    )
    with pytest.raises(ApplyError, match=r"broken\.sql:1"):
        lint(sql_dir, shadow_url=schemactl_server.admin_url, project_dir=tmp_path)
    assert len(shadow_names) == 1
    assert not _database_exists(schemactl_server, shadow_names[0])


def test_lint_live_database_with_and_without_sql_dir(
    tmp_path: Path, schemactl_empty_db: str, shadow_names: list[str]
) -> None:
    sql_dir = _write(tmp_path)
    api.apply(sql_dir, database_url=schemactl_empty_db, project_dir=tmp_path)

    located = lint(sql_dir, database_url=schemactl_empty_db, project_dir=tmp_path)
    bare = lint(database_url=schemactl_empty_db, project_dir=tmp_path)

    assert shadow_names == []  # a live database is linted as it is
    assert {f.location for f in located.findings if f.object == "public.open_table"} == {
        f"{sql_dir}/tables/open.sql:1:1"
    }
    # without the SQL dir there are no locations and no noqa comments to read
    assert all(f.location is None for f in bare.findings)
    assert any(f.object == "public.countries" and f.code == "RLS001" for f in bare.findings)
    # nothing was changed: the table still has RLS off
    with psycopg.connect(schemactl_empty_db) as conn:
        row = conn.execute(
            "SELECT relrowsecurity FROM pg_class WHERE oid = 'public.open_table'::regclass"
        ).fetchone()
    assert row == (False,)


def test_platform_schema_has_no_lint_errors(schemactl_sql_dir: Path, schemactl_db_url: str) -> None:
    """Issue 3's goal: `schemactl lint sql` reports no errors (warnings are reviewed by hand)."""
    report = lint(schemactl_sql_dir, database_url=schemactl_db_url)
    assert report.rules and len(report.rules) >= 11
    assert report.errors == (), "\n".join(
        f"{f.location or f.object}: {f.code}: {f.message}" for f in report.errors
    )
