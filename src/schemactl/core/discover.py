"""Find the ``.sql`` files of a SQL directory and read them (no parsing here).

Nothing under the SQL directory is skipped without a word: a directory or ``.sql`` file
that cannot be read, a dangling symlink or a symlink loop is an error naming it. Symlinks
are followed (to directories and to files); a file is known by the path through the link,
and the same file reached by two paths is an error, since it would run twice. Files whose
name does not end in ``.sql`` are not read, and neither are Emacs lock files (``.#name``,
dangling symlinks by design) wherever they are.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from schemactl.errors import ConfigError, ParseError, printable
from schemactl.model import SqlFile, line_col

# Emacs writes ".#name" next to a file it edits: a symlink to "user@host.pid:time" (a
# regular file holding that text where symlinks are not supported). Not SQL, never read.
EDITOR_LOCK_PREFIX = ".#"

_UNREADABLE_HINT = "make it readable by the user running schemactl, or move it out of the SQL dir"


def shown_name(text: str) -> str:
    """A path as it is shown: one line, printable (``\\n``, ``\\xff`` for a byte not UTF-8).

    A newline in a name would split the one-line error, and end the ``-- path:line``
    comment before each statement of the dry-run SQL.
    """
    return printable(text)


def display_path(display_root: Path | str | None, sql_dir: Path, relpath: str) -> str:
    """How a file is shown to the user: the SQL dir as given, then the relpath."""
    root = sql_dir if display_root is None else Path(display_root)
    root_text = root.as_posix()
    if root_text in ("", "."):
        return shown_name(relpath or ".")
    return shown_name(str(PurePosixPath(root_text) / relpath))


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: a byte of the name that is not UTF-8
        return False
    return True


def discover(sql_dir: Path, *, display_root: Path | str | None = None) -> tuple[SqlFile, ...]:
    """Every ``*.sql`` file under ``sql_dir`` (recursively), sorted by POSIX relpath.

    Raises ConfigError when the directory is missing or holds no ``.sql`` file, when an
    entry cannot be read (permissions, dangling symlink, symlink loop) and when one file
    is reached by two paths; ParseError when a file is not valid UTF-8 or holds a NUL byte.
    """
    shown = display_path(display_root, sql_dir, "").rstrip("/") or "."
    try:
        top = os.stat(sql_dir)
    except FileNotFoundError:
        raise ConfigError(
            f"SQL directory {shown} does not exist",
            hint="pass the directory holding your .sql files, or set sql_dir in "
            "[tool.schemactl] of pyproject.toml",
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"{shown}: cannot read the SQL directory: {_reason(exc)}", hint=_UNREADABLE_HINT
        ) from None
    if not stat.S_ISDIR(top.st_mode):
        raise ConfigError(
            f"SQL directory {shown} is not a directory",
            hint="pass the directory holding your .sql files, not a file",
        )
    found = _Walk(sql_dir, display_root).run(top)
    if not found:
        raise ConfigError(
            f"SQL directory {shown} holds no .sql file",
            hint="put your schema in .sql files there (e.g. tables/companies.sql)",
        )
    # Sorting by the POSIX relpath (not os order) keeps the tie-break identical on every OS.
    return tuple(
        read_sql_file(sql_dir / relpath, sql_dir, display_root=display_root)
        for relpath in sorted(found)
    )


class _Walk:
    """One recursive walk of a SQL directory, following symlinks, refusing what it cannot read."""

    def __init__(self, sql_dir: Path, display_root: Path | str | None) -> None:
        self.sql_dir = sql_dir
        self.display_root = display_root
        # (st_dev, st_ino) of each .sql file found -> the relpath it was first found at
        self.files: dict[tuple[int, int], str] = {}

    def shown(self, relpath: str) -> str:
        return display_path(self.display_root, self.sql_dir, relpath)

    def run(self, top: os.stat_result) -> list[str]:
        """The relpaths of every ``.sql`` file, each reached by exactly one path."""
        self.visit("", {(top.st_dev, top.st_ino): ""})
        return list(self.files.values())

    def visit(self, rel_dir: str, ancestors: dict[tuple[int, int], str]) -> None:
        directory = self.sql_dir / rel_dir if rel_dir else self.sql_dir
        try:
            with os.scandir(directory) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as exc:
            raise ConfigError(
                f"{self.shown(rel_dir)}: cannot read directory: {_reason(exc)}",
                hint=_UNREADABLE_HINT,
            ) from None
        for name in names:
            if name.startswith(EDITOR_LOCK_PREFIX):
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            self.visit_entry(rel, directory / name, ancestors)

    def visit_entry(self, rel: str, path: Path, ancestors: dict[tuple[int, int], str]) -> None:
        shown = self.shown(rel)
        try:
            is_link = path.is_symlink()
            info = os.stat(path)  # follows symlinks
        except FileNotFoundError:
            raise ConfigError(
                f"{shown}: dangling symlink (to {shown_name(_link_target(path))})",
                hint="point the link at an existing file or directory, or remove it",
            ) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ConfigError(
                    f"{shown}: symlink loop ({_reason(exc)})",
                    hint="remove the link or point it at a file or directory outside the loop",
                ) from None
            raise ConfigError(
                f"{shown}: cannot read: {_reason(exc)}", hint=_UNREADABLE_HINT
            ) from None
        identity = (info.st_dev, info.st_ino)
        if stat.S_ISDIR(info.st_mode):
            if identity in ancestors:
                kind = "symlink" if is_link else "directory"
                raise ConfigError(
                    f"{shown}: {kind} loop: leads back to {self.shown(ancestors[identity])}, "
                    "which contains it",
                    hint="remove the link or point it outside the directories that contain it",
                )
            self.visit(rel, {**ancestors, identity: rel})
            return
        if not rel.endswith(".sql"):
            return
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(
                f"{shown}: not a regular file (only regular .sql files are read)",
                hint="rename it so that it does not end in .sql, or remove it",
            )
        if not _is_utf8(rel):
            # the ledger records each file by its path, as text: it must be UTF-8
            raise ConfigError(
                f"{shown}: file name is not valid UTF-8",
                hint="rename it (or the directory holding it) with a UTF-8 name",
            )
        first = self.files.get(identity)
        if first is not None:
            one, other = sorted((self.shown(first), shown))
            raise ConfigError(
                f"{one} and {other} are the same file (reached through a link): it would run twice",
                hint="remove the symlink (or the extra hard link), so that one path leads to it",
            )
        self.files[identity] = rel


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_sql_file(path: Path, sql_dir: Path, *, display_root: Path | str | None = None) -> SqlFile:
    """Read one file as UTF-8 and hash its bytes.

    Raises ConfigError when the file cannot be read, ParseError (with the line and the
    column in characters) at the first byte that is not UTF-8 or at a NUL character.
    """
    relpath = path.relative_to(sql_dir).as_posix()
    display = display_path(display_root, sql_dir, relpath)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ConfigError(
            f"{display}: cannot read file: {_reason(exc)}", hint=_UNREADABLE_HINT
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Everything before exc.start decoded, so the column counts characters.
        before = data[: exc.start].decode("utf-8")
        line, col = _position(before, len(before))
        raise ParseError(
            display,
            line,
            col,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            hint="save the file as UTF-8",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _position(text, nul)
        raise ParseError(
            display,
            line,
            col,
            "NUL byte (PostgreSQL does not accept it in SQL text)",
            hint="remove it; a file saved as UTF-16 is full of them: save it as UTF-8",
        )
    # A BOM is not SQL: PostgreSQL would reject it as the first character of a statement.
    text = text.removeprefix("\ufeff")
    return SqlFile(
        relpath=relpath, display=display, text=text, sha256=hashlib.sha256(data).hexdigest()
    )


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters, a leading BOM not counted) of ``text[index]``."""
    line, col = line_col(text, index)
    if line == 1 and text.startswith("\ufeff"):
        col -= 1
    return line, col


def file_digests(files: Iterable[SqlFile]) -> dict[str, str]:
    """Map each file's relpath to the sha256 (hex) of its bytes: the apply ledger's key."""
    return {f.relpath: f.sha256 for f in files}
