"""``schemactl prove`` benchmark (issue 11): a 20-change plan on the platform schema.

The target is the platform schema (sql/) with 100,000 rows spread over its tables (the RLS
benchmark's tenants, agents and transfers); the desired schema is the same plus 20 changes
(columns, indexes, checks, comments, a table with its policy, a function, a view, grants).
Each run proves the plan with a clone on the embedded server (1,000 rows per table, the
parents their foreign keys need, as ``schemactl prove`` does by default): the median, and
the share of cloning, applying and comparing in it. Goal: under 10 s.
"""

from __future__ import annotations

import statistics
from typing import Any

import psycopg
import rls_bench
from common import ROOT, BenchServer, log, scratch_database

from schemactl import api
from schemactl.core.diff import diff_catalogs
from schemactl.db.introspect import introspect, list_schemas, managed_schemas
from schemactl.prove import prove_diff

GOAL_SECONDS = 10.0
TARGET_ROWS = 100_000

CHANGES = """
ALTER TABLE public.transfers ADD COLUMN note text DEFAULT 'none';
ALTER TABLE public.agents ADD COLUMN region text;
ALTER TABLE public.projects ADD COLUMN archived boolean NOT NULL DEFAULT false;
ALTER TABLE public.companies ADD COLUMN tier text;
ALTER TABLE public.transfers ALTER COLUMN priority SET DEFAULT 'low';
CREATE INDEX transfers_note ON public.transfers (note);
CREATE INDEX transfers_size ON public.transfers (file_size);
CREATE INDEX agents_region ON public.agents (region);
ALTER TABLE public.agents ADD CONSTRAINT agents_name_len CHECK (length(name) < 500);
ALTER TABLE public.transfers ADD CONSTRAINT transfers_progress_ok CHECK (progress >= 0);
COMMENT ON TABLE public.projects IS 'projects of a company';
COMMENT ON TABLE public.transfers IS 'file transfers between two agents';
COMMENT ON COLUMN public.transfers.note IS 'free text';
CREATE TABLE public.transfer_tags (transfer_id uuid NOT NULL, tag text NOT NULL);
ALTER TABLE public.transfer_tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY transfer_tags_read ON public.transfer_tags FOR SELECT TO authenticated USING (true);
CREATE FUNCTION public.transfer_gb(size bigint) RETURNS numeric LANGUAGE sql IMMUTABLE
    AS 'SELECT size / 1e9';
CREATE VIEW public.transfer_sizes AS SELECT project_id, sum(file_size) AS bytes
    FROM public.transfers GROUP BY project_id;
GRANT SELECT ON public.transfer_sizes TO authenticated;
CREATE INDEX transfer_tags_tag ON public.transfer_tags (tag);
"""


def _model(url: str) -> Any:
    with psycopg.connect(url) as conn:
        return introspect(conn, managed_schemas(list_schemas(conn)))


def _seed(url: str, rows: int) -> int:
    # ~5% tenants, users, members, projects and agents; the rest transfers
    rls_bench.seed(url, companies=50, projects_per_company=10, transfers=rows - 2_600)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT sum(n_live_tup) FROM pg_stat_user_tables WHERE schemaname = 'public'"
        ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def run(server: BenchServer, *, runs: int = 5, rows: int = TARGET_ROWS) -> dict[str, Any]:
    """Prove the 20-change plan ``runs`` times; median and phase shares."""
    sql_dir = ROOT / "sql"
    with (
        scratch_database(server, "bench_prove") as target,
        scratch_database(server, "bench_want") as desired_url,
    ):
        api.apply(sql_dir, database_url=target)
        api.apply(sql_dir, database_url=desired_url)
        with psycopg.connect(desired_url, autocommit=True) as conn:
            conn.execute(CHANGES.encode())
        loaded = _seed(target, rows)
        desired = _model(desired_url)
        result = diff_catalogs(_model(target), desired)
        log(f"prove: {len(result.changes)} changes, {len(result.statements)} statements, "
            f"{loaded} rows in the target")  # fmt: skip
        samples: list[dict[str, float]] = []
        proof = None
        for i in range(runs):
            proof = prove_diff(result, desired, target, rows=1000)
            if not proof.ok:
                raise SystemExit(f"prove benchmark: the plan was not proved: {proof.failures}")
            samples.append(dict(proof.seconds))
            log(f"prove run {i + 1}/{runs}: {proof.seconds['total']:.2f} s")
    assert proof is not None
    totals = [s["total"] for s in samples]
    median = statistics.median(totals)
    middle = samples[totals.index(sorted(totals)[len(totals) // 2])]
    return {
        "changes": len(result.changes),
        "statements": len(result.statements),
        "target_rows": loaded,
        "clone_rows": sum(c.before for c in proof.data),
        "median_seconds": median,
        "samples": totals,
        "phases_of_median_run": {k: middle[k] for k in ("clone", "apply", "compare")},
        "share": {k: middle[k] / middle["total"] for k in ("clone", "apply", "compare")},
        "goal_seconds": GOAL_SECONDS,
    }


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows for run.py's table."""
    share = results["share"]
    shares = ", ".join(f"{k} {v:.0%}" for k, v in share.items())
    verdict = "PASS" if results["median_seconds"] < GOAL_SECONDS else "FAIL"
    return [
        (
            f"prove {results['changes']}-change plan, {results['target_rows']:,} rows ({shares})",
            f"{results['median_seconds']:.2f} s",
            "-",
            "-",
            f"{verdict} (< {GOAL_SECONDS:.0f} s)",
        )
    ]
