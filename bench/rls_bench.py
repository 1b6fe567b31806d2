"""Issue 3: the price of RLS on ``transfers``, as a user vs service_role with an explicit filter.

One fresh database with ``sql/`` applied; 100 companies x 10 projects, 1,000,000 transfers
(as superuser, then VACUUM ANALYZE). The user is a plain member of ONE company (10 projects).
Each timed run is its own transaction (BEGIN; SET LOCAL ROLE; claims via set_config; the
query), the set-up statements are not timed, and every variant runs in every round so load
drift hits all of them alike. Variants:

* ``user``: role authenticated, schemactl's policies (``sql/policies/transfers.sql``);
* ``service``: role service_role (BYPASSRLS) with ``project_id IN (<the 10 projects>)``;
* ``spec``: role authenticated under the design document's ORIGINAL policy "Users see project
  transfers" (LEFT JOINs, bare ``auth.uid()``), swapped in for ``transfers_select`` on the
  same database after the other variants ran (same rows, same statistics).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import psycopg
from common import ROOT, BenchServer, admin_connection, log, scratch_database, verdict
from psycopg import sql

from schemactl import api

RATIO_TARGET = 1.5  # user / service

QUERIES = {
    "count": "SELECT count(*) FROM transfers",
    "page": "SELECT * FROM transfers WHERE status = 'pending' ORDER BY created_at DESC LIMIT 50",
}

# The design document's policy, verbatim (sql/policies/transfers.sql replaces it).
SPEC_POLICY = """
CREATE POLICY "Users see project transfers" ON transfers
  FOR SELECT USING (
    project_id IN (
      SELECT p.id FROM projects p
      LEFT JOIN company_members cm ON cm.company_id = p.company_id
      LEFT JOIN project_members pm ON pm.project_id = p.id
      WHERE cm.user_id = auth.uid() OR pm.user_id = auth.uid()
    )
  )
