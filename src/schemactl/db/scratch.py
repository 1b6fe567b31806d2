"""Throwaway databases: the diff's shadow and prove's clone are made and dropped here.

Both are created on a server the user names (or the embedded one) under a random name,
and dropped whatever happens (the callers drop them in a ``finally``).
"""

from __future__ import annotations

import secrets
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from schemactl.db.connect import database_error, mask_dsn
from schemactl.errors import DatabaseError


def scratch_name(kind: str) -> str:
    """A fresh database name, e.g. ``schemactl_shadow_3f9a0c1b2d4e``."""
    return f"schemactl_{kind}_{secrets.token_hex(6)}"


def create_scratch_database(
    admin: psycopg.Connection[Any],
    server: str,
    name: str,
    *,
    what: str,
    hint: str,
    template: str | None = None,
    owner: str | None = None,
) -> str:
    """CREATE DATABASE ``name`` on ``server`` (``admin`` is connected there); its URL.

    A refusal is one line naming ``what`` ("shadow", "clone") and the masked server URL,
    with ``hint`` saying what the role needs.
    """
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    if owner is not None:
        statement += sql.SQL(" OWNER {}").format(sql.Identifier(owner))
    try:
        admin.execute(statement)
    except psycopg.Error as exc:
        error = database_error(exc)
        raise DatabaseError(
            f"cannot create the {what} database on {mask_dsn(server)}: {error.message}",
            hint=hint,
            sqlstate=error.sqlstate,
        ) from None
    return make_conninfo(server, dbname=name)


def drop_scratch_database(admin: psycopg.Connection[Any], name: str) -> None:
    """DROP DATABASE ``name``, ending its sessions (WITH (FORCE)) where the server can."""
    ident = sql.Identifier(name)
    try:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
    except psycopg.Error:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))
