"""apply of the platform schema when the schemactl process is SIGKILLed, or the server
restarts, at a statement boundary (tests/faults.py: the run stops after its k-th DDL).

SIGKILL: the backend finishes the statement it was in and whatever of the pipeline it had
received, never gets a COMMIT, reads end-of-file and rolls back; the test waits for the
backend to exit, then compares. Restart: a private embedded PostgreSQL 18 of this test
(never the shared servers) is restarted fast (sessions terminated) or immediate (crash
and recovery) while the run is stopped. Each time: the catalog equals the one before, the
ledger is untouched, the error (restart) is one line, and a rerun completes with the
catalog of a clean apply. CI: 2 seeded boundaries inside the run each;
``make reliability``: 16 (``SCHEMACTL_FAULT_PROCESS_SAMPLE``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg

from faults import (
    ENV_PROCESS_SAMPLE,
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
    private_server,
    remove_fault_trigger,
    restart_server,
    sample_boundaries,
    scalar,
    snapshot,
    wait_until_gone,
    wait_until_stopped,
)
from schemactl.core.plan import build_plan
from schemactl.db.apply import apply_plan
from schemactl.errors import DatabaseError
from schemactl.testing.server import TestServer, create_database, url_for

SCHEMACTL = Path(sys.executable).with_name("schemactl")

# how long the stopped backend sleeps before it goes on (and finds its client gone)
SIGKILL_SLEEP = 1.0



def test_schemactl_process_sigkilled_at_boundaries(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    plan = build_plan(REPO_SQL, display_root="sql")
    total, clean = calibrate(databases.create(), lambda url: apply_plan(plan, url))
    template = databases.create()
    install_fault_trigger(template)
    before = snapshot(template)
    count = FaultCount("platform schema apply, SIGKILL of schemactl", schemactl_server.version_num)
    count.boundaries = total
    admin_url = schemactl_server.admin_url
    env = {**os.environ, "SCHEMACTL_PROJECT_DIR": str(tmp_path)}
    for k in sample_boundaries(total, default=2, ends=False, env=ENV_PROCESS_SAMPLE):
        url = databases.create(dbname_of(template))

        def inject(k: int = k, url: str = url) -> None:
            arm(url, k, sleep_s=SIGKILL_SLEEP)
            run = subprocess.Popen(
                [str(SCHEMACTL), "apply", str(REPO_SQL), "--database-url", url],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                backend = wait_until_stopped(admin_url, dbname_of(url))
                assert backend is not None, f"apply never reached boundary {k}"
                run.send_signal(signal.SIGKILL)
            finally:
                code = run.wait(timeout=60)
            assert code == -signal.SIGKILL, code
            # the server notices the client is gone once the backend reads or writes again
            assert wait_until_gone(admin_url, backend, timeout=30), f"backend {backend} stayed"
            assert_same_catalog(before, snapshot(url), f"after SIGKILL at {k}")
            assert scalar(url, "SELECT to_regnamespace('schemactl') IS NULL") is True
            remove_fault_trigger(url)
            assert apply_plan(plan, url).status == "applied"
            assert_same_catalog(clean, snapshot(url), f"rerun after SIGKILL at {k}")

        one_boundary(count, k, inject)
        databases.drop(url)
    count.check()


MODES = ("fast", "immediate")


def test_server_restarted_at_boundaries() -> None:
    plan = build_plan(REPO_SQL, display_root="sql")
    with private_server() as (admin_url, data_dir):
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for name in ("calibration", "template"):
                create_database(admin, name, template="template0")
        total, clean = calibrate(url_for(admin_url, "calibration"), lambda u: apply_plan(plan, u))
        template = url_for(admin_url, "template")
        install_fault_trigger(template)
        before = snapshot(template)
        count = FaultCount("platform schema apply, server restart (fast/immediate)", 180000)
        count.boundaries = total
        for i, k in enumerate(
            sample_boundaries(total, default=2, ends=False, env=ENV_PROCESS_SAMPLE)
        ):
            name, mode = f"k{k}", MODES[i % 2]
            with psycopg.connect(admin_url, autocommit=True) as admin:
                create_database(admin, name, template="template")
                count.server = int(admin.info.server_version)
            url = url_for(admin_url, name)

            def inject(k: int = k, url: str = url, mode: str = mode, name: str = name) -> None:
                arm(url, k)
                errors: list[BaseException] = []

                def run() -> None:
                    try:
                        apply_plan(plan, url)
                    except BaseException as exc:  # asserted below
                        errors.append(exc)

                applying = threading.Thread(target=run)
                applying.start()
                try:
                    assert wait_until_stopped(admin_url, name) is not None, k
                    restart_server(data_dir, mode)
                finally:
                    applying.join(timeout=60)
                assert len(errors) == 1 and isinstance(errors[0], DatabaseError), errors
                error = errors[0]
                assert isinstance(error, DatabaseError)
                check_one_line(error.format(), error.exit_code)
                assert_same_catalog(before, snapshot(url), f"after a {mode} restart at {k}")
                assert scalar(url, "SELECT to_regnamespace('schemactl') IS NULL") is True
                remove_fault_trigger(url)
                assert apply_plan(plan, url).status == "applied"
                assert_same_catalog(clean, snapshot(url), f"rerun after a {mode} restart at {k}")

            one_boundary(count, k, inject)
        count.check()
