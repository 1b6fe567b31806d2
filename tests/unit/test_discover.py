"""Discovering and reading the .sql files of a SQL directory."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from schemactl.core import discover as discover_module
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


def test_bom_is_not_a_column_and_columns_count_characters(tmp_path: Path) -> None:
    # "SELECT 'ää" is 10 characters and 12 bytes: the bad byte is at character column 11
    _write(tmp_path / "sql", "bad.sql", "\ufeffSELECT 'ää".encode() + b"\xff';\n")
    with pytest.raises(ParseError) as info:
        discover(tmp_path / "sql", display_root="sql")
    assert (info.value.line, info.value.col) == (1, 11)
    assert info.value.hint == "save the file as UTF-8"


@pytest.mark.parametrize(
    ("data", "line", "col"),
    [
        (b"SELECT 1;\nSELECT '\xc3\xa4\x00';\n", 2, 10),
        (b"\xef\xbb\xbf\x00SELECT 1;\n", 1, 1),
        # UTF-16 without a BOM decodes as UTF-8 with a NUL after every ASCII character
        ("SELECT 1;".encode("utf-16-le"), 1, 2),
    ],
)
def test_nul_byte_is_a_parse_error_at_its_character(
    tmp_path: Path, data: bytes, line: int, col: int
) -> None:
    _write(tmp_path / "sql", "nul.sql", data)
    with pytest.raises(ParseError) as info:
        discover(tmp_path / "sql", display_root="sql")
    assert info.value.exit_code == EXIT_INPUT
    assert info.value.message == f"sql/nul.sql:{line}:{col}: " + (
        "NUL byte (PostgreSQL does not accept it in SQL text)"
    )


def test_symlinked_directory_and_file_are_followed_under_their_link_path(
    tmp_path: Path,
) -> None:
    sql = tmp_path / "sql"
    _write(sql, "tables/a.sql", "SELECT 'a';")
    _write(tmp_path / "shared", "types/t.sql", "SELECT 't';")
    _write(tmp_path / "elsewhere", "v.sql", "SELECT 'v';")
    (sql / "shared").symlink_to(tmp_path / "shared", target_is_directory=True)
    (sql / "views").mkdir()
    (sql / "views" / "v.sql").symlink_to(tmp_path / "elsewhere" / "v.sql")
    files = discover(sql, display_root="sql")
    assert [(f.relpath, f.display, f.text) for f in files] == [
        ("shared/types/t.sql", "sql/shared/types/t.sql", "SELECT 't';"),
        ("tables/a.sql", "sql/tables/a.sql", "SELECT 'a';"),
        ("views/v.sql", "sql/views/v.sql", "SELECT 'v';"),
    ]


@pytest.mark.parametrize("name", ["gone.sql", "gone_dir"])
def test_dangling_symlink_is_an_error_naming_it(tmp_path: Path, name: str) -> None:
    # a dangling link without .sql in its name may have pointed at a directory of SQL
    sql = tmp_path / "sql"
    _write(sql, "a.sql", "SELECT 1;")
    (sql / "sub").mkdir()
    (sql / "sub" / name).symlink_to(tmp_path / "nowhere")
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    assert info.value.exit_code == EXIT_INPUT
    assert info.value.message == f"sql/sub/{name}: dangling symlink (to {tmp_path}/nowhere)"
    assert info.value.hint


def test_link_back_to_an_ancestor_is_a_loop_error(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    _write(sql, "tables/a.sql", "SELECT 1;")
    (sql / "tables" / "up").symlink_to("..", target_is_directory=True)
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    assert info.value.message == (
        "sql/tables/up: symlink loop: leads back to sql, which contains it"
    )


def test_links_pointing_at_each_other_are_a_loop_error(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    _write(sql, "a.sql", "SELECT 1;")
    (sql / "x.sql").symlink_to("y.sql")
    (sql / "y.sql").symlink_to("x.sql")
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    assert info.value.message.startswith("sql/x.sql: symlink loop (")


@pytest.mark.parametrize("link", ["alias.sql", "tables_again"])
def test_one_file_reached_by_two_paths_is_an_error_naming_both(tmp_path: Path, link: str) -> None:
    sql = tmp_path / "sql"
    _write(sql, "tables/a.sql", "CREATE TABLE a (id int);")
    target = sql / "tables" / ("a.sql" if link.endswith(".sql") else "")
    (sql / link).symlink_to(target)
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    shown = "sql/alias.sql" if link == "alias.sql" else "sql/tables_again/a.sql"
    first, second = sorted([shown, "sql/tables/a.sql"])
    assert info.value.message == (
        f"{first} and {second} are the same file (reached through a link): it would run twice"
    )


def test_hard_link_is_the_same_file_too(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    _write(sql, "a.sql", "SELECT 1;")
    os.link(sql / "a.sql", sql / "b.sql")
    with pytest.raises(ConfigError, match=r"^sql/a\.sql and sql/b\.sql are the same file"):
        discover(sql, display_root="sql")


def test_emacs_lock_files_are_not_read(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    _write(sql, "tables/a.sql", "SELECT 1;")
    # the symlink form (dangling by design) and the regular-file form
    (sql / "tables" / ".#a.sql").symlink_to("alice@host.4242:1700000000")
    _write(sql, ".#b.sql", "alice@host.4242:1700000000")
    assert [f.relpath for f in discover(sql)] == ["tables/a.sql"]


def test_a_sql_name_that_is_not_a_regular_file_is_an_error(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    _write(sql, "a.sql", "SELECT 1;")
    os.mkfifo(sql / "pipe.sql")  # reading it would block forever
    os.mkfifo(sql / "pipe")  # not .sql: not read, no error
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    assert (
        info.value.message == "sql/pipe.sql: not a regular file (only regular .sql files are read)"
    )


def test_a_file_given_as_the_sql_dir_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "schema.sql", "SELECT 1;")
    with pytest.raises(ConfigError, match=r"^SQL directory schema\.sql is not a directory$"):
        discover(tmp_path / "schema.sql", display_root="schema.sql")


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path, function: str) -> None:
    """Make ``function`` of the discover module fail on ``denied`` as the kernel would.

    Tests run as root in CI, where chmod 000 stops nothing: the PermissionError is
    injected at the filesystem boundary so that discover's own error path runs.
    tests/cli/test_discover_cli.py checks the same with real permissions.
    """
    real = getattr(os, function) if function == "scandir" else open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path) == denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, *args, **kwargs)

    if function == "scandir":
        monkeypatch.setattr(os, "scandir", refuse)
    else:
        monkeypatch.setattr(discover_module, "open", refuse, raising=False)


def test_unreadable_subdirectory_is_an_error_not_a_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = tmp_path / "sql"
    _write(sql, "tables/a.sql", "SELECT 1;")
    _write(sql, "policies/p.sql", "SELECT 2;")
    _deny(monkeypatch, sql / "policies", "scandir")
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    assert info.value.exit_code == EXIT_INPUT
    assert info.value.message == "sql/policies: cannot read directory: Permission denied"
    assert "readable" in (info.value.hint or "")


def test_unreadable_sql_dir_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sql = tmp_path / "sql"
    _write(sql, "a.sql", "SELECT 1;")
    _deny(monkeypatch, sql, "scandir")
    with pytest.raises(ConfigError, match=r"^sql: cannot read directory: Permission denied$"):
        discover(sql, display_root="sql")


def test_unreadable_file_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = tmp_path / "sql"
    _write(sql, "tables/a.sql", "SELECT 1;")
    _write(sql, "tables/b.sql", "SELECT 2;")
    _deny(monkeypatch, sql / "tables" / "b.sql", "open")
    with pytest.raises(ConfigError) as info:
        discover(sql, display_root="sql")
    assert info.value.exit_code == EXIT_INPUT
    assert info.value.message == "sql/tables/b.sql: cannot read file: Permission denied"


def test_unreadable_file_that_is_not_sql_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = tmp_path / "sql"
    _write(sql, "a.sql", "SELECT 1;")
    _write(sql, "notes.txt", "private")
    _deny(monkeypatch, sql / "notes.txt", "open")
    assert [f.relpath for f in discover(sql)] == ["a.sql"]
