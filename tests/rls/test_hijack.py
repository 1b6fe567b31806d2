"""Attacks on tenant isolation, each expected outcome taken from docs/rls.md and issue 3.

Row hijacks, cross-tenant inserts, self-promotion, delegations out of their window or for a
role not held, the last owner, secret columns, stripe ids, the stats view, anon everywhere,
and RLS switched on for every table of the catalog (so a new table cannot escape).
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import sql
from rls_model import PROJECT_ROLES
from rls_seed import (
    ACTORS,
    DELEGATES,
    EXTRA_USERS,
    Impersonate,
    Seed,
    run_probe,
    superuser,
)

from schemactl.testing import assert_denied, assert_visible

SIGNED_IN = [a for a in ACTORS if a not in ("anon", "service_role")]

SECRET_COLUMNS = [
    ("api_keys", "key_hash"),
    ("agents", "api_key_hash"),
    ("cloud_connections", "credentials_encrypted"),
    ("external_shares", "password_hash"),
    ("companies", "stripe_customer_id"),
    ("companies", "stripe_subscription_id"),
]

# delegations on A1 outside their window or with a NULL bound: unrelated users
OUT_OF_WINDOW = ("expired_delegate", "future_delegate", "open_from_delegate", "open_until_delegate")

# docs/rls.md, "FORCE ROW LEVEL SECURITY"
FORCED = {
    "user_profiles",
    "transfers",
    "transfer_chunks",
    "transfer_schedules",
    "automation_rules",
    "bandwidth_policies",
    "cloud_connections",
    "external_shares",
    "api_key_usage",
    "audit_log",
}


def _fail(problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)


# ------------------------------------------------------------------ row hijacks
def test_update_cannot_move_rows_to_a_tenant_not_administered(seed: Seed, act: Impersonate) -> None:
    """WITH CHECK stops moving a row into a project/company the caller does not administer."""
    a1, a2, b1 = seed.projects["A1"], seed.projects["A2"], seed.projects["B1"]
    # two_co: admin of A, plain member of B -> cannot move A's rows into B
    with act("two_co") as cur:
        for table in ("agents", "automation_rules", "bandwidth_policies", "cloud_connections"):
            assert_denied(
                cur,
                f"UPDATE public.{table} SET project_id = %s WHERE id = %s",
                (b1, seed.row(table, "A1")),
                expect="error",
            )
        assert_denied(
            cur,
            "UPDATE public.projects SET company_id = %s WHERE id = %s",
            (seed.companies["B"], a2),
            expect="error",
        )
        assert_denied(
            cur,
            "UPDATE public.api_keys SET company_id = %s WHERE id = %s",
            (seed.companies["B"], seed.named["key:A"]),
            expect="error",
        )
        # a key of A may not point at a project of B
        assert_denied(
            cur,
            "UPDATE public.api_keys SET project_id = %s WHERE id = %s",
            (b1, seed.named["key:A"]),
            expect="error",
        )
        # B's rows are not even visible to its plain member for UPDATE
        assert_denied(
            cur,
            "UPDATE public.agents SET project_id = %s WHERE id = %s",
            (a1, seed.row("agents", "B1")),
            expect="zero_rows",
        )
    # the A1 project_owner does not administer A2
    with act("project_owner") as cur:
        assert_denied(
            cur,
            "UPDATE public.agents SET project_id = %s WHERE id = %s",
            (a2, seed.row("agents", "A1")),
            expect="error",
        )
        for table in ("transfers", "transfer_schedules"):
            assert_denied(
                cur,
                f"UPDATE public.{table} SET project_id = %s WHERE id = %s",
                (a2, seed.row(table, "A1")),
                expect="error",
            )
        # the A1 project key may not be re-pointed at A2 or turned into a company-wide key
        for project in (a2, None):
            assert_denied(
                cur,
                "UPDATE public.api_keys SET project_id = %s WHERE id = %s",
                (project, seed.named["key:A1"]),
                expect="error",
            )
    # the owner administers A1 and A2, yet a transfer of A1 may not use an agent of A2
    with act("owner") as cur:
        for table in ("transfers", "transfer_schedules"):
            for column in ("source_agent_id", "destination_agent_id"):
                assert_denied(
                    cur,
                    sql.SQL("UPDATE public.{} SET {} = %s WHERE id = %s")
                    .format(sql.Identifier(table), sql.Identifier(column))
                    .as_string(cur),
                    (seed.row("agents", "A2"), seed.row(table, "A1")),
                    expect="error",
                )
    # a membership cannot be moved: no UPDATE privilege on company_id / project_id
    with act("owner") as cur:
        assert_denied(
            cur,
            "UPDATE public.company_members SET company_id = %s WHERE company_id = %s"
            " AND user_id = %s",
            (seed.companies["B"], seed.companies["A"], seed.user("member")),
            expect="error",
        )
        assert_denied(
            cur,
            "UPDATE public.project_members SET project_id = %s WHERE project_id = %s"
            " AND user_id = %s",
            (a2, a1, seed.user("analyst")),
            expect="error",
        )
    # the developer who created the A1 share cannot hand it to someone else
    with act("developer") as cur:
        assert_denied(
            cur,
            "UPDATE public.external_shares SET created_by = %s WHERE id = %s",
            (seed.user("outsider"), seed.row("external_shares", "A1")),
            expect="error",
        )


def test_admin_of_both_tenants_may_move_rows(seed: Seed, act: Impersonate) -> None:
    """The other side of the rule: administering both ends allows the move (state checked)."""
    b1 = seed.projects["B1"]
    rule = seed.row("automation_rules", "A1")
    with act("two_admin") as cur:
        cur.execute("UPDATE public.automation_rules SET project_id = %s WHERE id = %s", (b1, rule))
        assert cur.rowcount == 1
        assert_visible(
            cur, "SELECT project_id FROM public.automation_rules WHERE id = %s", {b1}, (rule,)
        )
        # but a transfer may not point at agents of another project, even administered ones
        assert_denied(
            cur,
            "UPDATE public.transfers SET project_id = %s WHERE id = %s",
            (b1, seed.row("transfers", "A1")),
            expect="error",
        )


def test_cross_tenant_inserts_are_refused(seed: Seed, act: Impersonate) -> None:
    """INSERT WITH CHECK looks at the new row's tenant."""
    a, b = seed.companies["A"], seed.companies["B"]
    a1, b1 = seed.projects["A1"], seed.projects["B1"]
    with act("owner") as cur:
        assert_denied(
            cur,
            "INSERT INTO public.agents (project_id, name, api_key_hash) VALUES (%s, 'x', 'h')",
            (b1,),
            expect="error",
        )
        assert_denied(
            cur,
            "INSERT INTO public.projects (company_id, name, slug) VALUES (%s, 'x', 'x')",
            (b,),
            expect="error",
        )
        # transfers in A1 between agents of B1
        assert_denied(
            cur,
            "INSERT INTO public.transfers (project_id, source_agent_id, destination_agent_id,"
            " file_name, file_size) VALUES (%s, %s, %s, 'f', 1)",
            (a1, seed.row("agents", "B1"), seed.row("agents_dst", "B1")),
            expect="error",
        )
        # a transfer of A1 from an agent of A2 (administered, but another project)
        assert_denied(
            cur,
            "INSERT INTO public.transfer_schedules (project_id, name, source_agent_id,"
            " source_path, destination_path) VALUES (%s, 'x', %s, '/a', '/b')",
            (a1, seed.row("agents", "A2")),
            expect="error",
        )
        # an api key of A pointing at a project of B
        assert_denied(
            cur,
            "INSERT INTO public.api_keys (company_id, project_id, key_hash, key_prefix, name,"
            " scopes, role) VALUES (%s, %s, 'h', 'p', 'n', '[]', 'r')",
            (a, b1),
            expect="error",
        )
        # a share in the caller's project but credited to another user
        assert_denied(
            cur,
            "INSERT INTO public.external_shares (project_id, created_by, share_token, file_name,"
            " file_size, expires_at) VALUES (%s, %s, 't-x', 'f', 1, now())",
            (a1, seed.user("developer")),
            expect="error",
        )
    with act("two_co") as cur:  # admin of A, member of B
        assert_denied(
            cur,
            "INSERT INTO public.company_members (company_id, user_id, role) VALUES (%s, %s,"
            " 'member')",
            (b, seed.user("outsider")),
            expect="error",
        )
    with act("outsider") as cur:
        assert_denied(
            cur,
            "INSERT INTO public.company_members (company_id, user_id, role) VALUES (%s, %s,"
            " 'member')",
            (a, seed.user("outsider")),
            expect="error",
        )
        assert_denied(
            cur,
            "INSERT INTO public.project_members (project_id, user_id, role) VALUES (%s, %s,"
            " 'analyst')",
            (a1, seed.user("outsider")),
            expect="error",
        )


