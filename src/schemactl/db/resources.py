"""Packaged SQL: catalog queries (``db/queries``) and scripts (``db/sql``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def query(name: str) -> str:
    """The text of catalog query ``db/queries/<name>.sql``."""
    return files("schemactl.db").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")


@cache
def script(name: str) -> str:
    """The text of SQL script ``db/sql/<name>.sql``."""
    return files("schemactl.db").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
