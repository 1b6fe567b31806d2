"""The default scope of a files diff (core/scope.py) and the ``schemas`` setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.config import load_settings
from schemactl.core.parse import parse_file
from schemactl.core.scope import file_schemas
from schemactl.errors import ConfigError
from schemactl.model import Plan, SqlFile


def plan_of(text: str) -> Plan:
    statements = parse_file(SqlFile("s.sql", "sql/s.sql", text, ""))
    return Plan("sql", (), statements, tuple(() for _ in statements))


def test_schemas_the_files_create_or_put_objects_in_plus_public() -> None:
    plan = plan_of(
        "CREATE SCHEMA app;\n"
        'CREATE TABLE "Billing".invoice (id int);\n'
        "CREATE FUNCTION util.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
        "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions;\n"
        "CREATE POLICY p ON auth.users USING (true);\n"
        "SELECT * FROM reporting.v;\n"
    )
    assert file_schemas(plan, unmanaged={"auth", "extensions"}) == (
        "Billing",
        "app",
        "public",
        "util",
    )


def test_schemas_setting_is_a_checked_list(tmp_path: Path) -> None:
    (tmp_path / "schemactl.toml").write_text('lock_wait = "1s"\nschemas = ["app", "public"]\n')
    assert load_settings(tmp_path, env={}).schemas == ("app", "public")
    assert load_settings(tmp_path, env={"SCHEMACTL_SCHEMAS": "a, b"}).schemas == ("a", "b")
    (tmp_path / "schemactl.toml").write_text('\nschemas = "app"\n')
    with pytest.raises(ConfigError) as wrong:
        load_settings(tmp_path, env={})
    assert (
        wrong.value.message
        == f"{tmp_path}/schemactl.toml:2: schemas must be an array of strings, not a string"
    )
    (tmp_path / "schemactl.toml").write_text("schemas = []\n")
    with pytest.raises(ConfigError, match="schemas is empty"):
        load_settings(tmp_path, env={})
