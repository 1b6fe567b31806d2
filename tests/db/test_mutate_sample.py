"""CI's fixed sample of `make mutation`: the real RLS suite kills one mutant of each kind.

The full run (every policy of sql/, `make mutation`) takes most of an hour; CI runs 4
mutants (seed 0, one per kind) against the matrix tests of their tables only, so the
baseline and each mutant run a handful of tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.rls.mutate import KILLED, KINDS, generate_mutants, run_mutants, select_sample
from schemactl.testing import TestServer

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SIZE = 4
SEED = 0


def _table(target: str) -> str:
    """``schema.table[.policy]`` -> ``table``: the matrix test of that table."""
    return target.split(".")[1]


def test_fixed_sample_is_killed_by_the_rls_suite(schemactl_server: TestServer) -> None:
    sql_dir = ROOT / "sql"
    every = generate_mutants(sql_dir)
    sample = select_sample(every, SAMPLE_SIZE, SEED)
    assert sorted(m.kind for m in sample) == sorted(KINDS)
    tables = sorted({_table(m.target) for m in sample})
    test_args = [
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        str(ROOT / "tests" / "rls" / "test_matrix.py"),
        "-k",
        " or ".join(tables),
    ]
    report = run_mutants(
        sql_dir,
        test_args,
        sample=SAMPLE_SIZE,
        seed=SEED,
        jobs=SAMPLE_SIZE,
        cwd=ROOT,
        # the mutants' test runs share this session's server instead of starting their own
        env={"SCHEMACTL_TEST_DSN": schemactl_server.admin_url},
    )
    assert report.generated == len(every)
    assert [r.mutant for r in report.results] == sample
    outcome = {r.mutant.id: (r.status, r.reason) for r in report.results}
    assert outcome == {m.id: (KILLED, "") for m in sample}, "\n\n".join(
        r.output_tail for r in report.results if r.status != KILLED
    )