# ------------------------------------------------------------------ self-promotion
def test_no_self_promotion_to_owner(seed: Seed, act: Impersonate) -> None:
    """Only an owner grants owner; only project_owner or C's owner/admin grant project_owner."""
    a, a1 = seed.companies["A"], seed.projects["A1"]
    cm = "UPDATE public.company_members SET role = %s WHERE company_id = %s AND user_id = %s"
    pm = "UPDATE public.project_members SET role = %s WHERE project_id = %s AND user_id = %s"
    for actor in ("member", "billing_admin"):
        with act(actor) as cur:
            assert_denied(cur, cm, ("owner", a, seed.user(actor)), expect="zero_rows")
    with act("admin") as cur:
        assert_denied(cur, cm, ("owner", a, seed.user("admin")), expect="error")
        assert_denied(cur, cm, ("owner", a, seed.user("member")), expect="error")
        # nor demote the owner to take over
        assert_denied(cur, cm, ("member", a, seed.user("owner")), expect="zero_rows")
        assert_denied(
            cur,
            "INSERT INTO public.company_members (company_id, user_id, role) VALUES (%s, %s,"
            " 'owner')",
            (a, seed.user("outsider")),
            expect="error",
        )
    with act("project_admin") as cur:
        assert_denied(cur, pm, ("project_owner", a1, seed.user("project_admin")), expect="error")
        assert_denied(cur, pm, ("project_owner", a1, seed.user("developer")), expect="error")
        assert_denied(cur, pm, ("analyst", a1, seed.user("project_owner")), expect="zero_rows")
        assert_denied(
            cur,
            "INSERT INTO public.project_members (project_id, user_id, role) VALUES (%s, %s,"
            " 'project_owner')",
            (a1, seed.user("outsider")),
            expect="error",
        )
    for actor in ("developer", "analyst"):
        with act(actor) as cur:
            assert_denied(cur, pm, ("project_owner", a1, seed.user(actor)), expect="zero_rows")
    for actor, role in zip(DELEGATES, PROJECT_ROLES, strict=True):
        with act(actor) as cur:  # a delegation cannot be turned into a membership
            assert_denied(
                cur,
                "INSERT INTO public.project_members (project_id, user_id, role) VALUES (%s, %s,"
                " %s)",
                (a1, seed.user(actor), role),
                expect="error",
            )
    with act("outsider") as cur:
        assert_denied(
            cur,
            "INSERT INTO public.company_members (company_id, user_id, role) VALUES (%s, %s,"
            " 'owner')",
            (a, seed.user("outsider")),
            expect="error",
        )
    # the legitimate path works: the owner makes the admin an owner (state checked)
    with act("owner") as cur:
        cur.execute(cm, ("owner", a, seed.user("admin")))
        assert cur.rowcount == 1
        assert_visible(
            cur,
            "SELECT role FROM public.company_members WHERE company_id = %s AND user_id = %s",
            {"owner"},
            (a, seed.user("admin")),
        )
    with act("project_owner") as cur:
        cur.execute(pm, ("project_owner", a1, seed.user("developer")))
        assert cur.rowcount == 1


