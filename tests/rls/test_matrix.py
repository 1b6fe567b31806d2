"""Every table x command x role of docs/rls.md, probed against the seeded world.

One test per table (one database each); inside it every probe runs as every actor in a
transaction that is rolled back, and every mismatch is collected so one failure lists them
all. The expectations below are transcribed from docs/rls.md (and issue 3), not from the SQL:

* SELECT: an authenticated actor sees exactly the rows the oracle of rls_model.World says
  (rows it may not read are silently filtered: zero rows); anon gets 42501 (no privilege);
  service_role sees every row.
* INSERT / UPDATE / DELETE: actors in ``allowed`` (service_role always) succeed and the
  database state, looked at as superuser in the same transaction, shows the change; every other
  actor gets the denial the probe names: ``error`` = SQLSTATE 42501 (no privilege or WITH CHECK
  violation), ``zero_rows`` = the statement succeeds, affects nothing, and the state is
  unchanged. anon always gets 42501: it holds no privilege on any table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from rls_model import KEY_SQL, PROJECT_ROLES, normalise
from rls_seed import (
    ACTORS,
    DELEGATES,
    Impersonate,
    Outcome,
    Seed,
    build_seed,
    run_probe,
    superuser,
)

C_MEMBERS = frozenset({"owner", "admin", "billing_admin", "member"})
C_ADMINS = frozenset({"owner", "admin"})
P_MEMBERS = frozenset({"project_owner", "project_admin", "developer", "analyst"})
# delegate_<role>: an active delegation of that project role on A1 and no membership; the
# expired and future delegates hold delegations on A1 outside their window (= unrelated)
D_OWNER, D_ADMIN, D_DEVELOPER, D_ANALYST = DELEGATES
READ_A1 = C_MEMBERS | P_MEMBERS | set(DELEGATES)
WRITE_A1 = C_ADMINS | {"project_owner", "project_admin", "developer", D_OWNER, D_ADMIN, D_DEVELOPER}
ADMIN_A1 = C_ADMINS | {"project_owner", "project_admin", D_OWNER, D_ADMIN}
DELETE_A1 = C_ADMINS | {"project_owner", D_OWNER}
# managing project_members and project api keys needs *held* admin: delegations do not count
HELD_ADMIN_A1 = C_ADMINS | {"project_owner", "project_admin"}
SIGNED_IN = frozenset(a for a in ACTORS if a not in ("anon", "service_role"))
NOBODY: frozenset[str] = frozenset()

NEW = uuid.UUID("00000000-0000-4000-8000-00000000beef")  # id of rows the probes insert


@dataclass(frozen=True)
class Probe:
    """One write statement and who may run it, per docs/rls.md."""

    command: str  # INSERT | UPDATE | DELETE
    label: str
    sql: str
    allowed: frozenset[str]  # signed-in actors allowed (service_role is always allowed)
    denied: str  # "error" | "zero_rows" for signed-in actors not allowed
    check: str  # superuser SQL: true when the statement's change is in the database
    setup: str | None = None  # superuser SQL run first in the same transaction
    # signed-in actors denied differently from ``denied`` (e.g. a guard trigger raising)
    denied_as: tuple[tuple[str, str], ...] = ()

    def expected(self, actor: str) -> str:
        """``ok``, ``error`` or ``zero_rows`` for an actor."""
        if actor == "service_role" or actor in self.allowed:
            return "ok"
        if actor == "anon":
            return "error"
        return dict(self.denied_as).get(actor, self.denied)


def _exists(table: str, where: str) -> str:
    return f"SELECT EXISTS (SELECT 1 FROM public.{table} WHERE {where})"


def _gone(table: str, where: str) -> str:
    return f"SELECT NOT EXISTS (SELECT 1 FROM public.{table} WHERE {where})"


def _project_row_probes(
    table: str,
    insert_cols: str,
    insert_vals: str,
    update_set: str,
    update_check: str,
    *,
    insert: frozenset[str],
    update: frozenset[str],
    delete: frozenset[str],
    delete_setup: str | None = None,
    delete_id: str = "%(row_A1)s",
) -> list[Probe]:
    """INSERT into A1, UPDATE the A1 row, DELETE an A1 row: the shape of every project table."""
    return [
        Probe(
            "INSERT",
            "new row in A1",
            f"INSERT INTO public.{table} ({insert_cols}) VALUES ({insert_vals})",
            insert,
            "error",
            _exists(table, "id = %(new)s"),
        ),
        Probe(
            "UPDATE",
            "row of A1",
            f"UPDATE public.{table} SET {update_set} WHERE id = %(row_A1)s",
            update,
            "zero_rows",
            _exists(table, f"id = %(row_A1)s AND {update_check}"),
        ),
        Probe(
            "DELETE",
            "row of A1",
            f"DELETE FROM public.{table} WHERE id = {delete_id}",
            delete,
            "zero_rows",
            _gone(table, f"id = {delete_id}"),
            setup=delete_setup,
        ),
    ]


def _service_only(
    table: str, insert: str, update: str, update_check: str, key: str, new_key: str = "%(new)s"
) -> list[Probe]:
    """Tables agents report into through service_role: signed-in users read, never write."""
    return [
        Probe(
            "INSERT", "new row in A1", insert, NOBODY, "error", _exists(table, f"{key} = {new_key}")
        ),
        Probe(
            "UPDATE",
            "row of A1",
            f"UPDATE public.{table} SET {update} WHERE {key} = %(row_A1)s",
            NOBODY,
            "error",
            _exists(table, f"{key} = %(row_A1)s AND {update_check}"),
        ),
        Probe(
            "DELETE",
            "row of A1",
            f"DELETE FROM public.{table} WHERE {key} = %(row_A1)s",
            NOBODY,
            "error",
            _gone(table, f"{key} = %(row_A1)s"),
        ),
    ]


VICTIM_AGENT = (
    "INSERT INTO public.agents (id, project_id, name, api_key_hash)"
    " VALUES (%(new)s, %(A1)s, 'victim', 'h')"
)

PROBES: dict[str, list[Probe]] = {
    "companies": [
        # a signed-in user creates a company only through public.create_company()
        Probe(
            "INSERT",
            "direct insert",
            "INSERT INTO public.companies (id, name, slug) VALUES (%(new)s, 'New', 'new-co')",
            NOBODY,
            "error",
            _exists("companies", "id = %(new)s"),
        ),
        # the split admin / billing_admin is a guard trigger: the row passes USING, the
        # trigger raises 42501 when the caller changes a column outside their role
        Probe(
            "UPDATE",
            "name of A",
            "UPDATE public.companies SET name = 'Renamed' WHERE id = %(A)s",
            C_ADMINS,
            "zero_rows",
            _exists("companies", "id = %(A)s AND name = 'Renamed'"),
            denied_as=(("billing_admin", "error"),),
        ),
        Probe(
            "UPDATE",
            "subscription of A",
            "UPDATE public.companies SET subscription_tier = 'enterprise' WHERE id = %(A)s",
            frozenset({"owner", "billing_admin"}),
            "zero_rows",
            _exists("companies", "id = %(A)s AND subscription_tier = 'enterprise'"),
            denied_as=(("admin", "error"),),
        ),
        Probe(
            "UPDATE",
            "stripe ids of A (write-only column)",
            "UPDATE public.companies SET stripe_customer_id = 'cus_evil' WHERE id = %(A)s",
            frozenset({"owner", "billing_admin"}),
            "zero_rows",
            _exists("companies", "id = %(A)s AND stripe_customer_id = 'cus_evil'"),
            denied_as=(("admin", "error"),),
        ),
        Probe(
            "DELETE",
            "company A",
            "DELETE FROM public.companies WHERE id = %(A)s",
            frozenset({"owner"}),
            "zero_rows",
            _gone("companies", "id = %(A)s"),
            # audit_log keeps NO ACTION on companies (docs/schema.md): clear A's trail first
            setup="DELETE FROM public.audit_log WHERE company_id = %(A)s",
        ),
    ],
    "company_members": [
        Probe(
            "INSERT",
            "outsider joins A as member",
            "INSERT INTO public.company_members (company_id, user_id, role)"
            " VALUES (%(A)s, %(u_outsider)s, 'member')",
            C_ADMINS,
            "error",
            _exists("company_members", "company_id = %(A)s AND user_id = %(u_outsider)s"),
        ),
        Probe(
            "UPDATE",
            "member row of A",
            "UPDATE public.company_members SET permissions = '{\"probe\": 1}'"
            " WHERE company_id = %(A)s AND user_id = %(u_member)s",
            C_ADMINS,
            "zero_rows",
            _exists(
                "company_members",
                "company_id = %(A)s AND user_id = %(u_member)s AND permissions ? 'probe'",
            ),
        ),
        Probe(
            "DELETE",
            "member row of A (the member may leave)",
            "DELETE FROM public.company_members WHERE company_id = %(A)s AND user_id = %(u_member)s",
            C_ADMINS | {"member"},
            "zero_rows",
            _gone("company_members", "company_id = %(A)s AND user_id = %(u_member)s"),
        ),
    ],
    "projects": [
        Probe(
            "INSERT",
            "new project in A",
            "INSERT INTO public.projects (id, company_id, name, slug)"
            " VALUES (%(new)s, %(A)s, 'New', 'new-project')",
            C_ADMINS,
            "error",
            _exists("projects", "id = %(new)s"),
        ),
        Probe(
            "UPDATE",
            "name of A1",
            "UPDATE public.projects SET name = 'Renamed' WHERE id = %(A1)s",
            ADMIN_A1,
            "zero_rows",
            _exists("projects", "id = %(A1)s AND name = 'Renamed'"),
        ),
        Probe(
            "DELETE",
            "project A1",
            "DELETE FROM public.projects WHERE id = %(A1)s",
            DELETE_A1,
            "zero_rows",
            _gone("projects", "id = %(A1)s"),
        ),
    ],
    "project_members": [
        Probe(
            "INSERT",
            "outsider joins A1 as analyst",
            "INSERT INTO public.project_members (project_id, user_id, role)"
            " VALUES (%(A1)s, %(u_outsider)s, 'analyst')",
            HELD_ADMIN_A1,
            "error",
            _exists("project_members", "project_id = %(A1)s AND user_id = %(u_outsider)s"),
        ),
        Probe(
            "UPDATE",
            "analyst row of A1",
            "UPDATE public.project_members SET permissions = '{\"probe\": 1}'"
            " WHERE project_id = %(A1)s AND user_id = %(u_analyst)s",
            HELD_ADMIN_A1,
            "zero_rows",
            _exists(
                "project_members",
                "project_id = %(A1)s AND user_id = %(u_analyst)s AND permissions ? 'probe'",
            ),
        ),
        Probe(
            "DELETE",
            "analyst row of A1",
            "DELETE FROM public.project_members WHERE project_id = %(A1)s"
            " AND user_id = %(u_analyst)s",
            HELD_ADMIN_A1,
            "zero_rows",
            _gone("project_members", "project_id = %(A1)s AND user_id = %(u_analyst)s"),
        ),
    ],
    "user_profiles": [
        Probe(
            "INSERT",
            "own profile",
            "INSERT INTO public.user_profiles (id, full_name) VALUES (%(me_or_outsider)s, 'Me')",
            SIGNED_IN,
            "error",
            _exists("user_profiles", "id = %(me_or_outsider)s AND full_name = 'Me'"),
            setup="DELETE FROM public.user_profiles WHERE id = %(me_or_outsider)s",
        ),
        Probe(
            "INSERT",
            "profile of another user",
            "INSERT INTO public.user_profiles (id, full_name) VALUES (%(u_no_profile)s, 'X')",
            NOBODY,
            "error",
            _exists("user_profiles", "id = %(u_no_profile)s"),
        ),
        Probe(
            "UPDATE",
            "own profile",
            "UPDATE public.user_profiles SET full_name = 'Me' WHERE id = %(me_or_outsider)s",
            SIGNED_IN,
            "zero_rows",
            _exists("user_profiles", "id = %(me_or_outsider)s AND full_name = 'Me'"),
        ),
        Probe(
            "UPDATE",
            "profile of a co-member the actor can see",
            "UPDATE public.user_profiles SET full_name = 'X' WHERE id = %(other_profile)s",
            NOBODY,
            "zero_rows",
            _exists("user_profiles", "id = %(other_profile)s AND full_name = 'X'"),
        ),
        Probe(
            "DELETE",
            "own profile",
            "DELETE FROM public.user_profiles WHERE id = %(me_or_outsider)s",
            SIGNED_IN,
            "zero_rows",
            _gone("user_profiles", "id = %(me_or_outsider)s"),
        ),
        Probe(
            "DELETE",
            "profile of a co-member the actor can see",
            "DELETE FROM public.user_profiles WHERE id = %(other_profile)s",
            NOBODY,
            "zero_rows",
            _gone("user_profiles", "id = %(other_profile)s"),
        ),
    ],
    "agents": _project_row_probes(
        "agents",
        "id, project_id, name, api_key_hash",
        "%(new)s, %(A1)s, 'new', 'hash'",
        "name = 'Renamed'",
        "name = 'Renamed'",
        insert=ADMIN_A1,
        update=ADMIN_A1,
        delete=ADMIN_A1,
        # the seeded agents are referenced by transfers (NO ACTION): delete a fresh one
        delete_setup=VICTIM_AGENT,
        delete_id="%(new)s",
    ),
    "automation_rules": _project_row_probes(
        "automation_rules",
        "id, project_id, name, trigger_type, trigger_config, action_type, action_config",
        "%(new)s, %(A1)s, 'new', 'event', '{}', 'notify', '{}'",
        "name = 'Renamed'",
        "name = 'Renamed'",
        insert=ADMIN_A1,
        update=ADMIN_A1,
        delete=ADMIN_A1,
    ),
    "bandwidth_policies": _project_row_probes(
        "bandwidth_policies",
        "id, project_id, name",
        "%(new)s, %(A1)s, 'new'",
        "name = 'Renamed'",
        "name = 'Renamed'",
        insert=ADMIN_A1,
        update=ADMIN_A1,
        delete=ADMIN_A1,
    ),
    "cloud_connections": _project_row_probes(
        "cloud_connections",
        "id, project_id, name, provider, credentials_encrypted",
        "%(new)s, %(A1)s, 'new', 's3', '{}'",
        "name = 'Renamed'",
        "name = 'Renamed'",
        insert=ADMIN_A1,
        update=ADMIN_A1,
        delete=ADMIN_A1,
    ),
    "transfers": _project_row_probes(
        "transfers",
        "id, project_id, source_agent_id, destination_agent_id, file_name, file_size",
        "%(new)s, %(A1)s, %(agent_A1)s, %(agent_dst_A1)s, 'new.bin', 1",
        "status = 'running'",
        "status = 'running'",
        insert=WRITE_A1,
        update=WRITE_A1,
        delete=ADMIN_A1,
    ),
    "transfer_schedules": _project_row_probes(
        "transfer_schedules",
        "id, project_id, name, source_agent_id, destination_agent_id, schedule_type,"
        " interval_seconds, source_path, destination_path",
        "%(new)s, %(A1)s, 'new', %(agent_A1)s, %(agent_dst_A1)s, 'interval', 60, '/a', '/b'",
        "name = 'Renamed'",
        "name = 'Renamed'",
        insert=WRITE_A1,
        update=WRITE_A1,
        delete=ADMIN_A1,
    ),
    # the A1 share was created by the A1 developer: creator or administrators change it
    "external_shares": _project_row_probes(
        "external_shares",
        "id, project_id, created_by, share_token, file_name, file_size, expires_at",
        "%(new)s, %(A1)s, (SELECT auth.uid()), 'tok-new', 'f', 1, now() + interval '1 day'",
        "status = 'revoked'",
        "status = 'revoked'",
        insert=WRITE_A1,
        update=ADMIN_A1 | {"developer"},
        delete=ADMIN_A1 | {"developer"},
    ),
    "agent_heartbeats": _service_only(
        "agent_heartbeats",
        # the second agent of A1 has no heartbeat yet
        "INSERT INTO public.agent_heartbeats (agent_id, status) VALUES (%(agent_dst_A1)s, 'online')",
        "status = 'offline'",
        "status = 'offline'",
        "agent_id",
        new_key="%(agent_dst_A1)s",
    ),
    "agent_telemetry": _service_only(
        "agent_telemetry",
        "INSERT INTO public.agent_telemetry (id, agent_id, project_id, metrics)"
        " VALUES (%(new)s, %(agent_dst_A1)s, %(A1)s, '{}')",
        "metrics = '{\"probe\": 1}'",
        "metrics ? 'probe'",
        "id",
    ),
    "transfer_chunks": _service_only(
        "transfer_chunks",
        "INSERT INTO public.transfer_chunks (id, transfer_id, chunk_index, chunk_size,"
        " chunk_hash) VALUES (%(new)s, %(transfers_A1)s, 99, 1, 'h')",
        "status = 'done'",
        "status = 'done'",
        "id",
    ),
    "active_transfers": _service_only(
        "active_transfers",
        "INSERT INTO public.active_transfers (id, agent_id, project_id, status)"
        " VALUES (%(new)s, %(agent_A1)s, %(A1)s, 'running')",
        "status = 'paused'",
        "status = 'paused'",
        "id",
    ),
    "api_key_usage": _service_only(
        "api_key_usage",
        "INSERT INTO public.api_key_usage (id, api_key_id, endpoint, method)"
        " VALUES (%(new)s, %(key_A1)s, '/x', 'GET')",
        "status_code = 599",
        "status_code = 599",
        "id",
    ),
    "audit_log": [
        # append-only, written by the backend: no signed-in role inserts, updates or deletes
        Probe(
            "INSERT",
            "event of A",
            "INSERT INTO public.audit_log (id, company_id, action) VALUES (%(new)s, %(A)s, 'x')",
            NOBODY,
            "error",
            _exists("audit_log", "id = %(new)s"),
        ),
        Probe(
            "UPDATE",
            "event of A",
            "UPDATE public.audit_log SET action = 'forged' WHERE id = %(audit_A)s",
            NOBODY,
            "error",
            _exists("audit_log", "id = %(audit_A)s AND action = 'forged'"),
        ),
        Probe(
            "DELETE",
            "event of A",
            "DELETE FROM public.audit_log WHERE id = %(audit_A)s",
            NOBODY,
            "error",
            _gone("audit_log", "id = %(audit_A)s"),
        ),
    ],
    "api_keys": [
        Probe(
            "INSERT",
            "company-wide key of A",
            "INSERT INTO public.api_keys (id, company_id, key_hash, key_prefix, name, scopes,"
            " role, created_by) VALUES (%(new)s, %(A)s, 'h', 'sk_', 'new', '[]', 'member',"
            " (SELECT auth.uid()))",
            C_ADMINS,
            "error",
            _exists("api_keys", "id = %(new)s"),
        ),
        Probe(
            "INSERT",
            "project key of A1",
            "INSERT INTO public.api_keys (id, company_id, project_id, key_hash, key_prefix, name,"
            " scopes, role, created_by) VALUES (%(new)s, %(A)s, %(A1)s, 'h', 'sk_', 'new', '[]',"
            " 'developer', (SELECT auth.uid()))",
            HELD_ADMIN_A1,
            "error",
            _exists("api_keys", "id = %(new)s"),
        ),
        Probe(
            "UPDATE",
            "company-wide key of A",
            "UPDATE public.api_keys SET name = 'Renamed' WHERE id = %(key_A)s",
            C_ADMINS,
            "zero_rows",
            _exists("api_keys", "id = %(key_A)s AND name = 'Renamed'"),
        ),
        Probe(
            "UPDATE",
            "project key of A1",
            "UPDATE public.api_keys SET name = 'Renamed' WHERE id = %(key_A1)s",
            HELD_ADMIN_A1,
            "zero_rows",
            _exists("api_keys", "id = %(key_A1)s AND name = 'Renamed'"),
        ),
        Probe(
            "DELETE",
            "company-wide key of A",
            "DELETE FROM public.api_keys WHERE id = %(key_A)s",
            C_ADMINS,
            "zero_rows",
            _gone("api_keys", "id = %(key_A)s"),
        ),
        Probe(
            "DELETE",
            "project key of A1",
            "DELETE FROM public.api_keys WHERE id = %(key_A1)s",
            HELD_ADMIN_A1,
            "zero_rows",
            _gone("api_keys", "id = %(key_A1)s"),
        ),
    ],
    "permission_delegations": [
        # from_user delegates the project role they hold on A1 (company roles and the
        # delegates, who hold their role only through a delegation, try 'developer')
        Probe(
            "INSERT",
            "delegate own A1 role to outsider",
            "INSERT INTO public.permission_delegations (id, from_user_id, to_user_id, scope,"
            " permissions, valid_from, valid_until) VALUES (%(new)s, %(me_or_developer)s,"
            " %(u_outsider)s, 'project:' || %(A1)s::text, jsonb_build_object('role', %(my_role)s::text),"
            " now(), now() + interval '1 day')",
            P_MEMBERS,
            "error",
            _exists("permission_delegations", "id = %(new)s"),
        ),
        # no UPDATE privilege at all: change = delete + insert
        Probe(
            "UPDATE",
            "extend the active delegation",
            "UPDATE public.permission_delegations SET valid_until = now() + interval '1 year'"
            " WHERE id = %(delegation_active)s",
            NOBODY,
            "error",
            _exists(
                "permission_delegations",
                "id = %(delegation_active)s AND valid_until > now() + interval '300 days'",
            ),
        ),
        Probe(
            "DELETE",
            "revoke the active delegation",
            "DELETE FROM public.permission_delegations WHERE id = %(delegation_active)s",
            frozenset({"developer", D_DEVELOPER}),  # its from_user and its to_user
            "zero_rows",
            _gone("permission_delegations", "id = %(delegation_active)s"),
        ),
    ],
}

TABLES = sorted(KEY_SQL)


def test_matrix_covers_every_table() -> None:
    """A table of the oracle without probes would silently escape the matrix."""
    assert set(PROBES) == set(TABLES)
    for table, probes in PROBES.items():
        assert {p.command for p in probes} == {"INSERT", "UPDATE", "DELETE"}, table


def test_rights_on_a1_agree_with_the_oracle() -> None:
    """The actor sets above (docs/rls.md's matrix rows) and rls_model's derived rights agree.

    Two transcriptions of one document: a delegate missing from a set, or a right the oracle
    derives differently, shows here before it hides in a probe's expectation.
    """
    seed = build_seed()
    w, a1 = seed.world, seed.projects["A1"]
    for name, rights, derived in (
        ("READ_A1", READ_A1, w.reads_project),
        ("WRITE_A1", WRITE_A1, w.writes_project),
        ("ADMIN_A1", ADMIN_A1, w.administers_project),
        ("DELETE_A1", DELETE_A1, w.deletes_project),
        ("HELD_ADMIN_A1", HELD_ADMIN_A1, w.held_administers_project),
    ):
        oracle = {a for a in SIGNED_IN if derived(seed.user(a), a1)}
        assert oracle == rights, f"{name}: sets say {sorted(rights)}, oracle {sorted(oracle)}"
    # every delegable role has its delegate, holding that role on A1 by delegation only
    for actor, role in zip(DELEGATES, PROJECT_ROLES, strict=True):
        user = seed.user(actor)
        assert w.effective_project_roles(user, a1) == {role}
        assert (a1, user) not in w.project_members
        assert not any(u == user for (_, u) in w.company_members)
    for actor in ("expired_delegate", "future_delegate"):
        assert not w.effective_project_roles(seed.user(actor), a1)


def params_for(seed: Seed, actor: str, table: str) -> dict[str, Any]:
    """Named parameters of the probes of ``table``, for one actor."""
    p: dict[str, Any] = {"new": NEW, **seed.companies, **seed.projects}
    p["row_A1"] = seed.rows.get((table, "A1"))
    for label, uid_ in seed.world.users.items():
        p[f"u_{label}"] = uid_
    for (table, project), rid in seed.rows.items():
        key = "agent" if table == "agents" else "agent_dst" if table == "agents_dst" else table
        p[f"{key}_{project}"] = rid
    p["key_A"] = seed.named["key:A"]
    p["key_A1"] = seed.named["key:A1"]
    p["audit_A"] = seed.named["audit:A"]
    p["delegation_active"] = seed.named["delegation:active"]
    me = seed.world.users.get(actor)
    p["me"] = me
    p["me_or_outsider"] = me or seed.user("outsider")
    p["me_or_developer"] = me or seed.user("developer")
    # someone else's profile the actor can SELECT (so a filter on UPDATE/DELETE shows)
    visible = (
        sorted(str(u) for u in seed.world.visible("user_profiles", me) if u != me) if me else []
    )
    p["other_profile"] = visible[0] if visible else seed.user("owner_b")
    a1 = seed.projects["A1"]
    direct = seed.world.project_members.get((a1, me)) if me else None
    # a delegate tries to pass on the role it holds only through its delegation
    delegated = sorted(seed.world.effective_project_roles(me, a1)) if me else []
    p["my_role"] = direct or (delegated[0] if delegated else "developer")
    return p


def _describe(outcome: Outcome) -> str:
    if outcome.sqlstate is not None:
        return "error" if outcome.sqlstate == "42501" else f"error {outcome.sqlstate}"
    return "zero_rows" if outcome.rows == 0 else f"{outcome.rows} row(s)"


def _select_mismatches(act: Impersonate, seed: Seed, table: str) -> list[str]:
    query = f"SELECT {KEY_SQL[table]} FROM public.{table}"
    everything = seed.world.visible_all(table)
    problems = []
    for actor in ACTORS:
        with act(actor) as cur:
            outcome = run_probe(cur, query)
            if actor == "anon":
                if outcome.sqlstate != "42501":
                    problems.append(f"SELECT {table} as anon: expected error 42501, got {outcome}")
                continue
            if outcome.sqlstate is not None:
                problems.append(f"SELECT {table} as {actor}: expected rows, got {outcome}")
                continue
        seen = set(outcome.values)
        wanted = (
            everything
            if actor == "service_role"
            else normalise(seed.world.visible(table, seed.user(actor)))
        )
        if seen != wanted:
            problems.append(
                f"SELECT {table} as {actor}: missing {sorted(wanted - seen)},"
                f" unexpected {sorted(seen - wanted)}"
            )
    return problems


def _write_mismatches(
    conn: psycopg.Connection[Any], act: Impersonate, seed: Seed, probe: Probe, table: str
) -> list[str]:
    problems = []
    for actor in ACTORS:
        params = params_for(seed, actor, table)
        want = probe.expected(actor)
        with conn.transaction(force_rollback=True):
            if probe.setup:
                conn.execute(probe.setup, params)
            with act(actor) as cur:
                outcome = run_probe(cur, probe.sql, params)
                changed: bool | None = None
                if outcome.sqlstate is None:
                    with superuser(cur):
                        row = cur.execute(probe.check, params).fetchone()
                        changed = bool(row and row[0])
        got = _describe(outcome)
        where = f"{probe.command} {table} [{probe.label}] as {actor}"
        if want == "ok":
            if outcome.sqlstate is not None or not outcome.rows:
                problems.append(f"{where}: expected ok, got {outcome}")
            elif not changed:
                problems.append(f"{where}: succeeded but the database does not show the change")
        elif want != got:
            problems.append(f"{where}: expected {want}, got {outcome}")
        elif changed:
            problems.append(f"{where}: affected no row but the database changed")
    return problems


@pytest.mark.parametrize("table", TABLES)
def test_matrix(
    table: str, schemactl_db: psycopg.Connection[Any], seed: Seed, act: Impersonate
) -> None:
    """Every command on ``table`` as every actor behaves as docs/rls.md says."""
    problems = _select_mismatches(act, seed, table)
    for probe in PROBES[table]:
        problems += _write_mismatches(schemactl_db, act, seed, probe, table)
    if problems:
        pytest.fail(f"{len(problems)} matrix mismatch(es):\n" + "\n".join(problems), pytrace=False)
