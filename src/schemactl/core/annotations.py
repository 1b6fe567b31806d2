"""GitHub Actions workflow annotations (``::error file=...,line=...::message``), pure.

Used by ``lint --format github`` and ``diff --format github``: each finding or change
becomes one workflow command, which GitHub shows on the pull request (at the file and line
when the command names them).
"""

from __future__ import annotations

__all__ = ["github_annotation", "split_location"]


def split_location(location: str | None) -> tuple[str, int, int] | None:
    """``(path, line, col)`` of a ``file:line:col`` location, or None."""
    if not location:
        return None
    head, _, col = location.rpartition(":")
    path, _, line = head.rpartition(":")
    if not path or not line.isdigit() or not col.isdigit():
        return None
    return path, int(line), int(col)


def _escape_data(text: str) -> str:
    # the encoding of GitHub's toolkit (@actions/core): a message stays one command
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(
    level: str, message: str, *, title: str, location: str | None = None
) -> str:
    """One workflow command: ``::error file=f,line=l,col=c,title=t::message``.

    ``level`` is ``error``, ``warning`` or ``notice``; ``location`` a ``file:line:col``
    (left out of the command when there is none).
    """
    props = []
    where = split_location(location)
    if where is not None:
        path, line, col = where
        props += [f"file={_escape_property(path)}", f"line={line}", f"col={col}"]
    props.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"
