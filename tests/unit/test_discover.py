"""Discovering and reading the .sql files of a SQL directory."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from schemactl.core.discover import discover, file_digests
from schemactl.errors import EXIT_INPUT, ConfigError, ParseError


def _write(root: Path, relpath: str, data: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_finds_sql_files_recursively_sorted_by_posix_relpath(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    for rel in ("views/v.sql", "tables/b.sql", "tables/a.sql", "a_first.sql", "notes.txt"):
        _write(sql, rel, "SELECT 1;")
    files = discover(sql, display_root="sql")
    assert [f.relpath for f in files] == [
        "a_first.sql",
        "tables/a.sql",
        "tables/b.sql",
        "views/v.sql",
    ]
    assert files[1].display == "sql/tables/a.sql"


def test_sha256_is_of_the_bytes_and_digests_map_relpaths(tmp_path: Path) -> None:
    data = "CREATE TABLE t (name text DEFAULT 'ä');\n".encode()
    _write(tmp_path, "t.sql", data)
    (file,) = discover(tmp_path)
    assert file.sha256 == hashlib.sha256(data).hexdigest()
    assert file.text == data.decode("utf-8")
    assert file_digests([file]) == {"t.sql": hashlib.sha256(data).hexdigest()}


def test_display_defaults_to_the_directory_as_given(tmp_path: Path) -> None:
    _write(tmp_path / "schema", "x.sql", "SELECT 1;")
    (file,) = discover(tmp_path / "schema")
    assert file.display == (tmp_path / "schema").as_posix() + "/x.sql"
    (file,) = discover(tmp_path / "schema", display_root=".")
    assert file.display == "x.sql"


def test_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        discover(tmp_path / "nope", display_root="nope")
    assert info.value.exit_code == EXIT_INPUT
    assert "nope does not exist" in info.value.message
    assert "\n" not in info.value.message


def test_directory_without_sql_files_is_an_input_error(tmp_path: Path) -> None:
    _write(tmp_path / "sql", "README.md", "nothing here")
    with pytest.raises(ConfigError, match=r"holds no \.sql file"):
        discover(tmp_path / "sql", display_root="sql")


def test_invalid_utf8_is_a_parse_error_at_the_byte(tmp_path: Path) -> None:
    _write(tmp_path / "sql", "bad.sql", b"SELECT 1;\nSELECT '\xff';\n")
    with pytest.raises(ParseError) as info:
        discover(tmp_path / "sql", display_root="sql")
    assert (info.value.path, info.value.line, info.value.col) == ("sql/bad.sql", 2, 9)
    assert info.value.message.startswith("sql/bad.sql:2:9: not valid UTF-8")
