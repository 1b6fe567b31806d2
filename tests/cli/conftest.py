"""Fixtures of the CLI tests that need more than the schemactl plugin gives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from hostile import PasswordServer
from hostile import password_server as start_password_server
from schemactl.testing.server import TestServer


@pytest.fixture(scope="session")
def password_server(schemactl_server: TestServer) -> Iterator[PasswordServer]:
    """A private server of the session server's major version that checks passwords (scram)."""
    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(start_password_server(schemactl_server.version_num // 10000))
    except RuntimeError as exc:  # the suite needs one: a skip would hide the gap
        pytest.fail(f"no password-checking server here: {exc}")
    with stack:
        yield server
