"""Suite-wide configuration: the schemactl fixtures come from the installed pytest11 plugin."""

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from faults import Databases
from schemactl.testing.server import DatabaseReaper, TestServer

# pytester runs the shipped plugin from a separate test file (tests/db/test_fixtures.py)
pytest_plugins = ["pytester"]

# The platform schema is applied as a plain role, not as the superuser, so its tables are
# owned as on Supabase and FORCE ROW LEVEL SECURITY binds their owner (a superuser owner
# bypasses RLS even when forced).
os.environ.setdefault("SCHEMACTL_TEST_OWNER", "schemactl_owner")


@pytest.fixture
def databases(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> Iterator[Databases]:
    """Throwaway databases for one test (``databases.create()``), reaped after it."""
    dbs = Databases(schemactl_server, schemactl_admin, schemactl_reaper)
    try:
        yield dbs
    finally:
        dbs.close()
