"""Snapshot files on a real server: exact round trip of introspected models."""

from __future__ import annotations

import psycopg
import pytest

from schemactl.core.catalog_json import dumps, fingerprint, loads
from schemactl.db.introspect import introspect, list_schemas, managed_schemas

pytestmark = pytest.mark.db


def test_introspected_platform_schema_round_trips(schemactl_db_url: str) -> None:
    with psycopg.connect(schemactl_db_url) as conn:
        model = introspect(conn, managed_schemas(list_schemas(conn)))
    assert model.tables and model.policies and model.functions and model.grants
    text = dumps(model)
    again = loads(text)
    assert again == model
    # the fields equality ignores come back too
    assert {s: v.last_value for s, v in again.sequences.items()} == {
        s: v.last_value for s, v in model.sequences.items()
    }
    assert sorted((repr(g), g.owner_key) for g in again.grants) == sorted(
        (repr(g), g.owner_key) for g in model.grants
    )
    assert dumps(again) == text
    assert fingerprint(again) == fingerprint(model)
