"""apply killed at its statement boundaries (pg_terminate_backend from another session).

(a) the platform schema (sql/) applied to an empty database, through the CLI;
(b) a diff of 60+ changes (tables, constraints, indexes, triggers, RLS, policies) applied
with ``apply_diff``. At each boundary (tests/faults.py: an event trigger stops the run
after its k-th DDL statement, another session terminates the backend): the error is one
line and no traceback, the full catalog equals the one before (the ledger too), and a
rerun completes with the catalog of a clean run. CI injects at a seeded sample of
boundaries; ``make reliability`` at every one (``SCHEMACTL_FAULT_SAMPLE=all``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from faults import (
    REPO_SQL,
    Databases,
    FaultCount,
    arm,
    assert_same_catalog,
    calibrate,
    check_one_line,
    dbname_of,
    install_fault_trigger,
    one_boundary,
    remove_fault_trigger,
    sample_boundaries,
    scalar,
    snapshot,
    terminate_when_stopped,
)
from schemactl.cli import main
from schemactl.core.plan import build_plan
from schemactl.db.apply import apply_plan
from schemactl.diff import apply_diff, diff_databases
from schemactl.errors import DatabaseError
from schemactl.testing.server import TestServer


def test_platform_schema_apply_killed_at_each_boundary(
    databases: Databases, schemactl_server: TestServer
) -> None:
    plan = build_plan(REPO_SQL, display_root="sql")
    total, clean = calibrate(databases.create(), lambda url: apply_plan(plan, url))
    assert total > len(plan.statements) // 2, total  # nearly every statement is DDL
    template = databases.create()
    install_fault_trigger(template)
    before = snapshot(template)  # every copy of it is this database
    count = FaultCount("platform schema apply, pg_terminate_backend", schemactl_server.version_num)
    count.boundaries = total
    admin_url = schemactl_server.admin_url
    for k in sample_boundaries(total):
        url = databases.create(dbname_of(template))

        def inject(k: int = k, url: str = url) -> None:
            arm(url, k)
            with terminate_when_stopped(admin_url, dbname_of(url)) as killer:
                result = CliRunner().invoke(
                    main, ["apply", str(REPO_SQL), "--database-url", url, "--lock-wait", "60s"]
                )
            assert killer.killed and killer.gone == [True], (killer.killed, result.output)
            check_one_line(result.output, result.exit_code)
            assert_same_catalog(before, snapshot(url), f"after the kill at {k}")
            assert scalar(url, "SELECT to_regnamespace('schemactl') IS NULL") is True
            remove_fault_trigger(url)
            assert apply_plan(plan, url).status == "applied"
            assert_same_catalog(clean, snapshot(url), f"rerun after the kill at {k}")
            assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1

        one_boundary(count, k, inject)
        databases.drop(url)
    count.check()


# v1 of the schema: sql/ without three tables and the policies of eight; the diff to sql/
# creates the tables, their keys, indexes and triggers, enables and forces RLS, creates
# the policies
DROPPED_TABLES = ("automation_rules", "bandwidth_policies", "cloud_connections")
DROPPED_POLICIES = (*DROPPED_TABLES, "transfers", "agents", "projects", "api_keys", "audit_log")


def older_schema(root: Path) -> Path:
    v1 = root / "sql"
    shutil.copytree(REPO_SQL, v1)
    for table in DROPPED_TABLES:
        (v1 / "tables" / f"{table}.sql").unlink()
    for table in DROPPED_POLICIES:
        (v1 / "policies" / f"{table}.sql").unlink()
    return v1


def test_diff_apply_killed_at_each_boundary(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    old, new = databases.create(), databases.create()
    apply_plan(build_plan(older_schema(tmp_path), display_root="sql"), old)
    apply_plan(build_plan(REPO_SQL, display_root="sql"), new)
    diff = diff_databases(old, new)
    assert len(diff.statements) >= 20 and not diff.destructive and not diff.unsupported
    target = snapshot(new)
    total, clean = calibrate(databases.create(dbname_of(old)), lambda url: apply_diff(diff, url))
    assert_same_catalog(target, clean, "a clean apply of the diff")
    assert total == len(diff.statements), (total, len(diff.statements))
    install_fault_trigger(old)
    before = snapshot(old)
    count = FaultCount(
        f"diff apply ({len(diff.statements)} statements), pg_terminate_backend",
        schemactl_server.version_num,
    )
    count.boundaries = total
    admin_url = schemactl_server.admin_url
    for k in sample_boundaries(total):
        url = databases.create(dbname_of(old))

        def inject(k: int = k, url: str = url) -> None:
            arm(url, k)
            runs = scalar(url, "SELECT count(*) FROM schemactl.runs")
            with (
                terminate_when_stopped(admin_url, dbname_of(url)) as killer,
                pytest.raises(DatabaseError) as caught,
            ):
                apply_diff(diff, url)
            assert killer.killed and killer.gone == [True], killer.killed
            message = caught.value.format()
            assert "terminating connection due to administrator command" in message, message
            assert "\n" not in caught.value.message
            assert_same_catalog(before, snapshot(url), f"after the kill at {k}")
            assert scalar(url, "SELECT count(*) FROM schemactl.runs") == runs
            remove_fault_trigger(url)
            apply_diff(diff, url)
            assert_same_catalog(target, snapshot(url), f"rerun after the kill at {k}")

        one_boundary(count, k, inject)
        databases.drop(url)
    count.check()