def test_administrators_cannot_remove_the_owners(seed: Seed, act: Impersonate) -> None:
    """An admin manages every membership but the owners'; a project_admin every project
    membership but the project_owners' (docs/rls.md: owner rows are invisible to them: 0)."""
    a, a1 = seed.companies["A"], seed.projects["A1"]
    with act("admin") as cur:
        assert_denied(
            cur,
            "DELETE FROM public.company_members WHERE company_id = %s AND user_id = %s",
            (a, seed.user("owner")),
            expect="zero_rows",
        )
    with act("project_admin") as cur:
        assert_denied(
            cur,
            "DELETE FROM public.project_members WHERE project_id = %s AND user_id = %s",
            (a1, seed.user("project_owner")),
            expect="zero_rows",
        )
        # the same statement on a row they do manage works (state checked)
        cur.execute(
            "DELETE FROM public.project_members WHERE project_id = %s AND user_id = %s",
            (a1, seed.user("analyst")),
        )
        assert cur.rowcount == 1
        with superuser(cur):
            cur.execute(
                "SELECT count(*) FROM public.project_members WHERE project_id = %s"
                " AND user_id IN (%s, %s)",
                (a1, seed.user("analyst"), seed.user("project_owner")),
            )
            assert cur.fetchone() == (1,)


