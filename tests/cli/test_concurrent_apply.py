"""8 concurrent ``schemactl apply`` of the platform schema (sql/) on one empty database.

tests/db/test_apply_locks.py proves it on a 3-statement schema with the lock taken by the
test; here the contenders race for the lock themselves, on the real schema, and the
winner is held in the middle of its run (tests/faults.py, ``hold``: after its 100th DDL
statement) until the other 7 wait for the apply lock, so they really contend.
With ``--lock-wait 60s`` the 7 wait, then find the files applied (up to date); with
``--lock-wait 1s`` the 7 give up (while the winner is held) with one line naming the
holder; how long they wait is measured in tests/db/test_apply_locks.py. Either way
exactly one run is in the ledger and the catalog is that of one clean apply.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from faults import (
    REPO_SQL,
    Databases,
    arm,
    dbname_of,
    holding,
    install_fault_trigger,
    remove_fault_trigger,
    scalar,
    snapshot,
    wait_until_held,
)
from schemactl.core.plan import build_plan
from schemactl.db.apply import APPLY_LOCK_KEY, apply_plan
from schemactl.testing.server import TestServer

SCHEMACTL = Path(sys.executable).with_name("schemactl")
RUNS = 8
HOLD_AT = 100  # the winner's DDL statement at which it is held

WAITING_FOR_APPLY_LOCK = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    " AND objid::bigint = %s AND database = (SELECT oid FROM pg_database"
    " WHERE datname = current_database())"
)



def waiting_for_the_apply_lock(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(WAITING_FOR_APPLY_LOCK, (APPLY_LOCK_KEY,)).fetchone()
    assert row is not None
    return int(row[0])


LOCK_WAITS = ("60s", "1s") * (RUNS // 2)
SHORT = sum(wait == "1s" for wait in LOCK_WAITS)


def contend(tmp_path: Path, url: str, admin_url: str) -> list[tuple[int, str, str, bool]]:
    """Start RUNS applies at once; hold the winner until every other run waits for the lock
    or gave up; each run's (exit code, stdout, stderr, ended while the winner was held)."""
    env = {**os.environ, "SCHEMACTL_PROJECT_DIR": str(tmp_path)}
    ended: set[int] = set()
    with holding(url):
        runs = [
            subprocess.Popen(
                [
                    str(SCHEMACTL),
                    "apply",
                    str(REPO_SQL),
                    "--database-url",
                    url,
                    "--lock-wait",
                    lock_wait,
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for lock_wait in LOCK_WAITS
        ]
        assert wait_until_held(admin_url, dbname_of(url)) is not None, "no run got the lock"
        deadline = time.monotonic() + 90
        last_change = time.monotonic()
        while True:
            assert time.monotonic() < deadline, "the runs never all waited or gave up"
            for i, run in enumerate(runs):
                if i not in ended and run.poll() is not None:
                    ended.add(i)
                    last_change = time.monotonic()
            settled = waiting_for_the_apply_lock(url) + len(ended) == RUNS - 1
            # every short run gave up, or all but one (the winner may be a short one: then
            # nothing changes for 2.5 s, longer than a short run waits)
            if settled and (
                len(ended) == SHORT
                or (len(ended) == SHORT - 1 and time.monotonic() - last_change > 2.5)
            ):
                break
            time.sleep(0.02)
    return [(run.wait(timeout=120), *run.communicate(), i in ended) for i, run in enumerate(runs)]


def test_eight_concurrent_applies_one_applies_the_others_wait_or_give_up_in_one_line(
    tmp_path: Path, databases: Databases, schemactl_server: TestServer
) -> None:
    clean = databases.create()
    apply_plan(build_plan(REPO_SQL, display_root="sql"), clean)
    url = databases.create()
    install_fault_trigger(url)
    arm(url, HOLD_AT, hold=True)
    outcomes = contend(tmp_path, url, schemactl_server.admin_url)
    winners = [i for i, (code, out, _, _) in enumerate(outcomes)
               if code == 0 and out.startswith("applied ")]  # fmt: skip
    assert len(winners) == 1, outcomes
    up_to_date = gave_up = 0
    for i, (code, out, err, while_held) in enumerate(outcomes):
        if i in winners:
            continue
        assert "Traceback" not in out + err, (i, out, err)
        if LOCK_WAITS[i] == "60s":  # waited, then found the files applied
            assert (code, err) == (0, ""), (i, out, err)
            assert "is up to date (" in out, (i, out)
            up_to_date += 1
            continue
        lines = err.splitlines()
        assert code == 2 and out == "" and while_held, (i, code, out, err)
        assert lines[0].startswith("schemactl: ") and lines[0].endswith("; nothing was changed")
        assert (
            "another schemactl apply held the apply lock for longer than --lock-wait (1s)"
            in (lines[0])
        ), lines
        assert "held by pid " in lines[0], lines
        assert all(line.startswith("  ") for line in lines[1:]), lines
        gave_up += 1
    print(f"concurrency: {RUNS} concurrent applies (4 with --lock-wait 60s, 4 with 1s): "
          f"1 applied, {up_to_date} waited then up to date, {gave_up} gave up in one line; "
          f"the winner had --lock-wait {LOCK_WAITS[winners[0]]}")  # fmt: skip
    assert up_to_date + gave_up == RUNS - 1
    assert scalar(url, "SELECT count(*) FROM schemactl.runs") == 1
    remove_fault_trigger(url)
    assert snapshot(url) == snapshot(clean)
