"""Settings: defaults < pyproject.toml < schemactl.toml < environment < options."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.config import Settings, load_settings
from schemactl.errors import ConfigError


def test_defaults(tmp_path: Path) -> None:
    s = load_settings(tmp_path, env={})
    assert s == Settings(project_dir=tmp_path)
    assert s.lock_timeout == "5s"
    assert s.auth_shim == "auto"
    assert s.resolve(s.sql_dir) == tmp_path / "sql"


def test_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.schemactl]\nsql_dir = "schema"\nlock_timeout = "1s"\nauth_shim = "never"\n'
    )
    (tmp_path / "schemactl.toml").write_text('lock_timeout = "2s"\nstatement-timeout = "9s"\n')
    env = {"SCHEMACTL_LOCK_TIMEOUT": "3s", "DATABASE_URL": "postgresql://env/db"}
    s = load_settings(tmp_path, env=env)
    assert s.sql_dir == Path("schema")  # pyproject
    assert s.statement_timeout == "9s"  # schemactl.toml, dashed key accepted
    assert s.lock_timeout == "3s"  # env beats both files
    assert s.auth_shim == "never"
    assert s.database_url == "postgresql://env/db"
    s = load_settings(tmp_path, env=env, lock_timeout="4s", database_url=None)
    assert s.lock_timeout == "4s"  # an explicit option beats everything
    assert s.database_url == "postgresql://env/db"  # None means "not given"


def test_schemactl_database_url_beats_database_url(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql://a/x", "SCHEMACTL_DATABASE_URL": "postgresql://b/y"}
    assert load_settings(tmp_path, env=env).database_url == "postgresql://b/y"


def test_bool_from_env(tmp_path: Path) -> None:
    assert load_settings(tmp_path, env={"SCHEMACTL_STRICT": "yes"}).strict is True
    with pytest.raises(ConfigError, match="SCHEMACTL_STRICT: strict must be true or false"):
        load_settings(tmp_path, env={"SCHEMACTL_STRICT": "maybe"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.schemactl]\nsql_dri = "x"\n', "unknown setting 'sql_dri'"),
        ('[tool.schemactl]\nauth_shim = "sometimes"\n', "auth_shim must be one of"),
        ("[tool.schemactl\n", "pyproject.toml"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, env={})
    assert message in caught.value.message
    assert "\n" not in caught.value.message