def test_two_roles_do_not_add_up_to_a_third(seed: Seed, act: Impersonate) -> None:
    """Rights are the union of a user's relations, never more: each WITH CHECK holds against
    the role that grants the write, not against some other role the user has elsewhere."""
    a, b = seed.companies["A"], seed.companies["B"]
    a1, a2 = seed.projects["A1"], seed.projects["A2"]
    key_a1 = seed.named["key:A1"]
    # The api_keys UPDATEs have no WHERE: one that reads a column makes PostgreSQL check the
    # new row against the SELECT policy too, which would hide a weak UPDATE WITH CHECK.
    # billing_admin of A + project_admin of A1: manages the A1 key (the only one its UPDATE
    # policy lets it touch), but a company-wide key needs owner/admin of A, and granting
    # project_owner needs more than project_admin
    with act("billing_pa") as cur:
        cur.execute("UPDATE public.api_keys SET name = 'mine' WHERE id = %s", (key_a1,))
        assert cur.rowcount == 1
        assert_denied(cur, "UPDATE public.api_keys SET project_id = NULL", expect="error")
        assert_denied(
            cur,
            "UPDATE public.project_members SET role = 'project_owner' WHERE project_id = %s"
            " AND user_id = %s",
            (a1, seed.user("developer")),
            expect="error",
        )
    # project_admin of A1 + developer of A2: may not move the A1 key to A2
    with act("pa_dev") as cur:
        assert_denied(
            cur,
            "UPDATE public.api_keys SET project_id = %s::uuid",
            (a2,),
            expect="error",
        )
    # project_owner of A1 + billing_admin of B: may not move A1 into B
    with act("po_billing_b") as cur:
        cur.execute("UPDATE public.projects SET name = 'mine' WHERE id = %s", (a1,))
        assert cur.rowcount == 1
        assert_denied(
            cur,
            "UPDATE public.projects SET company_id = %s WHERE id = %s",
            (b, a1),
            expect="error",
        )
    # and the owner of A may do all of it (the rules are not just closed)
    with act("owner") as cur:
        cur.execute("UPDATE public.api_keys SET project_id = %s WHERE id = %s", (a2, key_a1))
        assert cur.rowcount == 1
        assert_visible(
            cur, "SELECT company_id FROM public.api_keys WHERE project_id = %s", {a}, (a2,)
        )


def test_unfiltered_writes_on_api_keys_by_every_user(seed: Seed, act: Impersonate) -> None:
    """UPDATE / DELETE without WHERE read no column, so the SELECT policy does not filter:
    only the command's own USING decides. Every user touches exactly the keys docs/rls.md
    lets them manage (owner/admin of the company; held administrators of the key's project)."""
    problems: list[str] = []
    w = seed.world
    for actor in [*SIGNED_IN, *EXTRA_USERS]:
        user = seed.user(actor)
        managed = sum(1 for k in w.api_keys if w.reads_api_key(user, k))
        for stmt in (
            "UPDATE public.api_keys SET description = NULL",
            "DELETE FROM public.api_keys",
        ):
            with act(actor) as cur:
                out = run_probe(cur, stmt)
            if out.sqlstate is not None or out.rows != managed:
                problems.append(f"{actor}: {stmt} -> {out}, expected {managed} row(s)")
    _fail(problems)


