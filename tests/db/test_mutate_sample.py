"""CI's fixed sample of `make mutation`: the real RLS suite kills one mutant of each operator.

The full run (every mutant of sql/, `make mutation`) takes most of an hour on a busy
machine; CI runs 8 mutants (seed 0, one per operator: the four structural ones and
widen-roles, drop-window, widen-grant, loosen-guard) against the tests that concern them:
the contract tests (policy roles, column privileges, the helpers' rights) and the matrix
tests of the sampled tables, so the baseline and each mutant run a handful of tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.rls.mutate import KILLED, KINDS, generate_mutants, run_mutants, select_sample
from schemactl.testing import TestServer

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SIZE = len(KINDS)  # one mutant of each operator
SEED = 0
JOBS = 4


def _table(target: str) -> str | None:
    """``public.table[.policy|.column]`` -> ``table`` (the matrix test of that table)."""
    schema, _, rest = target.partition(".")
    return rest.split(".")[0] if schema == "public" else None


def test_fixed_sample_is_killed_by_the_rls_suite(schemactl_server: TestServer) -> None:
    sql_dir = ROOT / "sql"
    every = generate_mutants(sql_dir)
    sample = select_sample(every, SAMPLE_SIZE, SEED)
    assert sorted(m.kind for m in sample) == sorted(KINDS)
    tables = sorted({t for m in sample if (t := _table(m.target)) is not None})
    rls = ROOT / "tests" / "rls"
    test_args = [
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        str(rls / "test_contract.py"),
        str(rls / "test_matrix.py"),
        "-k",
        " or ".join(["test_contract", *tables]),
    ]
    report = run_mutants(
        sql_dir,
        test_args,
        sample=SAMPLE_SIZE,
        seed=SEED,
        jobs=JOBS,
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
    assert {kind: n["killed"] for kind, n in report.by_kind().items()} == dict.fromkeys(KINDS, 1)
