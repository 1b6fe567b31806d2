"""The schema is owned by a plain role, so FORCE ROW LEVEL SECURITY really binds its owner."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from rls_seed import Seed


def test_public_tables_are_owned_by_a_role_that_cannot_bypass_rls(
    schemactl_db: psycopg.Connection[Any],
) -> None:
    rows = schemactl_db.execute(
        "SELECT c.relname, r.rolname, r.rolsuper OR r.rolbypassrls FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm')"
    ).fetchall()
    assert rows, "no tables in public"
    bypassing = sorted(name for name, _, bypass in rows if bypass)
    assert bypassing == [], f"owned by a superuser or BYPASSRLS role: {bypassing}"


def test_forced_tables_hide_rows_from_their_owner(
    schemactl_db: psycopg.Connection[Any], seed: Seed
) -> None:
    forced = [
        (name, owner)
        for name, owner in schemactl_db.execute(
            "SELECT c.relname, c.relowner::regrole::text FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relforcerowsecurity ORDER BY 1"
        ).fetchall()
    ]
    assert forced, "no table is FORCEd"
    leaks = {}
    with schemactl_db.transaction(force_rollback=True):
        for name, owner in forced:
            count = sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(name))
            total = schemactl_db.execute(count).fetchone()
            schemactl_db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner)))
            seen = schemactl_db.execute(count).fetchone()
            schemactl_db.execute("RESET ROLE")
            assert total is not None and seen is not None
            # policies are TO authenticated: the owner, bound by FORCE, sees nothing
            if seen[0] != 0 or total[0] == 0:
                leaks[name] = (seen[0], total[0])
    assert leaks == {}, f"(rows seen by owner, rows in table) for forced tables: {leaks}"


def test_service_role_refreshes_the_stats(
    schemactl_db: psycopg.Connection[Any], seed: Seed
) -> None:
    with schemactl_db.transaction(force_rollback=True):
        schemactl_db.execute("SET LOCAL ROLE service_role")
        schemactl_db.execute("SELECT public.refresh_realtime_stats()")
        schemactl_db.execute("RESET ROLE")
        row = schemactl_db.execute("SELECT count(*) FROM public.project_realtime_stats").fetchone()
        projects = schemactl_db.execute("SELECT count(*) FROM public.projects").fetchone()
    assert row == projects