# ------------------------------------------------------------------ delegations
def test_delegations_outside_their_window_grant_nothing(seed: Seed, act: Impersonate) -> None:
    """Expired, future and NULL-bounded delegates are unrelated users; the active one reads A1."""
    a1 = seed.projects["A1"]
    tables = ("projects", "agents", "transfers", "transfer_schedules", "external_shares")
    for actor in OUT_OF_WINDOW:
        with act(actor) as cur:
            for table in tables:
                assert_visible(cur, f"SELECT id FROM public.{table}", set())
            assert_visible(cur, "SELECT * FROM public.project_realtime_stats_for_me()", set())
            # the expired delegation was project_admin, the others project_owner
            assert_denied(
                cur,
                "INSERT INTO public.agents (project_id, name, api_key_hash) VALUES (%s, 'x', 'h')",
                (a1,),
                expect="error",
            )
            assert_denied(
                cur,
                "UPDATE public.projects SET name = 'x' WHERE id = %s",
                (a1,),
                expect="zero_rows",
            )
            # they still see their own delegation row
            assert_visible(
                cur,
                "SELECT count(*) FROM public.permission_delegations WHERE to_user_id = %s",
                {1},
                (seed.user(actor),),
            )
    with act("delegate_developer") as cur:
        assert_visible(cur, "SELECT id FROM public.projects", {a1})
        cur.execute(
            "INSERT INTO public.transfers (project_id, source_agent_id, destination_agent_id,"
            " file_name, file_size) VALUES (%s, %s, %s, 'd.bin', 1)",
            (a1, seed.row("agents", "A1"), seed.row("agents_dst", "A1")),
        )
        assert cur.rowcount == 1


def test_delegation_only_for_a_role_held(seed: Seed, act: Impersonate) -> None:
    """from_user = auth.uid(), and the role must be the caller's own project_members role."""
    a1, a2 = seed.projects["A1"], seed.projects["A2"]
    ins = (
        "INSERT INTO public.permission_delegations (from_user_id, to_user_id, scope, permissions,"
        " valid_from, valid_until) VALUES (%s, %s, %s, jsonb_build_object('role', %s::text),"
        " now(), now() + interval '1 day')"
    )
    outsider = seed.user("outsider")
    cases = [
        ("analyst", "analyst", a1, "project_owner"),  # a role above the one held
        ("project_admin", "project_admin", a1, "project_owner"),
        ("developer", "developer", a2, "developer"),  # a project they are not in
        ("owner", "owner", a1, "project_owner"),  # company owner, no project_members row
        # re-delegating a delegation, whatever its role
        *((actor, actor, a1, role) for actor, role in zip(DELEGATES, PROJECT_ROLES, strict=True)),
        ("developer", "project_owner", a1, "project_owner"),  # forging from_user
    ]
    for actor, from_label, project, role in cases:
        with act(actor) as cur:
            assert_denied(
                cur,
                ins,
                (seed.user(from_label), outsider, f"project:{project}", role),
                expect="error",
            )
    with act("developer") as cur:  # the legitimate case
        cur.execute(ins, (seed.user("developer"), outsider, f"project:{a1}", "developer"))
        assert cur.rowcount == 1
        with superuser(cur):
            cur.execute(
                "SELECT count(*) FROM public.permission_delegations WHERE to_user_id = %s",
                (outsider,),
            )
            assert cur.fetchone() == (1,)


