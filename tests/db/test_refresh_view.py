"""project_realtime_stats equals ground truth, column by column, for every project.

The data has what broke the spec's query: projects with several agents AND several active
transfers (the spec's join multiplied one by the other), agents without telemetry or
heartbeat, telemetry older than 24 hours, transfers without throughput. The expected
numbers are computed here in Python from the rows the test inserted, not by SQL.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

pytestmark = pytest.mark.db

SPEC_QUERY = """
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
  SELECT agent_id, metrics FROM agent_telemetry
  WHERE agent_id = a.id AND timestamp > NOW() - INTERVAL '24 hours'
  ORDER BY timestamp DESC LIMIT 1
) att ON true
GROUP BY p.id
"""


@dataclass
class Agent:
    id: uuid.UUID
    heartbeat: str | None  # status of its heartbeat row, None: no row
    # (timestamp, bytes_transferred or None when the metrics lack the key)
    telemetry: list[tuple[datetime, int | None]] = field(default_factory=list)


@dataclass
class Project:
    id: uuid.UUID
    agents: list[Agent] = field(default_factory=list)
    throughputs: list[float | None] = field(default_factory=list)  # one per active transfer


def expected_row(project: Project, now: datetime) -> tuple[Any, ...]:
    """The project's stats computed from the inserted rows."""
    online = sum(1 for a in project.agents if a.heartbeat == "online")
    throughput = sum(t for t in project.throughputs if t is not None)
    bytes_today = 0
    for agent in project.agents:
        recent = [row for row in agent.telemetry if row[0] > now - timedelta(hours=24)]
        if recent:
            latest = max(recent, key=lambda row: row[0])
            bytes_today += latest[1] or 0
    return (
        len(project.agents),
        online,
        len(project.throughputs),
        throughput,
        bytes_today,
    )


def load(conn: psycopg.Connection[Any], rng: random.Random, now: datetime) -> list[Project]:
    company = conn.execute(
        "INSERT INTO companies (name, slug) VALUES ('c', 'c') RETURNING id"
    ).fetchone()
    assert company is not None
    projects: list[Project] = []
    for p in range(12):
        project = Project(uuid.uuid4())
        projects.append(project)
        conn.execute(
            "INSERT INTO projects (id, company_id, name, slug) VALUES (%s, %s, %s, %s)",
            (project.id, company[0], f"p{p}", f"p{p}"),
        )
        # project 0 has nothing, project 1 agents only, project 2 transfers only
        n_agents = 0 if p in (0, 2) else rng.randint(1, 6)
        n_transfers = 0 if p in (0, 1) else rng.randint(1, 5)
        for _ in range(n_agents):
            agent = Agent(uuid.uuid4(), rng.choice(["online", "online", "offline", None]))
            project.agents.append(agent)
            conn.execute(
                "INSERT INTO agents (id, project_id, name, api_key_hash) VALUES (%s, %s, 'a', 'h')",
                (agent.id, project.id),
            )
            if agent.heartbeat is not None:
                conn.execute(
                    "INSERT INTO agent_heartbeats (agent_id, status) VALUES (%s, %s)",
                    (agent.id, agent.heartbeat),
                )
            # offsets in minutes: some recent, some older than 24 h, one in January 2025
            offsets = rng.sample([5, 30, 90, 300, 1000, 1380, 1500, 3000, 10000], rng.randint(0, 5))
            stamps = [now - timedelta(minutes=m) for m in offsets]
            if rng.random() < 0.3:
                stamps.append(datetime.fromisoformat("2025-01-15T12:00:00+00:00"))
            for stamp in stamps:
                value = None if rng.random() < 0.15 else rng.randint(1, 10**12)
                metrics = {} if value is None else {"bytes_transferred": value}
                agent.telemetry.append((stamp, value))
                conn.execute(
                    "INSERT INTO agent_telemetry (agent_id, project_id, timestamp, metrics)"
                    " VALUES (%s, %s, %s, %s)",
                    (agent.id, project.id, stamp, json.dumps(metrics)),
                )
        for _ in range(n_transfers):
            # quarters add up exactly in floating point, whatever the order
            throughput = None if rng.random() < 0.2 else rng.randint(0, 4000) / 4
            project.throughputs.append(throughput)
            agent_id = rng.choice(project.agents).id if project.agents else None
            conn.execute(
                "INSERT INTO active_transfers (id, agent_id, project_id, status, throughput_mbps)"
                " VALUES (%s, %s, %s, 'running', %s)",
                (uuid.uuid4(), agent_id, project.id, throughput),
            )
    return projects


def view_rows(conn: psycopg.Connection[Any], view: str) -> dict[uuid.UUID, tuple[Any, ...]]:
    rows = conn.execute(
        f"SELECT project_id, total_agents, online_agents, active_transfers,"
        f" total_throughput_mbps, bytes_today FROM {view}"
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_column_equals_ground_truth(schemactl_db: psycopg.Connection[Any], seed: int) -> None:
    now_row = schemactl_db.execute("SELECT now()").fetchone()
    assert now_row is not None
    now: datetime = now_row[0]
    projects = load(schemactl_db, random.Random(seed), now)
    schemactl_db.commit()
    schemactl_db.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY public.project_realtime_stats")
    schemactl_db.commit()
    # the refresh ran a moment after `now`: no telemetry row sits that close to 24 h old
    got = view_rows(schemactl_db, "public.project_realtime_stats")
    expected = {p.id: expected_row(p, now) for p in projects}
    assert got == expected
    # the data is one the spec's query gets wrong (several agents and transfers per project)
    schemactl_db.execute(SPEC_QUERY)
    assert view_rows(schemactl_db, "spec_realtime_stats") != expected


def test_column_types_match_the_accessor_function(schemactl_db: psycopg.Connection[Any]) -> None:
    """project_realtime_stats_for_me() spells the columns out: the view must keep its types."""
    rows = schemactl_db.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
        " WHERE attrelid = 'public.project_realtime_stats'::regclass AND attnum > 0"
        " ORDER BY attnum"
    ).fetchall()
    assert rows == [
        ("project_id", "uuid"),
        ("total_agents", "bigint"),
        ("online_agents", "bigint"),
        ("active_transfers", "bigint"),
        ("total_throughput_mbps", "double precision"),
        ("bytes_today", "numeric"),
    ]
    unique = schemactl_db.execute(
        "SELECT count(*) FROM pg_index WHERE indrelid = 'public.project_realtime_stats'::regclass"
        " AND indisunique AND indpred IS NULL AND indexprs IS NULL AND indkey::text = '1'"
    ).fetchone()
    assert unique == (1,)