"""

STATUSES = ("pending", "running", "completed", "completed", "completed", "failed")

# Tenants, built set-wise as superuser. Per company: an owner, an admin and 3 members, plus a
# contractor who is a project_member (developer) of each of its 10 projects; 2 agents per
# project. Deterministic ids (md5 of a label) so two runs build the same world.
SEED = [
    """
    INSERT INTO auth.users (id, email)
    SELECT md5('user-' || c || '-' || k)::uuid, 'u' || c || '_' || k || '@example.com'
    FROM generate_series(0, %(companies)s - 1) AS c, generate_series(0, 5) AS k
    """,
    """
    INSERT INTO user_profiles (id, full_name)
    SELECT id, email FROM auth.users
    """,
    """
    INSERT INTO companies (id, name, slug)
    SELECT md5('company-' || c)::uuid, 'Company ' || c, 'company-' || c
    FROM generate_series(0, %(companies)s - 1) AS c
    """,
    """
    INSERT INTO company_members (company_id, user_id, role)
    SELECT md5('company-' || c)::uuid, md5('user-' || c || '-' || k)::uuid,
           (ARRAY['owner', 'admin', 'member', 'member', 'member'])[k + 1]
    FROM generate_series(0, %(companies)s - 1) AS c, generate_series(0, 4) AS k
    """,
    """
    INSERT INTO projects (id, company_id, name, slug)
    SELECT md5('project-' || c || '-' || j)::uuid, md5('company-' || c)::uuid,
           'Project ' || j, 'project-' || j
    FROM generate_series(0, %(companies)s - 1) AS c,
         generate_series(0, %(projects_per_company)s - 1) AS j
    """,
    """
    INSERT INTO project_members (project_id, user_id, role)
    SELECT md5('project-' || c || '-' || j)::uuid, md5('user-' || c || '-5')::uuid, 'developer'
    FROM generate_series(0, %(companies)s - 1) AS c,
         generate_series(0, %(projects_per_company)s - 1) AS j
    """,
    """
    INSERT INTO agents (id, project_id, name, api_key_hash)
    SELECT md5('agent-' || p.id || '-' || a)::uuid, p.id, 'agent ' || a, md5(p.id || '-' || a)
    FROM projects AS p, generate_series(0, 1) AS a
    """,
    # project numbers 0..N-1 for the set-wise spread of transfers
    """
    CREATE TEMP TABLE bench_projects AS
    SELECT (row_number() OVER (ORDER BY p.id) - 1)::int AS n, p.id,
           md5('agent-' || p.id || '-0')::uuid AS agent_a,
           md5('agent-' || p.id || '-1')::uuid AS agent_b
    FROM projects AS p
    """,
    "CREATE UNIQUE INDEX ON bench_projects (n)",
    """
    INSERT INTO transfers (project_id, source_agent_id, destination_agent_id, file_name,
                           file_size, status, bytes_transferred, created_at)
    SELECT bp.id, bp.agent_a, bp.agent_b, 'file-' || g || '.bin', (g %% 100000) * 1024,
           (%(statuses)s::text[])[1 + (g * 7919) %% %(status_count)s],
           (g %% 100000) * 512,
           timestamptz '2025-01-01' + make_interval(secs => g * 31)
    FROM generate_series(0::bigint, %(transfers)s - 1) AS g
    JOIN bench_projects AS bp ON bp.n = (g * 7) %% %(projects)s
    """,
]


def seed(url: str, *, companies: int, projects_per_company: int, transfers: int) -> None:
    """Fill the tenant tables and ``transfers``; then VACUUM ANALYZE."""
    params = {
        "companies": companies,
        "projects_per_company": projects_per_company,
        "projects": companies * projects_per_company,
        "transfers": transfers,
        "statuses": list(STATUSES),
        "status_count": len(STATUSES),
    }
    with admin_connection(url) as conn:
        with conn.transaction():
            # the rows are consistent by construction: skip per-row FK triggers while loading
            conn.execute("SET LOCAL session_replication_role = replica")
            for statement in SEED:
                conn.execute(statement, params)
        conn.execute("VACUUM ANALYZE")


def member_and_projects(url: str) -> tuple[str, list[str]]:
    """The benchmark user (a plain member of company 0) and that company's project ids."""
    with admin_connection(url) as conn:
        user = conn.execute("SELECT md5('user-0-2')::uuid::text").fetchone()
        rows = conn.execute(
            "SELECT id::text FROM projects WHERE company_id = md5('company-0')::uuid ORDER BY id"
        ).fetchall()
    assert user is not None
    return str(user[0]), [r[0] for r in rows]


def _variant_query(variant: str, query: str, project_ids: list[str]) -> sql.Composable:
    if variant != "service":
        return sql.SQL(query)  # type: ignore[arg-type]
    # the explicit filter a service_role client would write: project_id IN (<10 literals>)
    filter_ = sql.SQL("project_id IN ({})").format(
        sql.SQL(", ").join(sql.SQL("{}::uuid").format(sql.Literal(p)) for p in project_ids)
    )
    if " WHERE " in query:
        head, tail = query.split(" WHERE ", 1)
        return sql.SQL("{} WHERE {} AND {}").format(sql.SQL(head), filter_, sql.SQL(tail))  # type: ignore[arg-type]
    return sql.SQL("{} WHERE {}").format(sql.SQL(query), filter_)  # type: ignore[arg-type]


def _impersonate(cur: psycopg.Cursor[Any], variant: str, user: str) -> None:
    role = "service_role" if variant == "service" else "authenticated"
    cur.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    claims = {"role": role} if variant == "service" else {"sub": user, "role": role}
    cur.execute(
        "SELECT set_config('request.jwt.claims', %s, true),"
        " set_config('request.jwt.claim.sub', %s, true)",
        (json.dumps(claims), claims.get("sub", "")),
    )


