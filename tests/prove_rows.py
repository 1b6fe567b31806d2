"""Rows in every table of the platform schema, for the snapshot / drift / prove tests.

The RLS suite's fixed world (tests/rls) fills every table; its modules import each other
by their bare names, so their folder goes on sys.path here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent / "rls"))

from rls_model import insert_world
from rls_seed import build_seed


def fill_platform(url: str) -> None:
    """Insert the RLS suite's world into the platform database at ``url`` and commit.

    Plus telemetry of January 2025, so that its partition holds rows too.
    """
    conn: psycopg.Connection[Any]
    with psycopg.connect(url) as conn:
        insert_world(conn, build_seed().world)
        conn.execute(
            "INSERT INTO public.agent_telemetry (agent_id, project_id, timestamp, metrics)"
            " SELECT agent_id, project_id, timestamptz '2025-01-15', metrics"
            " FROM public.agent_telemetry"
        )