def test_last_owner_cannot_leave(
    schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """Deleting or demoting the only owner raises 42501; with a second owner it is allowed."""
    a = seed.companies["A"]
    leave = "DELETE FROM public.company_members WHERE company_id = %s AND user_id = %s"
    demote = (
        "UPDATE public.company_members SET role = 'member' WHERE company_id = %s AND user_id = %s"
    )
    with act("owner") as cur:
        assert_denied(cur, leave, (a, seed.user("owner")), expect="error")
        assert_denied(cur, demote, (a, seed.user("owner")), expect="error")
    with schemactl_db.transaction(force_rollback=True):
        schemactl_db.execute(
            "UPDATE public.company_members SET role = 'owner' WHERE company_id = %s AND user_id = %s",
            (a, seed.user("admin")),
        )
        with act("owner") as cur:
            cur.execute(leave, (a, seed.user("owner")))
            assert cur.rowcount == 1
        # once the first owner is gone, the admin is the only owner and may not leave
        schemactl_db.execute(leave, (a, seed.user("owner")))
        with act("admin") as cur:
            assert_denied(cur, leave, (a, seed.user("admin")), expect="error")
    # members other than the last owner leave freely (state checked as superuser)
    with act("member") as cur:
        cur.execute(leave, (a, seed.user("member")))
        assert cur.rowcount == 1
        with superuser(cur):
            cur.execute(
                "SELECT count(*) FROM public.company_members WHERE company_id = %s AND user_id = %s",
                (a, seed.user("member")),
            )
            assert cur.fetchone() == (0,)


# ------------------------------------------------------------------ secrets
def test_secret_columns_unreadable_even_on_own_rows(
    schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """No signed-in kind (nor anon) reads a secret column, even of rows it administers."""
    problems: list[str] = []
    for actor in ["anon", *SIGNED_IN, "owner_b", "two_admin"]:
        for table, column in SECRET_COLUMNS:
            for query in (
                sql.SQL("SELECT {} FROM public.{}").format(
                    sql.Identifier(column), sql.Identifier(table)
                ),
                sql.SQL("SELECT * FROM public.{}").format(sql.Identifier(table)),
                sql.SQL("SELECT id FROM public.{} WHERE {} IS NOT NULL").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
            ):
                with act(actor) as cur:
                    out = run_probe(cur, query)
                if out.sqlstate != "42501":
                    problems.append(f"{actor}: {query.as_string(schemactl_db)} -> {out}")
    for role in ("anon", "authenticated"):
        for table, column in SECRET_COLUMNS:
            row = schemactl_db.execute(
                "SELECT has_column_privilege(%s, %s, %s, 'SELECT')",
                (role, f"public.{table}", column),
            ).fetchone()
            if row is None or row[0]:
                problems.append(f"catalog: {role} has SELECT on {table}.{column}")
    # RETURNING a secret column of a row one may write leaks it too
    with act("owner") as cur:
        out = run_probe(
            cur,
            "UPDATE public.agents SET name = name WHERE id = %s RETURNING api_key_hash",
            (seed.row("agents", "A1"),),
        )
        if out.sqlstate != "42501":
            problems.append(f"owner: UPDATE agents ... RETURNING api_key_hash -> {out}")
    # and the secret values are still there for the backend
    with act("service_role") as cur:
        assert_visible(
            cur,
            "SELECT key_hash FROM public.api_keys WHERE id = %s",
            {f"SECRET-key-{seed.named['key:A']}"},
            (seed.named["key:A"],),
        )
    _fail(problems)


def test_stripe_ids_only_for_owner_and_billing_admin(seed: Seed, act: Impersonate) -> None:
    """company_billing_for_me() returns stripe ids to owner/billing_admin of that company only."""
    a, b = seed.companies["A"], seed.companies["B"]
    q = "SELECT company_id FROM public.company_billing_for_me()"
    for actor, expected in (
        ("owner", {a}),
        ("billing_admin", {a}),
        ("owner_b", {b}),
        ("admin", set()),
        ("member", set()),
        ("project_owner", set()),
        *((actor, set()) for actor in DELEGATES),
        ("outsider", set()),
        ("two_admin", set()),
    ):
        with act(actor) as cur:
            assert_visible(cur, q, expected)
    with act("billing_admin") as cur:
        assert_visible(
            cur, "SELECT stripe_customer_id FROM public.company_billing_for_me()", {"cus_acme"}
        )
    with act("anon") as cur:
        assert_denied(cur, q, expect="error")


# ------------------------------------------------------------------ stats view
def test_realtime_stats_not_directly_readable(act: Impersonate, seed: Seed) -> None:
    """The materialized view has no RLS: anon and authenticated get no privilege at all."""
    for actor in ("anon", *SIGNED_IN):
        with act(actor) as cur:
            assert_denied(
                cur, "SELECT project_id FROM public.project_realtime_stats", expect="error"
            )
    with act("service_role") as cur:
        assert_visible(
            cur, "SELECT project_id FROM public.project_realtime_stats", set(seed.projects.values())
        )


def test_realtime_stats_accessor_returns_only_readable_projects(
    seed: Seed, act: Impersonate
) -> None:
    """project_realtime_stats_for_me() = rows of the projects the caller reads (the oracle)."""
    q = "SELECT project_id FROM public.project_realtime_stats_for_me()"
    for actor in [*SIGNED_IN, "owner_b", "two_co", "expired_delegate"]:
        with act(actor) as cur:
            assert_visible(cur, q, seed.world.visible("projects", seed.user(actor)))
    with act("anon") as cur:
        assert_denied(cur, q, expect="error")


# ------------------------------------------------------------------ catalog-wide
def _public_relations(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1"
    ).fetchall()
    return [(name, kind) for name, kind in rows]


def test_anon_reads_and_writes_nothing_anywhere(
    schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """Every relation of schema public (from the catalog, so new ones are covered): 42501."""
    relations = _public_relations(schemactl_db)
    assert len(relations) >= 21, relations  # 20 tables + partitions + the view
    problems: list[str] = []
    for name, kind in relations:
        ident = sql.Identifier("public", name)
        statements = [sql.SQL("SELECT 1 FROM {} LIMIT 1").format(ident)]
        if kind in ("r", "p"):
            statements += [
                sql.SQL("INSERT INTO {} DEFAULT VALUES").format(ident),
                sql.SQL("DELETE FROM {}").format(ident),
                sql.SQL("TRUNCATE {}").format(ident),
            ]
            col = schemactl_db.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = 1",
                (f"public.{name}",),
            ).fetchone()
            assert col is not None
            statements.append(
                sql.SQL("UPDATE {} SET {} = {}").format(
                    ident, sql.Identifier(col[0]), sql.Identifier(col[0])
                )
            )
        for stmt in statements:
            with act("anon") as cur:
                out = run_probe(cur, stmt)
            if out.sqlstate != "42501":
                problems.append(f"anon: {stmt.as_string(schemactl_db)} -> {out}")
    # functions of the API and the helpers: no EXECUTE for anon
    funcs = schemactl_db.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n"
        " ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'private')"
        " AND p.prorettype <> 'trigger'::regtype"
        " AND has_function_privilege('anon', p.oid, 'EXECUTE')"
    ).fetchall()
    problems += [f"anon may EXECUTE {f}" for (f,) in funcs]
    with act("anon") as cur:
        out = run_probe(cur, "SELECT public.create_company('Evil', 'evil')")
    if out.sqlstate != "42501":
        problems.append(f"anon: create_company -> {out}")
    _fail(problems)


def test_rls_enabled_on_every_table(schemactl_db: psycopg.Connection[Any]) -> None:
    """Every table and partition of schema public has RLS on; FORCE as docs/rls.md decides."""
    rows = schemactl_db.execute(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, c.relispartition"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
    ).fetchall()
    names = {r[0] for r in rows}
    assert {"companies", "agent_telemetry", "agent_telemetry_default"} <= names, names
    problems = [f"RLS is off on {name}" for name, enabled, _, _ in rows if not enabled]
    problems += [
        f"FORCE RLS on {name} is {forced}, docs/rls.md says {name in FORCED}"
        for name, _, forced, partition in rows
        if not partition and forced != (name in FORCED)
    ]
    # every non-partition table has at least one policy (RLS on without policy = locked)
    problems += [
        f"no policy on {name}"
        for (name,) in schemactl_db.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            " AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)"
        ).fetchall()
    ]
    _fail(problems)


