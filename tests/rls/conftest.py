"""Fixtures of the RLS suite: the seeded world (rls_seed.py) and impersonation by actor name."""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
import pytest
from rls_model import insert_world
from rls_seed import Impersonate, Seed, build_seed


@pytest.fixture
def seed(schemactl_db: psycopg.Connection[Any]) -> Seed:
    """The fixed world, inserted as superuser and committed (the materialized view refreshed)."""
    built = build_seed()
    insert_world(schemactl_db, built.world)
    schemactl_db.execute("REFRESH MATERIALIZED VIEW public.project_realtime_stats")
    schemactl_db.commit()
    return built


@pytest.fixture
def act(as_user: Any, as_anon: Any, as_service: Any, seed: Seed) -> Impersonate:
    """``act(label)``: the impersonation context of an actor of ACTORS or EXTRA_USERS."""

    def _ctx(label: str) -> contextlib.AbstractContextManager[psycopg.Cursor[Any]]:
        if label == "anon":
            return as_anon()  # type: ignore[no-any-return]
        if label == "service_role":
            return as_service()  # type: ignore[no-any-return]
        return as_user(seed.user(label))  # type: ignore[no-any-return]

    return _ctx
