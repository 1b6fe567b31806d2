"""Settings: defaults < pyproject.toml < schemactl.toml < environment < options."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.config import Settings, database_url_of, line_of, load_settings
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


def _config_error(tmp_path: Path, name: str, text: str) -> ConfigError:
    (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, env={})
    assert "\n" not in caught.value.message
    return caught.value


def test_unknown_setting_names_file_and_line_and_the_close_match(tmp_path: Path) -> None:
    error = _config_error(tmp_path, "schemactl.toml", '# schemactl\nsql_dri = "x"\n')
    assert error.message == f"{tmp_path}/schemactl.toml:2: unknown setting 'sql_dri'" + (
        " (did you mean 'sql_dir'?)"
    )
    assert error.hint is not None and "sql_dir" in error.hint
    error = _config_error(tmp_path, "schemactl.toml", "colour = 1\n")
    assert error.message == f"{tmp_path}/schemactl.toml:1: unknown setting 'colour'"


def test_the_line_is_found_in_the_right_table(tmp_path: Path) -> None:
    # the same key in another tool's table, and in a multi-line string, comes first
    text = (
        "[tool.other]\n"
        "sql_dri = 1\n"
        'notes = """\n'
        "[tool.schemactl]\n"
        'sql_dri = "no"\n'
        '"""\n'
        "\n"
        '[ tool . "schemactl" ]  # ours\n'
        'lock_timeout = "1s"\n'
        'sql_dri = "x"\n'
    )
    error = _config_error(tmp_path, "pyproject.toml", text)
    assert error.message.startswith(f"{tmp_path}/pyproject.toml:10: unknown setting 'sql_dri'")


def test_project_dir_cannot_be_set_in_a_file(tmp_path: Path) -> None:
    error = _config_error(tmp_path, "schemactl.toml", 'project_dir = "/"\n')
    assert "unknown setting 'project_dir'" in error.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('sql_dir = ["sql", "more"]', "sql_dir must be a string, not an array"),
        ("database_url = 5432", "database_url must be a string, not an integer"),
        ('database_url = { host = "db" }', "database_url must be a string, not a table"),
        ('strict = "yes"', "strict must be true or false, not a string"),
        ("lock_timeout = true", "lock_timeout must be a duration"),
        ("lock_timeout = 1.5", "lock_timeout must be a duration"),
        ("owner = [1]", "owner must be a string, not an array"),
        ('sql_dir = ""', "sql_dir is empty"),
        ("embedded_dir = 2024-01-01", "embedded_dir must be a string, not a date or time"),
        ('auth_shim = "sometimes"', "auth_shim must be one of auto, always, never"),
    ],
)
def test_wrong_type_names_file_and_line_and_is_not_stringified(
    tmp_path: Path, line: str, message: str
) -> None:
    error = _config_error(
        tmp_path, "pyproject.toml", f'[project]\nname = "x"\n\n[tool.schemactl]\n{line}\n'
    )
    assert error.message.startswith(f"{tmp_path}/pyproject.toml:5: {message}"), error.message


def test_integer_timeouts_are_milliseconds(tmp_path: Path) -> None:
    (tmp_path / "schemactl.toml").write_text("lock_timeout = 1500\nstrict = true\n")
    settings = load_settings(tmp_path, env={})
    assert (settings.lock_timeout, settings.strict) == ("1500", True)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[tool]\nschemactl = 5\n", 2),
        ('[project]\nname = "x"\n[tool]\nschemactl = "sql"\n', 4),
        ("tool.schemactl = [1]\n", 1),
        ("tool = 5\n", 1),
    ],
)
def test_schemactl_table_that_is_not_a_table_is_an_error(
    tmp_path: Path, text: str, line: int
) -> None:
    error = _config_error(tmp_path, "pyproject.toml", text)
    assert error.message.startswith(f"{tmp_path}/pyproject.toml:{line}: tool")
    assert "must be a table of settings" in error.message


def test_settings_in_an_inline_table_point_at_its_line(tmp_path: Path) -> None:
    text = '[tool]\nschemactl = { sql_dir = "sql", strict = "no" }\n'
    error = _config_error(tmp_path, "pyproject.toml", text)
    assert error.message.startswith(f"{tmp_path}/pyproject.toml:2: strict must be true or false")


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("[tool.schemactl\n", "1:16", "Expected ']' at the end of a table declaration"),
        ('[tool.schemactl]\nsql_dir = "sql"\nstrict = \n', "3:10", "Invalid value"),
        ('[tool.schemactl]\nsql_dir = "sq', "2:14", "Unterminated string"),
    ],
)
def test_toml_syntax_error_names_file_line_and_column(
    tmp_path: Path, text: str, position: str, reason: str
) -> None:
    error = _config_error(tmp_path, "pyproject.toml", text)
    assert error.message == f"{tmp_path}/pyproject.toml:{position}: {reason}"
    assert error.hint == "fix the TOML syntax"


def test_config_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "schemactl.toml").write_bytes(b'owner = "\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, env={})
    assert caught.value.message == f"{tmp_path}/schemactl.toml:1:10: not valid UTF-8"


@pytest.mark.parametrize(
    ("env", "toml", "source"),
    [
        ({"DATABASE_URL": ""}, "", "environment variable DATABASE_URL"),
        ({"SCHEMACTL_DATABASE_URL": " "}, "", "environment variable SCHEMACTL_DATABASE_URL"),
        # the winning source is empty: DATABASE_URL is not a fallback for it
        (
            {"SCHEMACTL_DATABASE_URL": "", "DATABASE_URL": "postgresql://a/x"},
            "",
            "environment variable SCHEMACTL_DATABASE_URL",
        ),
        ({}, 'lock_timeout = "1s"\ndatabase_url = ""\n', "{tmp}/schemactl.toml:2"),
    ],
)
def test_an_empty_database_url_is_an_error_naming_its_source(
    tmp_path: Path, env: dict[str, str], toml: str, source: str
) -> None:
    (tmp_path / "schemactl.toml").write_text(toml)
    settings = load_settings(tmp_path, env=env)  # only commands that connect refuse it
    with pytest.raises(ConfigError) as caught:
        database_url_of(settings)
    assert caught.value.message == "empty database URL from " + source.format(tmp=tmp_path)
    assert caught.value.hint is not None and "postgresql://" in caught.value.hint


def test_an_empty_database_url_option_is_an_error_and_a_given_one_wins(tmp_path: Path) -> None:
    env = {"DATABASE_URL": ""}
    with pytest.raises(ConfigError, match=r"^empty database URL from option --database-url$"):
        database_url_of(load_settings(tmp_path, env={}, database_url=""))
    given = load_settings(tmp_path, env=env, database_url="postgresql://b/y")
    assert database_url_of(given) == "postgresql://b/y"
    assert database_url_of(load_settings(tmp_path, env={})) is None  # embedded server


def test_line_of_handles_dotted_and_quoted_keys() -> None:
    text = "a = 1\n[tool]\nschemactl.sql_dir = 'x'\n\"schemactl\".'strict' = true\n[[tool.arr]]\nx = 1\n"
    assert line_of(text, ("tool", "schemactl", "sql_dir")) == 3
    assert line_of(text, ("tool", "schemactl", "strict")) == 4
    assert line_of(text, ("tool", "schemactl", "owner")) == 2  # nearest enclosing: [tool]
    assert line_of(text, ("x",)) is None  # x = 1 is in an array of tables, not at the top
    assert line_of(text, ("a",)) == 1
    assert line_of(text, ("elsewhere",)) is None
