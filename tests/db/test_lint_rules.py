"""Each lint rule on a real server: a tiny schema that triggers it and one that does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from schemactl.db.connect import connect
from schemactl.db.resources import script
from schemactl.lint import Finding, lint_database, select_rules

Run = Callable[[str], None]

TABLE = "CREATE TABLE t (id int PRIMARY KEY, user_id uuid, project_id int);"
RLS_TABLE = TABLE + " ALTER TABLE t ENABLE ROW LEVEL SECURITY;"


@dataclass(frozen=True)
class Case:
    """SQL that triggers a rule (on ``obj``) and SQL that must not."""

    bad: str
    obj: str
    good: str


CASES: dict[str, Case] = {
    "RLS001": Case(
        bad=TABLE,
        obj="public.t",
        good=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated USING (id = 1);"
        # tables outside the exposed schema are not the API's business
        " CREATE SCHEMA private; CREATE TABLE private.x (id int);",
    ),
    "RLS002": Case(
        bad=RLS_TABLE,
        obj="public.t",
        good=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated USING (id = 1);",
    ),
    "RLS003": Case(
        bad=TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated USING (id = 1);",
        obj="public.t",
        good=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated USING (id = 1);",
    ),
    "RLS004": Case(
        bad=RLS_TABLE + " CREATE POLICY w ON t FOR UPDATE TO authenticated USING (true)"
        " WITH CHECK (id > 0);",
        obj="public.t.w",
        good=RLS_TABLE + " CREATE POLICY r ON t FOR SELECT TO authenticated USING (true);"
        " CREATE POLICY w ON t FOR UPDATE TO authenticated USING (id = 1) WITH CHECK (id = 1);"
        " CREATE POLICY s ON t FOR ALL TO service_role USING (true) WITH CHECK (true);"
        " CREATE POLICY x ON t AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (true);",
    ),
    "RLS005": Case(
        bad=RLS_TABLE + " CREATE POLICY a ON t FOR SELECT TO authenticated USING (id = 1);"
        " CREATE POLICY b ON t FOR ALL TO authenticated USING (id = 2);",
        obj="public.t",
        good=RLS_TABLE + " CREATE POLICY a ON t FOR SELECT TO authenticated USING (id = 1);"
        " CREATE POLICY b ON t FOR INSERT TO authenticated WITH CHECK (id = 1);"
        " CREATE POLICY c ON t AS RESTRICTIVE FOR SELECT TO authenticated USING (id > 0);",
    ),
    "SEC001": Case(
        bad="CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';",
        obj="public.f",
        good="CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER"
        " SET search_path = '' AS 'SELECT 1';"
        " CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';",
    ),
    "SEC002": Case(
        bad="CREATE MATERIALIZED VIEW m AS SELECT 1 AS x; GRANT SELECT ON m TO authenticated;",
        obj="public.m",
        good="CREATE MATERIALIZED VIEW m AS SELECT 1 AS x; REVOKE ALL ON m FROM PUBLIC;",
    ),
    "SEC003": Case(
        bad=RLS_TABLE + " CREATE VIEW v AS SELECT id FROM t; GRANT SELECT ON v TO anon;",
        obj="public.v",
        good=RLS_TABLE + " CREATE VIEW v WITH (security_invoker = true) AS SELECT id FROM t;"
        " GRANT SELECT ON v TO anon; CREATE VIEW w AS SELECT id FROM t;",
    ),
    "SEC004": Case(
        bad=RLS_TABLE + " CREATE VIEW v WITH (security_barrier) AS SELECT id FROM t;"
        " GRANT SELECT ON v TO authenticated;",
        obj="public.v",
        good=RLS_TABLE + " CREATE VIEW v WITH (security_barrier) AS SELECT id FROM t;"
        " CREATE VIEW w WITH (security_barrier, security_invoker) AS SELECT id FROM t;"
        " GRANT SELECT ON w TO authenticated;",
    ),
    "SEC005": Case(
        bad=RLS_TABLE + " ALTER TABLE t ADD COLUMN key_hash text;"
        " GRANT SELECT ON t TO authenticated;",
        obj="public.t",
        good=RLS_TABLE + " ALTER TABLE t ADD COLUMN key_hash text;"
        " GRANT SELECT (id, user_id, project_id) ON t TO authenticated;"
        " GRANT INSERT ON t TO authenticated;",
    ),
    "SEC006": Case(
        bad=RLS_TABLE + " ALTER TABLE t ADD COLUMN share_token text; GRANT SELECT ON t TO anon;",
        obj="public.t",
        good=RLS_TABLE + " ALTER TABLE t ADD COLUMN share_token text, ADD COLUMN file_hash text;"
        " GRANT SELECT (id, file_hash) ON t TO anon;",
    ),
    "SEC007": Case(
        bad="CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER"
        " SET search_path = '' AS 'SELECT 1';",
        obj="public.f",
        good="CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER"
        " SET search_path = '' AS 'SELECT 1';"
        " REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;"
        " GRANT EXECUTE ON FUNCTION f() TO authenticated;"
        " CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';",
    ),
    "PERF001": Case(
        bad=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated"
        " USING (user_id = auth.uid());",
        obj="public.t.p",
        good=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated"
        " USING (user_id = (SELECT auth.uid()));",
    ),
    "PERF002": Case(
        bad="CREATE TABLE a (id int PRIMARY KEY);"
        " CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));"
        # a partial index does not serve the lookups of the foreign key
        " CREATE INDEX ON b (a_id) WHERE id > 0;",
        obj="public.b",
        good="CREATE TABLE a (id int PRIMARY KEY);"
        " CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));"
        " CREATE INDEX ON b (a_id, id);",
    ),
    "PERF003": Case(
        bad=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated"
        " USING (project_id IN (SELECT 1));",
        obj="public.t",
        good=RLS_TABLE + " CREATE POLICY p ON t FOR SELECT TO authenticated"
        " USING (project_id IN (SELECT 1)) ; CREATE INDEX ON t (project_id, user_id);",
    ),
}


@pytest.fixture
def db(schemactl_empty_db: str) -> tuple[str, Run]:
    """An empty database with the Supabase compat layer, and a function running DDL in it."""
    with connect(schemactl_empty_db, autocommit=True, lock_timeout=None) as conn:
        conn.execute(script("auth_shim"))

    def run(ddl: str) -> None:
        with connect(schemactl_empty_db, lock_timeout=None) as conn:
            conn.execute(ddl)  # type: ignore[arg-type]  # test DDL, no parameters
            conn.commit()

    return schemactl_empty_db, run


def findings(url: str, code: str) -> list[Finding]:
    """The findings of one rule on the database at ``url``."""
    return list(lint_database(url, rules=select_rules([code])).findings)


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(r.code for r in select_rules(None))


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code: str, db: tuple[str, Run]) -> None:
    url, run = db
    run(CASES[code].bad)
    found = findings(url, code)
    assert [f.object for f in found] == [CASES[code].obj], found
    assert all(f.code == code and f.location is None for f in found)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_stays_quiet(code: str, db: tuple[str, Run]) -> None:
    url, run = db
    run(CASES[code].good)
    assert findings(url, code) == []


PARTITIONED = (
    "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);"
    " CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');"
)


def test_rls001_partitioned_parent_and_its_partitions(db: tuple[str, Run]) -> None:
    url, run = db
    run(PARTITIONED)
    # the parent and the partition both lack RLS
    assert {f.object for f in findings(url, "RLS001")} == {"public.m", "public.m_2025"}


def test_rls001_partition_covered_by_rls_parent_unless_readable_directly(
    db: tuple[str, Run],
) -> None:
    url, run = db
    run(PARTITIONED + " ALTER TABLE m ENABLE ROW LEVEL SECURITY;")
    assert findings(url, "RLS001") == []
    run("GRANT SELECT ON m_2025 TO authenticated;")
    found = findings(url, "RLS001")
    assert [f.object for f in found] == ["public.m_2025"]
    assert "authenticated can read it directly" in found[0].message


def test_rls002_ignores_partitions_of_a_parent_with_policies(db: tuple[str, Run]) -> None:
    url, run = db
    run(
        PARTITIONED + " ALTER TABLE m ENABLE ROW LEVEL SECURITY;"
        " ALTER TABLE m_2025 ENABLE ROW LEVEL SECURITY;"
        " CREATE POLICY p ON m FOR SELECT TO authenticated USING (id = 1);"
    )
    assert findings(url, "RLS002") == []


def test_rls005_public_policies_count_for_every_role(db: tuple[str, Run]) -> None:
    url, run = db
    run(
        RLS_TABLE + " CREATE POLICY a ON t FOR SELECT USING (id = 1);"
        " CREATE POLICY b ON t FOR SELECT TO anon USING (id = 2);"
    )
    found = findings(url, "RLS005")
    assert len(found) == 1 and "for anon" in found[0].message


def test_sec005_view_exposing_a_secret_column(db: tuple[str, Run]) -> None:
    url, run = db
    run(
        RLS_TABLE + " ALTER TABLE t ADD COLUMN password_hash text;"
        " CREATE VIEW v WITH (security_invoker) AS SELECT id, password_hash FROM t;"
        " GRANT SELECT ON v TO authenticated;"
    )
    assert [f.object for f in findings(url, "SEC005")] == ["public.v"]


def test_schema_without_usage_hides_views(db: tuple[str, Run]) -> None:
    url, run = db
    run(
        "CREATE SCHEMA hidden; REVOKE ALL ON SCHEMA hidden FROM PUBLIC;"
        " CREATE MATERIALIZED VIEW hidden.m AS SELECT 1 AS x;"
        " GRANT SELECT ON hidden.m TO authenticated;"
    )
    assert findings(url, "SEC002") == []
    run("GRANT USAGE ON SCHEMA hidden TO authenticated;")
    assert [f.object for f in findings(url, "SEC002")] == ["hidden.m"]
