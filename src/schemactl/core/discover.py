"""Find the ``.sql`` files of a SQL directory and read them (no parsing here)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from schemactl.errors import ConfigError, ParseError
from schemactl.model import SqlFile


def display_path(display_root: Path | str | None, sql_dir: Path, relpath: str) -> str:
    """How a file is shown to the user: the SQL dir as given, then the relpath."""
    root = sql_dir if display_root is None else Path(display_root)
    root_text = root.as_posix()
    if root_text in ("", "."):
        return relpath
    return str(PurePosixPath(root_text) / relpath)


def discover(sql_dir: Path, *, display_root: Path | str | None = None) -> tuple[SqlFile, ...]:
    """Every ``*.sql`` file under ``sql_dir`` (recursively), sorted by POSIX relpath.

    Raises ConfigError when the directory is missing or holds no ``.sql`` file,
    and ParseError (at line 1) when a file is not valid UTF-8.
    """
    shown = display_path(display_root, sql_dir, "").rstrip("/") or "."
    if not sql_dir.is_dir():
        raise ConfigError(
            f"SQL directory {shown} does not exist",
            hint="pass the directory holding your .sql files, or set sql_dir in "
            "[tool.schemactl] of pyproject.toml",
        )
    # Sorting by the POSIX relpath (not os order) keeps the tie-break identical on every OS.
    paths = sorted(
        (p for p in sql_dir.rglob("*.sql") if p.is_file()),
        key=lambda p: p.relative_to(sql_dir).as_posix(),
    )
    if not paths:
        raise ConfigError(
            f"SQL directory {shown} holds no .sql file",
            hint="put your schema in .sql files there (e.g. tables/companies.sql)",
        )
    return tuple(read_sql_file(p, sql_dir, display_root=display_root) for p in paths)


def read_sql_file(path: Path, sql_dir: Path, *, display_root: Path | str | None = None) -> SqlFile:
    """Read one file as UTF-8 and hash its bytes."""
    relpath = path.relative_to(sql_dir).as_posix()
    display = display_path(display_root, sql_dir, relpath)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            display, line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from None
    # A BOM is not SQL: PostgreSQL would reject it as the first character of a statement.
    text = text.removeprefix("\ufeff")
    return SqlFile(
        relpath=relpath, display=display, text=text, sha256=hashlib.sha256(data).hexdigest()
    )


def file_digests(files: Iterable[SqlFile]) -> dict[str, str]:
    """Map each file's relpath to the sha256 (hex) of its bytes: the apply ledger's key."""
    return {f.relpath: f.sha256 for f in files}