def test_telemetry_partitions_not_directly_readable(
    schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """Reading a partition directly would skip the parent's policy: 42501 for every kind."""
    parts = [
        r[0]
        for r in schemactl_db.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits"
            " WHERE inhparent = 'public.agent_telemetry'::regclass"
        ).fetchall()
    ]
    assert len(parts) >= 2, parts
    for actor in ("owner", "outsider", "analyst"):
        for part in parts:
            with act(actor) as cur:
                assert_denied(cur, f"SELECT id FROM {part}", expect="error")


def test_create_company_makes_the_caller_owner(seed: Seed, act: Impersonate) -> None:
    """The only way a signed-in user creates a company; the caller becomes its owner."""
    with act("outsider") as cur:
        row = cur.execute("SELECT public.create_company('New Co', 'new-co')").fetchone()
        assert row is not None
        new_id = row[0]
        assert_visible(cur, "SELECT id FROM public.companies", {new_id})
        assert_visible(
            cur,
            "SELECT role FROM public.company_members WHERE company_id = %s AND user_id = %s",
            {"owner"},
            (new_id, seed.user("outsider")),
        )


def test_profile_cannot_be_handed_to_another_user(seed: Seed, act: Impersonate) -> None:
    """UPDATE WITH CHECK keeps user_profiles.id = auth.uid().

    The member of A re-labels their profile as no_profile's, a co-member of A without one:
    the new row is SELECT-visible to the member, so only the UPDATE policy's check stops it.
    """
    with act("member") as cur:
        assert_denied(
            cur,
            "UPDATE public.user_profiles SET id = %s WHERE id = %s",
            (seed.user("no_profile"), seed.user("member")),
            expect="error",
        )


