"""The parts of docs/rls.md that are promises about objects rather than rows.

Who a policy applies to, which columns authenticated may read or change, and what each
documented helper function returns for each user. A weakening here may not show in any
row yet (anon holds no privilege, so a policy for anon changes nothing today; a helper no
policy calls yet changes nothing today); it is a rule broken all the same, and the day a
grant or a policy starts to lean on it, a leak. These tests run first (file order), so a
mutant of these rules dies in seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from psycopg import sql
from rls_model import COMPANY_ROLES, PROJECT_ROLES
from rls_seed import ACTORS, EXTRA_USERS, Impersonate, Seed, run_probe

# docs/rls.md, "Secret columns": hidden from SELECT by authenticated, whatever the row
SELECT_HIDDEN = {
    "agents": {"api_key_hash"},
    "api_keys": {"key_hash"},
    "cloud_connections": {"credentials_encrypted"},
    "external_shares": {"password_hash"},
    "companies": {"stripe_customer_id", "stripe_subscription_id"},
}

# docs/rls.md: the only columns authenticated may UPDATE on these tables (column grants)
UPDATE_ONLY = {
    "companies": {
        "name",
        "slug",
        "settings",
        "subscription_tier",
        "subscription_status",
        "subscription_expires_at",
        "stripe_customer_id",
        "stripe_subscription_id",
        "updated_at",
    },
    "company_members": {"role", "permissions"},
    "project_members": {"role", "permissions"},
}

USERS = [a for a in ACTORS if a not in ("anon", "service_role")] + list(EXTRA_USERS)


def _fail(problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum",
        (f"public.{table}",),
    ).fetchall()
    return [str(r[0]) for r in rows]


def test_every_policy_applies_to_authenticated_only(schemactl_db: psycopg.Connection[Any]) -> None:
    """docs/rls.md: every policy is TO authenticated; none for anon, PUBLIC or another role.

    anon holds no table privilege, so a policy for anon would not show in any probe today;
    it would the day a grant to anon (Supabase's default privileges give one) slips in.
    """
    rows = schemactl_db.execute(
        "SELECT c.relname || '.' || p.polname,"
        " ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END"
        "       FROM unnest(p.polroles) AS r ORDER BY 1)"
        " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1"
    ).fetchall()
    assert len(rows) >= 60, rows
    _fail(
        [f"policy {name} applies to {roles}" for name, roles in rows if roles != ["authenticated"]]
    )


def test_column_privileges_of_authenticated(schemactl_db: psycopg.Connection[Any]) -> None:
    """SELECT on every column but the secret ones; UPDATE only on the documented columns."""
    problems = []
    for table, hidden in SELECT_HIDDEN.items():
        for column in _columns(schemactl_db, table):
            row = schemactl_db.execute(
                "SELECT has_column_privilege('authenticated', %s, %s, 'SELECT')",
                (f"public.{table}", column),
            ).fetchone()
            if row != ((column not in hidden),):
                problems.append(f"authenticated SELECT on {table}.{column}: {row}")
    for table, allowed in UPDATE_ONLY.items():
        for column in _columns(schemactl_db, table):
            row = schemactl_db.execute(
                "SELECT has_column_privilege('authenticated', %s, %s, 'UPDATE')",
                (f"public.{table}", column),
            ).fetchone()
            if row != ((column in allowed),):
                problems.append(f"authenticated UPDATE on {table}.{column}: {row}")
    _fail(problems)


def test_columns_outside_the_update_grant_cannot_be_changed(
    schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """Even a user who may update the row gets 42501 for any other column (a membership
    cannot be moved, a company's id, usage or creation time cannot be rewritten)."""
    a, a1 = seed.companies["A"], seed.projects["A1"]
    rows = {
        # table: (an actor who may update the row, WHERE of the row)
        "companies": ("owner", sql.SQL("id = {}").format(sql.Literal(str(a)))),
        "company_members": (
            "owner",
            sql.SQL("company_id = {} AND user_id = {}").format(
                sql.Literal(str(a)), sql.Literal(str(seed.user("member")))
            ),
        ),
        "project_members": (
            "project_owner",
            sql.SQL("project_id = {} AND user_id = {}").format(
                sql.Literal(str(a1)), sql.Literal(str(seed.user("analyst")))
            ),
        ),
    }
    problems = []
    for table, (actor, where) in rows.items():
        allowed = UPDATE_ONLY[table]
        for column in _columns(schemactl_db, table):
            col = sql.Identifier(column)
            # a write-only column cannot be read back into itself: set it to NULL
            value = sql.NULL if column in SELECT_HIDDEN.get(table, ()) else col
            stmt = sql.SQL("UPDATE public.{} SET {} = {} WHERE {}").format(
                sql.Identifier(table), col, value, where
            )
            with act(actor) as cur:
                out = run_probe(cur, stmt)
            want = "1 row(s)" if column in allowed else "error 42501"
            got = str(out) if out.sqlstate is None else f"error {out.sqlstate}"
            if got != want:
                problems.append(f"{actor}: {stmt.as_string(schemactl_db)} -> {out}, want {want}")
    _fail(problems)


def _helpers(seed: Seed) -> dict[str, Callable[[uuid.UUID], set[Any]]]:
    """Each documented set-returning helper (docs/rls.md, Functions) -> its oracle."""
    w = seed.world
    c_admin, p_admin = ("owner", "admin"), ("project_owner", "project_admin")
    p_writer = (*p_admin, "developer")
    helpers: dict[str, Callable[[uuid.UUID], set[Any]]] = {
        "private.readable_project_ids()": lambda u: w.project_ids(
            u, COMPANY_ROLES, PROJECT_ROLES, True
        ),
        "private.writable_project_ids()": lambda u: w.project_ids(u, c_admin, p_writer, True),
        "private.administered_project_ids()": lambda u: w.project_ids(u, c_admin, p_admin, True),
        "private.held_administered_project_ids()": lambda u: w.project_ids(
            u, c_admin, p_admin, False
        ),
        "private.co_member_user_ids()": w.co_member_ids,
        "private.administered_api_key_ids()": lambda u: {
            k for k, (c, _) in w.api_keys.items() if w.administers_company(u, c)
        },
    }
    # the parametrised building blocks, with every single role and the lists policies use
    for roles in [(r,) for r in COMPANY_ROLES] + [c_admin]:
        arg = "ARRAY[" + ", ".join(f"'{r}'" for r in roles) + "]"
        helpers[f"private.company_ids_with_role({arg})"] = lambda u, roles=roles: w.company_ids(
            u, roles
        )
        helpers[f"private.company_project_ids({arg})"] = lambda u, roles=roles: w.project_ids(
            u, roles, (), False
        )
    for roles in [(r,) for r in PROJECT_ROLES] + [p_admin]:
        arg = "ARRAY[" + ", ".join(f"'{r}'" for r in roles) + "]"
        helpers[f"private.project_ids_with_role({arg})"] = lambda u, roles=roles: w.project_ids(
            u, (), roles, True
        )
        helpers[f"private.held_project_ids_with_role({arg})"] = lambda u, roles=roles: (
            w.project_ids(u, (), roles, False)
        )
    return helpers


def test_helpers_return_the_derived_rights(seed: Seed, act: Impersonate) -> None:
    """Every helper of docs/rls.md's Functions table, called by every user, agrees with the
    oracle, whether or not a policy calls it today."""
    problems = []
    helpers = _helpers(seed)
    for actor in USERS:
        user = seed.user(actor)
        with act(actor) as cur:
            for call, oracle in helpers.items():
                rows = cur.execute(f"SELECT {call}").fetchall()
                seen = {str(r[0]) for r in rows}
                wanted = {str(v) for v in oracle(user)}
                if seen != wanted:
                    problems.append(
                        f"{call} as {actor}: missing {sorted(wanted - seen)},"
                        f" unexpected {sorted(seen - wanted)}"
                    )
    _fail(problems)
