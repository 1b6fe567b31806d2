"""Run SQL as a Supabase-style API user: role plus JWT claims, always rolled back.

Works without pytest::

    with psycopg.connect(url) as conn, as_user(conn, user_id) as cur:
        cur.execute("select id from projects")

Each block opens a transaction (a savepoint when one is already open), does
``SET LOCAL ROLE`` and sets ``request.jwt.claims`` plus the legacy
``request.jwt.claim.sub`` / ``request.jwt.claim.role`` transaction-locally, checks that
the effective role cannot bypass RLS, yields a cursor, and rolls back at exit, whatever
happened inside.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg import sql

__all__ = ["ImpersonationError", "as_anon", "as_role", "as_service", "as_user"]


class ImpersonationError(AssertionError):
    """The impersonated session could bypass RLS (or the role is missing): the test proves nothing."""


@contextmanager
def as_role(
    conn: psycopg.Connection[Any],
    role: str,
    *,
    sub: str | None = None,
    claims: Mapping[str, Any] | None = None,
    allow_bypassrls: bool = False,
) -> Iterator[psycopg.Cursor[Any]]:
    """Impersonate database role ``role`` with JWT claims; always rolled back at exit.

    ``sub`` is the user id (``auth.uid()``); ``claims`` adds to / overrides the claims JSON.
    Raises :class:`ImpersonationError` if the effective role is a superuser, or has
    BYPASSRLS while ``allow_bypassrls`` is False.
    """
    all_claims: dict[str, Any] = {"role": role}
    if sub is not None:
        all_claims["sub"] = str(sub)
    all_claims.update(claims or {})
    # force_rollback: nothing done while impersonating may leak into the caller's state;
    # inside an open transaction psycopg makes this a savepoint, and ROLLBACK TO SAVEPOINT
    # also undoes SET LOCAL and set_config(..., true)
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        try:
            cur.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        except psycopg.errors.InvalidParameterValue as exc:
            raise ImpersonationError(
                f"cannot impersonate role {role!r}: {exc.diag.message_primary} "
                "(did the SQL dir / auth shim create the Supabase roles?)"
            ) from None
        cur.execute(
            "SELECT set_config('request.jwt.claims', %s, true),"
            " set_config('request.jwt.claim.sub', %s, true),"
            " set_config('request.jwt.claim.role', %s, true)",
            (json.dumps(all_claims), "" if sub is None else str(sub), str(all_claims["role"])),
        )
        row = cur.execute(
            "SELECT current_user::text, r.rolsuper, r.rolbypassrls"
            " FROM pg_roles r WHERE r.rolname = current_user"
        ).fetchone()
        assert row is not None  # current_user always has a pg_roles row
        user, is_super, bypass = row
        if user != role:
            raise ImpersonationError(f"SET ROLE {role} left current_user = {user!r}")
        if is_super:
            raise ImpersonationError(
                f"role {role!r} is a superuser: it bypasses every RLS policy, so tests run as "
                "it prove nothing (ALTER ROLE ... NOSUPERUSER)"
            )
        if bypass and not allow_bypassrls:
            raise ImpersonationError(
                f"role {role!r} has BYPASSRLS: tests run as it prove nothing "
                "(ALTER ROLE ... NOBYPASSRLS)"
            )
        yield cur


def as_user(
    conn: psycopg.Connection[Any], uid: Any, *, claims: Mapping[str, Any] | None = None
) -> AbstractContextManager[psycopg.Cursor[Any]]:
    """Impersonate signed-in user ``uid`` (role ``authenticated``); a context manager."""
    return as_role(conn, "authenticated", sub=str(uid), claims=claims)


def as_anon(
    conn: psycopg.Connection[Any], *, claims: Mapping[str, Any] | None = None
) -> AbstractContextManager[psycopg.Cursor[Any]]:
    """Impersonate an anonymous API caller (role ``anon``, no ``sub``); a context manager."""
    return as_role(conn, "anon", claims=claims)


def as_service(
    conn: psycopg.Connection[Any], *, claims: Mapping[str, Any] | None = None
) -> AbstractContextManager[psycopg.Cursor[Any]]:
    """Impersonate the backend (role ``service_role``, BYPASSRLS allowed); a context manager."""
    return as_role(conn, "service_role", claims=claims, allow_bypassrls=True)
