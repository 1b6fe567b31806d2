"""Issue 7: refresh of ``project_realtime_stats`` at dashboard scale, beside the spec's query.

One fresh database with ``sql/`` applied; 100 companies x 10 projects (1,000), 10 agents
per project (10,000, each with a heartbeat, 70 % online), 5,000 active transfers (5 per
project), 2,000,000 telemetry rows in the last 24 h (200 per agent, in the DEFAULT
partition as on a database where ``partitions ensure`` never ran), then VACUUM ANALYZE.

Timed, interleaved round by round so load drift hits both alike:

* ``schemactl``: ``schemactl.refresh.runner.refresh_view`` on ``project_realtime_stats``
  (REFRESH ... CONCURRENTLY through ``schemactl.refresh_matview``: lock, refresh, row
  count, log row), i.e. ``schemactl refresh run`` without process start-up;
* ``spec``: the design document's original query (its ``SUM(text)`` cast fixed so that it
  runs), as a materialized view with the same unique index, refreshed CONCURRENTLY.

Goal: schemactl's median under 2 s (a 10 s schedule keeps 5x headroom).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from common import ROOT, BenchServer, admin_connection, log, scratch_database

from schemactl import api
from schemactl.db.connect import connect
from schemactl.refresh.runner import ensure_setup, refresh_view

TARGET_SECONDS = 2.0

SPEC_VIEW = """
CREATE MATERIALIZED VIEW spec_realtime_stats AS
SELECT
  p.id as project_id,
  COUNT(DISTINCT a.id) as total_agents,
  COUNT(DISTINCT CASE WHEN ah.status = 'online' THEN a.id END) as online_agents,
  COUNT(DISTINCT at.id) as active_transfers,
  COALESCE(SUM(at.throughput_mbps), 0) as total_throughput_mbps,
  COALESCE(SUM((att.metrics->>'bytes_transferred')::BIGINT), 0) as bytes_today
