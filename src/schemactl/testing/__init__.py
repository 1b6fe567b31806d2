"""schemactl.testing: fixtures and helpers to test a schema's RLS against real PostgreSQL.

The pytest fixtures live in :mod:`schemactl.testing.plugin` (loaded automatically through
the ``pytest11`` entry point). Everything here also works without pytest.
"""

from schemactl.testing.assertions import assert_denied, assert_visible
from schemactl.testing.impersonate import (
    ImpersonationError,
    as_anon,
    as_role,
    as_service,
    as_user,
)
from schemactl.testing.server import TestServer

__all__ = [
    "ImpersonationError",
    "TestServer",
    "as_anon",
    "as_role",
    "as_service",
    "as_user",
    "assert_denied",
    "assert_visible",
]