def run_once(
    conn: psycopg.Connection[Any], variant: str, query: sql.Composable, user: str
) -> tuple[float, list[Any]]:
    """One timed run in its own transaction (rolled back); (seconds, rows)."""
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        _impersonate(cur, variant, user)
        started = time.perf_counter()
        cur.execute(query)
        rows = cur.fetchall()
        return time.perf_counter() - started, rows


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("Plans", []):
        found.extend(_walk(child))
    return found


def explain(
    conn: psycopg.Connection[Any], variant: str, query: sql.Composable, user: str
) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of one variant: totals, InitPlans, per-row sub-plans, text."""
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        _impersonate(cur, variant, user)
        cur.execute(sql.SQL("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {}").format(query))
        row = cur.fetchone()
        assert row is not None
        doc = row[0][0]
        cur.execute(sql.SQL("EXPLAIN (ANALYZE, BUFFERS) {}").format(query))
        text = [r[0] for r in cur.fetchall()]
    nodes = _walk(doc["Plan"])
    top = doc["Plan"]
    subplans = [
        {
            "name": n.get("Subplan Name", ""),
            "relationship": n.get("Parent Relationship"),
            "node": n.get("Node Type"),
            "loops": n.get("Actual Loops"),
        }
        for n in nodes
        if n.get("Parent Relationship") in ("InitPlan", "SubPlan")
    ]
    functions = [
        {"function": n.get("Function Name"), "loops": n.get("Actual Loops")}
        for n in nodes
        if n.get("Node Type") == "Function Scan"
    ]
    per_row = [s for s in subplans if s["relationship"] == "SubPlan" and (s["loops"] or 0) > 1]
    scan = next((n for n in nodes if n.get("Relation Name") == "transfers"), {})
    # a hashed SubPlan runs once but is probed for EVERY row of the scan (a Filter, not an
    # Index Cond): the policy cannot narrow the scan to the caller's projects
    hashed = "hashed SubPlan" in str(scan.get("Filter", ""))
    if per_row:
        helpers = "per row (SubPlan loops > 1)"
    elif hashed:
        helpers = "once (hashed SubPlan), probed per scanned row"
    elif subplans:
        helpers = "once (InitPlan)"
    else:
        helpers = "no sub-plan"
    return {
        "planning_ms": doc.get("Planning Time"),
        "execution_ms": doc.get("Execution Time"),
        "top_node": top.get("Node Type"),
        "shared_hit_blocks": top.get("Shared Hit Blocks"),
        "shared_read_blocks": top.get("Shared Read Blocks"),
        "initplans": [s for s in subplans if s["relationship"] == "InitPlan"],
        "subplans": [s for s in subplans if s["relationship"] == "SubPlan"],
        "function_scans": functions,
        "helpers_run": helpers,
        "transfers_scan": {
            "node": scan.get("Node Type"),
            "index": scan.get("Index Name"),
            "index_cond": scan.get("Index Cond"),
            "filter": scan.get("Filter"),
            "rows": scan.get("Actual Rows"),
            "rows_removed_by_filter": scan.get("Rows Removed by Filter"),
        },
        "scans": sorted(
            {
                f"{n['Node Type']} on {n['Relation Name']}"
                + (f" using {n['Index Name']}" if "Index Name" in n else "")
                for n in nodes
                if "Relation Name" in n
            }
        ),
        "text": text,
    }


def measure(
    conn: psycopg.Connection[Any],
    variants: list[str],
    user: str,
    project_ids: list[str],
    runs: int,
) -> dict[str, dict[str, Any]]:
    """Median seconds per (query, variant), with a warm-up run and a result cross-check."""
    out: dict[str, dict[str, Any]] = {}
    for qname, query in QUERIES.items():
        composed = {v: _variant_query(v, query, project_ids) for v in variants}
        samples: dict[str, list[float]] = {v: [] for v in variants}
        results: dict[str, list[Any]] = {}
        for v in variants:  # warm-up: caches and plan cache alike for everyone
            _, results[v] = run_once(conn, v, composed[v], user)
        for _ in range(runs):
            for v in variants:
                seconds, _rows = run_once(conn, v, composed[v], user)
                samples[v].append(seconds)
        out[qname] = {
            v: {
                "median_ms": statistics.median(samples[v]) * 1000,
                "samples_ms": [s * 1000 for s in samples[v]],
                "rows": len(results[v]),
                "first": str(results[v][0][0]) if results[v] else None,
                "explain": explain(conn, v, composed[v], user),
            }
            for v in variants
        }
    return out


def run(
    server: BenchServer,
    *,
    transfers: int = 1_000_000,
    companies: int = 100,
    projects_per_company: int = 10,
    runs: int = 7,
) -> dict[str, Any]:
    """The whole RLS benchmark; a JSON-friendly dict with ratios and verdicts."""
    results: dict[str, Any] = {
        "transfers": transfers,
        "companies": companies,
        "projects": companies * projects_per_company,
        "runs": runs,
    }
    with scratch_database(server, "bench_rls") as url:
        log("rls bench: apply sql/")
        api.apply(ROOT / "sql", database_url=url, project_dir=ROOT)
        log(f"rls bench: seed {transfers:,} transfers")
        started = time.perf_counter()
        seed(
            url,
            companies=companies,
            projects_per_company=projects_per_company,
            transfers=transfers,
        )
        results["seed_seconds"] = time.perf_counter() - started
        user, project_ids = member_and_projects(url)
        results["user_projects"] = len(project_ids)

        with psycopg.connect(url, autocommit=True) as conn:
            # no server-side prepared statements: every run plans like a fresh API request
            conn.prepare_threshold = None
            log(f"rls bench: user vs service, {runs} runs each")
            measured = measure(conn, ["user", "service"], user, project_ids, runs)
            log("rls bench: the spec's original policy on the same table")
            conn.execute("DROP POLICY transfers_select ON transfers")
            conn.execute(SPEC_POLICY)
            spec = measure(conn, ["spec", "service"], user, project_ids, runs)

    for qname in QUERIES:
        row = measured[qname]
        row["spec"] = spec[qname]["spec"]
        row["service_during_spec"] = spec[qname]["service"]
        service = row["service"]["median_ms"]
        row["ratio_user"] = row["user"]["median_ms"] / service
        # against the service run of the same rounds: drift between phases cancels out
        row["ratio_spec"] = row["spec"]["median_ms"] / row["service_during_spec"]["median_ms"]
        row["target"] = RATIO_TARGET
        row["verdict"] = verdict(row["ratio_user"], RATIO_TARGET)
        # every variant must see the same rows, or the ratio compares different work
        answers = {v: (row[v]["rows"], row[v]["first"]) for v in ("user", "service", "spec")}
        if len(set(answers.values())) != 1:
            raise RuntimeError(f"variants disagree on {qname}: {answers}")
    results["queries"] = {q: measured[q] for q in QUERIES}
    return results


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows (what, measured, baseline, ratio, verdict) of the printed table."""
    rows = []
    for qname, row in results["queries"].items():
        service = f"{row['service']['median_ms']:.1f} ms"
        rows.append(
            (
                f"rls {qname}: user (schemactl policy) vs service",
                f"{row['user']['median_ms']:.1f} ms",
                service,
                f"{row['ratio_user']:.2f}x",
                f"{row['verdict']} (<= {row['target']}x)",
            )
        )
        rows.append(
            (
                f"rls {qname}: user (spec policy) vs service",
                f"{row['spec']['median_ms']:.1f} ms",
                f"{row['service_during_spec']['median_ms']:.1f} ms",
                f"{row['ratio_spec']:.2f}x",
                "(reference)",
            )
        )
    return rows