FROM projects p
LEFT JOIN agents a ON a.project_id = p.id
LEFT JOIN agent_heartbeats ah ON ah.agent_id = a.id
LEFT JOIN active_transfers at ON at.project_id = p.id
LEFT JOIN LATERAL (
  SELECT agent_id, metrics
  FROM agent_telemetry
  WHERE agent_id = a.id
    AND timestamp > NOW() - INTERVAL '24 hours'
  ORDER BY timestamp DESC
  LIMIT 1
) att ON true
GROUP BY p.id;
CREATE UNIQUE INDEX ON spec_realtime_stats (project_id);
"""


def seed(url: str, *, telemetry_per_agent: int) -> None:
    """Companies, projects, agents, heartbeats, transfers and telemetry (see the docstring)."""
    statements = [
        "INSERT INTO companies (name, slug) SELECT 'c' || g, 'c' || g"
        " FROM generate_series(1, 100) g",
        "INSERT INTO projects (company_id, name, slug) SELECT c.id, 'p' || g, 'p' || g"
        " FROM companies c, generate_series(1, 10) g",
        "INSERT INTO agents (project_id, name, api_key_hash) SELECT p.id, 'a' || g, 'h'"
        " FROM projects p, generate_series(1, 10) g",
        "INSERT INTO agent_heartbeats (agent_id, status) SELECT id,"
        " CASE WHEN random() < 0.7 THEN 'online' ELSE 'offline' END FROM agents",
        "INSERT INTO active_transfers (id, agent_id, project_id, status, throughput_mbps)"
        " SELECT gen_random_uuid(), id, project_id, 'running', round((random() * 100)::numeric, 2)"
        " FROM (SELECT id, project_id, row_number() OVER (ORDER BY id) AS n FROM agents) a"
        " WHERE n % 2 = 0",
        # distinct timestamps per agent (the key is agent_id, timestamp), all in the last 24 h
        "INSERT INTO agent_telemetry (agent_id, project_id, timestamp, metrics)"
        " SELECT a.id, a.project_id,"
        " now() - make_interval(secs => g * (86000.0 / %(n)s) + random()),"
        " jsonb_build_object('bytes_transferred', (random() * 1e9)::bigint, 'cpu', random())"
        " FROM agents a, generate_series(1, %(n)s) g",
    ]
    with admin_connection(url) as conn:
        for statement in statements:
            conn.execute(statement, {"n": telemetry_per_agent} if "%(n)s" in statement else None)
        conn.execute("VACUUM ANALYZE")


def run(server: BenchServer, *, runs: int = 7, telemetry_per_agent: int = 200) -> dict[str, Any]:
    """The refresh benchmark; a JSON-friendly dict with medians and the verdict."""
    results: dict[str, Any] = {
        "projects": 1000,
        "agents": 10_000,
        "active_transfers": 5000,
        "telemetry_rows": 10_000 * telemetry_per_agent,
        "runs": runs,
    }
    with scratch_database(server, "bench_refresh") as url:
        log("refresh bench: apply sql/")
        api.apply(ROOT / "sql", database_url=url, project_dir=ROOT)
        log(f"refresh bench: seed {results['telemetry_rows']:,} telemetry rows")
        started = time.perf_counter()
        seed(url, telemetry_per_agent=telemetry_per_agent)
        results["seed_seconds"] = time.perf_counter() - started
        with admin_connection(url) as admin:
            admin.execute(SPEC_VIEW)
        samples: dict[str, list[float]] = {"schemactl": [], "spec": []}
        with connect(url, lock_timeout=None, application_name="schemactl-bench") as conn:
            ensure_setup(conn)
            for view in ("public.project_realtime_stats", "public.spec_realtime_stats"):
                refresh_view(conn, view)  # warm-up: caches, populated -> CONCURRENTLY
            for i in range(runs):
                for variant, view in (
                    ("schemactl", "public.project_realtime_stats"),
                    ("spec", "public.spec_realtime_stats"),
                ):
                    t0 = time.perf_counter()
                    result = refresh_view(conn, view)
                    samples[variant].append(time.perf_counter() - t0)
                    assert result.outcome == "refreshed" and result.method == "concurrently"
                log(
                    f"refresh bench: round {i + 1}/{runs}: schemactl "
                    f"{samples['schemactl'][-1]:.3f}s, spec {samples['spec'][-1]:.3f}s"
                )
            row = conn.execute(
                "SELECT (SELECT count(*) FROM project_realtime_stats),"
                " (SELECT count(*) FROM project_realtime_stats s JOIN spec_realtime_stats o"
                "  USING (project_id) WHERE (s.total_throughput_mbps, s.bytes_today)"
                "  IS DISTINCT FROM (o.total_throughput_mbps, o.bytes_today))"
            ).fetchone()
            conn.rollback()
        assert row is not None
        results["view_rows"], results["projects_where_spec_differs"] = row
    for variant, values in samples.items():
        results[variant] = {
            "median_s": statistics.median(values),
            "min_s": min(values),
            "max_s": max(values),
            "samples_s": values,
        }
    results["ratio_schemactl_to_spec"] = (
        results["schemactl"]["median_s"] / results["spec"]["median_s"]
    )
    results["target_s"] = TARGET_SECONDS
    results["verdict"] = "PASS" if results["schemactl"]["median_s"] < TARGET_SECONDS else "FAIL"
    return results


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows (what, measured, baseline, ratio, verdict) of the printed table."""
    return [
        (
            f"refresh project_realtime_stats ({results['telemetry_rows']:,} telemetry rows)"
            " vs spec query",
            f"{results['schemactl']['median_s']:.3f} s",
            f"{results['spec']['median_s']:.3f} s",
            f"{results['ratio_schemactl_to_spec']:.2f}x",
            f"{results['verdict']} (< {results['target_s']:.0f} s)",
        )
    ]
