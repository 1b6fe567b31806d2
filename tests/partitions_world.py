"""Data and helpers of the `schemactl partitions` tests (tests/*/test_partitions*.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import psycopg

from schemactl.partitions.periods import add_months, period_start

PARENT = "public.agent_telemetry"


def write_project(root: Path, **options: Any) -> Path:
    """A project directory whose pyproject.toml configures agent_telemetry (month, premake 3)."""
    settings = {"interval": "month", "premake": 3, "retention": "13 months", **options}
    lines = ["[tool.schemactl.partitions.agent_telemetry]"]
    for key, value in settings.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key} = {value}")
        else:
            lines.append(f'{key} = "{value}"')
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return root


def this_month() -> dt.date:
    """The first day of the current UTC month (the clock ensure reads)."""
    return period_start(dt.datetime.now(dt.UTC).date(), "month")


def month_name(offset: int) -> str:
    """``agent_telemetry_YYYY_MM`` of the month ``offset`` months from now."""
    return "agent_telemetry_" + add_months(this_month(), offset).strftime("%Y_%m")


def seed_telemetry(
    conn: psycopg.Connection[Any], month_offsets: list[int], per_month: int = 5
) -> dict[str, uuid.UUID]:
    """Two tenants (companies A and B, a project and an agent each) with telemetry rows.

    Each tenant gets ``per_month`` rows in each month of ``month_offsets`` (relative to the
    current UTC month), inserted through the parent and committed. Returns the ids.
    """
    ids: dict[str, uuid.UUID] = {}
    for tenant in ("a", "b"):
        company = conn.execute(
            "INSERT INTO companies (name, slug) VALUES (%s, %s) RETURNING id",
            (f"company {tenant}", f"company-{tenant}-{uuid.uuid4().hex[:6]}"),
        ).fetchone()
        assert company is not None
        project = conn.execute(
            "INSERT INTO projects (company_id, name, slug) VALUES (%s, %s, %s) RETURNING id",
            (company[0], f"project {tenant}", f"project-{tenant}"),
        ).fetchone()
        assert project is not None
        agent = conn.execute(
            "INSERT INTO agents (project_id, name, api_key_hash) VALUES (%s, %s, 'x') RETURNING id",
            (project[0], f"agent {tenant}"),
        ).fetchone()
        assert agent is not None
        ids[f"company_{tenant}"], ids[f"project_{tenant}"] = company[0], project[0]
        ids[f"agent_{tenant}"] = agent[0]
        rows = []
        for offset in month_offsets:
            start = dt.datetime.combine(add_months(this_month(), offset), dt.time(), dt.UTC)
            for i in range(per_month):
                rows.append((agent[0], project[0], start + dt.timedelta(hours=7 * i + 1), i))
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO agent_telemetry (agent_id, project_id, timestamp, metrics)"
                " VALUES (%s, %s, %s, jsonb_build_object('n', %s))",
                rows,
            )
    conn.commit()
    return ids


def fingerprint(conn: psycopg.Connection[Any]) -> tuple[int, str]:
    """Row count and checksum of every telemetry row (read through the parent)."""
    row = conn.execute(
        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.agent_id, t.timestamp),"
        " '')) FROM agent_telemetry AS t"
    ).fetchone()
    conn.commit()
    assert row is not None
    return int(row[0]), str(row[1])


def placement(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Rows per partition (tableoid), read through the parent."""
    rows = conn.execute(
        "SELECT tableoid::regclass::text, count(*) FROM agent_telemetry GROUP BY 1"
    ).fetchall()
    conn.commit()
    return {name: int(count) for name, count in rows}


def partitions_of(conn: psycopg.Connection[Any]) -> list[str]:
    """Names of the partitions of agent_telemetry."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'public.agent_telemetry'::regclass ORDER BY 1"
    ).fetchall()
    conn.commit()
    return [r[0] for r in rows]