def _updatable_column(conn: psycopg.Connection[Any], table: str) -> str | None:
    """A column authenticated may UPDATE, nullable if possible (set to NULL by the probe)."""
    row = conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped AND has_column_privilege('authenticated', attrelid, attnum,"
        " 'UPDATE') ORDER BY attnotnull, attnum LIMIT 1",
        (f"public.{table}",),
    ).fetchone()
    return None if row is None else str(row[0])


def test_unfiltered_writes_by_unrelated_users(
    schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """UPDATE / DELETE without WHERE read no column, so only the command's own policy filters.

    Per docs/rls.md an unrelated user (no membership, or a delegation outside its window) gets
    42501 where authenticated holds no privilege, and otherwise touches exactly their own
    rows: their profile, and (DELETE) delegations made to them.
    """
    tables = [name for name, kind in _public_relations(schemactl_db) if kind in ("r", "p")]
    problems: list[str] = []
    for actor in ("outsider", *OUT_OF_WINDOW):
        own_delegations = sum(
            1 for d in seed.world.delegations.values() if d.to_user == seed.user(actor)
        )
        for table in tables:
            ident = sql.Identifier("public", table)
            column = _updatable_column(schemactl_db, table)
            can_delete = schemactl_db.execute(
                "SELECT has_table_privilege('authenticated', %s, 'DELETE')", (f"public.{table}",)
            ).fetchone() == (True,)
            own = {"user_profiles": 1, "permission_delegations": own_delegations}.get(table, 0)
            probes = [
                (
                    sql.SQL("DELETE FROM {}").format(ident),
                    own if can_delete else "42501",
                ),
            ]
            if column is not None:
                probes.append(
                    (
                        sql.SQL("UPDATE {} SET {} = NULL").format(ident, sql.Identifier(column)),
                        1 if table == "user_profiles" else 0,
                    )
                )
            else:  # no UPDATE privilege on any column: any column will do
                first = schemactl_db.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = 1",
                    (f"public.{table}",),
                ).fetchone()
                assert first is not None
                col = sql.Identifier(first[0])
                probes.append((sql.SQL("UPDATE {} SET {} = {}").format(ident, col, col), "42501"))
            for stmt, want in probes:
                with act(actor) as cur:
                    out = run_probe(cur, stmt)
                got: int | str | None = out.sqlstate if out.sqlstate is not None else out.rows
                if got != want:
                    problems.append(
                        f"{actor}: {stmt.as_string(schemactl_db)} -> {out}, expected {want}"
                    )
    _fail(problems)
