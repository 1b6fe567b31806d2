"""A tenant world as plain data, a Python oracle of the access matrix, and its loader.

The oracle is written from issue 3 and docs/rls.md, never from sql/policies: it is the
independent second opinion the database must agree with. The same loader inserts the fixed
seed world (conftest.py) and the random worlds of the property test (test_property.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

COMPANY_ROLES = ("owner", "admin", "billing_admin", "member")
PROJECT_ROLES = ("project_owner", "project_admin", "developer", "analyst")
COMPANY_ADMIN_ROLES = frozenset({"owner", "admin"})
PROJECT_WRITER_ROLES = frozenset({"project_owner", "project_admin", "developer"})
PROJECT_ADMIN_ROLES = frozenset({"project_owner", "project_admin"})

# Delegation windows relative to the transaction's now(), in hours: (valid_from, valid_until).
# None is a NULL bound, which docs/rls.md defines as not active.
DELEGATION_WINDOWS: dict[str, tuple[int | None, int | None]] = {
    "active": (-24, 24),
    "expired": (-48, -24),
    "future": (24, 48),
    "open_from": (None, 24),
    "open_until": (-24, None),
}

# Tables whose rows hang off a project through a project_id column and an id primary key.
PROJECT_TABLES = (
    "agents",
    "transfers",
    "transfer_schedules",
    "automation_rules",
    "bandwidth_policies",
    "cloud_connections",
    "external_shares",
    "active_transfers",
)

_NS = uuid.UUID("6f1c2a52-3c1e-4d57-9a43-5c0b7e1f0a11")


def uid(name: str) -> uuid.UUID:
    """A deterministic UUID for a name, so failures read the same on every run."""
    return uuid.uuid5(_NS, name)


@dataclass(frozen=True)
class Delegation:
    """A permission_delegations row of the form issue 3 defines."""

    from_user: uuid.UUID
    to_user: uuid.UUID
    project: uuid.UUID
    role: str
    state: str  # key of DELEGATION_WINDOWS

    @property
    def active(self) -> bool:
        """Whether now() lies in [valid_from, valid_until) (both bounds set)."""
        return self.state == "active"

    def grants(self, user: uuid.UUID, project: uuid.UUID) -> str | None:
        """The project role this delegation gives ``user`` on ``project`` now, if any.

        Only an active delegation to that user for that project, of one of the four project
        roles (a delegated company role or an unknown role grants nothing).
        """
        if self.to_user == user and self.project == project and self.active:
            return self.role if self.role in PROJECT_ROLES else None
        return None


@dataclass
class World:
    """Every row the tests insert, keyed by id, with the tenant it belongs to."""

    users: dict[str, uuid.UUID] = field(default_factory=dict)  # label -> auth.users id
    profiles: set[uuid.UUID] = field(default_factory=set)  # users with a user_profiles row
    companies: dict[uuid.UUID, str] = field(default_factory=dict)  # id -> slug
    projects: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # id -> company
    company_members: dict[tuple[uuid.UUID, uuid.UUID], str] = field(default_factory=dict)
    project_members: dict[tuple[uuid.UUID, uuid.UUID], str] = field(default_factory=dict)
    delegations: dict[uuid.UUID, Delegation] = field(default_factory=dict)
    # table -> row id -> project id, for PROJECT_TABLES
    project_rows: dict[str, dict[uuid.UUID, uuid.UUID]] = field(
        default_factory=lambda: {t: {} for t in PROJECT_TABLES}
    )
    transfer_agents: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = field(default_factory=dict)
    schedule_agents: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = field(default_factory=dict)
    active_transfer_agent: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    heartbeats: set[uuid.UUID] = field(default_factory=set)  # agent ids
    telemetry: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # id -> agent
    chunks: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # chunk id -> transfer
    api_keys: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID | None]] = field(default_factory=dict)
    api_key_usage: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # id -> key
    audit_log: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # id -> company
    share_creator: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # share -> user

    # ----------------------------------------------------------------- derived rights
    def company_role(self, user: uuid.UUID, company: uuid.UUID) -> str | None:
        """The user's role in the company, if any."""
        return self.company_members.get((company, user))

    def effective_project_roles(self, user: uuid.UUID, project: uuid.UUID) -> set[str]:
        """Direct project role plus roles of active delegations to the user for the project."""
        roles = set()
        direct = self.project_members.get((project, user))
        if direct:
            roles.add(direct)
        for d in self.delegations.values():
            role = d.grants(user, project)
            if role is not None:
                roles.add(role)
        return roles

    def has_active_delegation(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """An active delegation of a project role to the user for the project exists."""
        return any(d.grants(user, project) is not None for d in self.delegations.values())

    def reads_project(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """Any member of C, any member of P, or an active delegation for P."""
        company = self.projects[project]
        return (
            self.company_role(user, company) is not None
            or (project, user) in self.project_members
            or self.has_active_delegation(user, project)
        )

    def writes_project(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """Owner/admin of C, or project_owner/project_admin/developer of P."""
        company = self.projects[project]
        return self.company_role(user, company) in COMPANY_ADMIN_ROLES or bool(
            self.effective_project_roles(user, project) & PROJECT_WRITER_ROLES
        )

    def administers_project(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """Owner/admin of C, or project_owner/project_admin of P."""
        company = self.projects[project]
        return self.company_role(user, company) in COMPANY_ADMIN_ROLES or bool(
            self.effective_project_roles(user, project) & PROJECT_ADMIN_ROLES
        )

    def deletes_project(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """Owner/admin of C, or project_owner of P (held or delegated)."""
        company = self.projects[project]
        return self.company_role(user, company) in COMPANY_ADMIN_ROLES or (
            "project_owner" in self.effective_project_roles(user, project)
        )

    def administers_company(self, user: uuid.UUID, company: uuid.UUID) -> bool:
        """Owner or admin of the company."""
        return self.company_role(user, company) in COMPANY_ADMIN_ROLES

    # ----------------------------------------------------------------- oracle
    def visible(self, table: str, user: uuid.UUID) -> set[Any]:
        """Keys of the rows of ``table`` the user must see (key = the table's KEY_SQL)."""
        rp = self.reads_project
        if table == "companies":
            return {c for c in self.companies if self.company_role(user, c) is not None}
        if table == "company_members":
            return {
                f"{c}:{u}"
                for (c, u) in self.company_members
                if self.company_role(user, c) is not None
            }
        if table == "projects":
            return {p for p in self.projects if rp(user, p)}
        if table == "project_members":
            return {f"{p}:{u}" for (p, u) in self.project_members if rp(user, p)}
        if table == "user_profiles":
            return {other for other in self.profiles if self.shares_tenant(user, other)}
        if table in PROJECT_TABLES:
            return {r for r, p in self.project_rows[table].items() if rp(user, p)}
        if table == "agent_heartbeats":
            agents = self.project_rows["agents"]
            return {a for a in self.heartbeats if rp(user, agents[a])}
        if table == "agent_telemetry":
            agents = self.project_rows["agents"]
            return {t for t, a in self.telemetry.items() if rp(user, agents[a])}
        if table == "transfer_chunks":
            transfers = self.project_rows["transfers"]
            return {c for c, t in self.chunks.items() if rp(user, transfers[t])}
        if table == "api_keys":
            return {k for k in self.api_keys if self.reads_api_key(user, k)}
        if table == "api_key_usage":
            return {
                u
                for u, k in self.api_key_usage.items()
                if self.administers_company(user, self.api_keys[k][0])
            }
        if table == "audit_log":
            return {a for a, c in self.audit_log.items() if self.administers_company(user, c)}
        if table == "permission_delegations":
            return {i for i, d in self.delegations.items() if user in (d.from_user, d.to_user)}
        raise KeyError(table)

    def visible_all(self, table: str) -> set[str]:
        """Keys of every row of ``table`` (what service_role sees)."""
        return normalise(self._all_rows(table))

    def _all_rows(self, table: str) -> set[Any]:
        if table == "companies":
            return set(self.companies)
        if table == "company_members":
            return {f"{c}:{u}" for (c, u) in self.company_members}
        if table == "projects":
            return set(self.projects)
        if table == "project_members":
            return {f"{p}:{u}" for (p, u) in self.project_members}
        if table == "user_profiles":
            return set(self.profiles)
        if table in PROJECT_TABLES:
            return set(self.project_rows[table])
        if table == "agent_heartbeats":
            return set(self.heartbeats)
        if table == "agent_telemetry":
            return set(self.telemetry)
        if table == "transfer_chunks":
            return set(self.chunks)
        if table == "api_keys":
            return set(self.api_keys)
        if table == "api_key_usage":
            return set(self.api_key_usage)
        if table == "audit_log":
            return set(self.audit_log)
        if table == "permission_delegations":
            return set(self.delegations)
        raise KeyError(table)

    def holds_admin(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """project_owner/project_admin of P through project_members (delegations do not count)."""
        return self.project_members.get((project, user)) in PROJECT_ADMIN_ROLES

    def project_ids(
        self,
        user: uuid.UUID,
        company_roles: Iterable[str],
        project_roles: Iterable[str],
        with_delegations: bool,
    ) -> set[uuid.UUID]:
        """Projects of the companies where the user's role is in ``company_roles``, plus
        projects the user holds one of ``project_roles`` on (by membership, and by an active
        delegation when ``with_delegations``): the building block of docs/rls.md's rights."""
        c_roles, p_roles = set(company_roles), set(project_roles)
        found = set()
        for project, company in self.projects.items():
            held = self.project_members.get((project, user))
            delegated = {
                role
                for d in self.delegations.values()
                if (role := d.grants(user, project)) is not None
            }
            if (
                self.company_role(user, company) in c_roles
                or held in p_roles
                or (with_delegations and delegated & p_roles)
            ):
                found.add(project)
        return found

    def company_ids(self, user: uuid.UUID, roles: Iterable[str]) -> set[uuid.UUID]:
        """Companies where the user's company role is one of ``roles``."""
        wanted = set(roles)
        return {c for (c, u), role in self.company_members.items() if u == user and role in wanted}

    def co_member_ids(self, user: uuid.UUID) -> set[uuid.UUID]:
        """The user and every user sharing a company or a project with them (memberships only)."""
        everyone = {u for (_, u) in self.company_members} | {u for (_, u) in self.project_members}
        return {user} | {other for other in everyone if self.shares_tenant(user, other)}

    def held_administers_project(self, user: uuid.UUID, project: uuid.UUID) -> bool:
        """Owner/admin of C, or project_owner/project_admin of P without delegations."""
        company = self.projects[project]
        return self.administers_company(user, company) or self.holds_admin(user, project)

    def reads_api_key(self, user: uuid.UUID, key: uuid.UUID) -> bool:
        """Owner/admin of C; a project key also by P's held administrators (docs/rls.md)."""
        company, project = self.api_keys[key]
        if self.administers_company(user, company):
            return True
        return project is not None and self.holds_admin(user, project)

    def shares_tenant(self, user: uuid.UUID, other: uuid.UUID) -> bool:
        """Self, or both members of one company, or both members of one project."""
        if user == other:
            return True
        companies_u = {c for (c, u) in self.company_members if u == user}
        if any((c, other) in self.company_members for c in companies_u):
            return True
        projects_u = {p for (p, u) in self.project_members if u == user}
        return any((p, other) in self.project_members for p in projects_u)


# SQL expression giving the row key the oracle uses, per table.
KEY_SQL: dict[str, str] = {
    "companies": "id",
    "company_members": "company_id::text || ':' || user_id::text",
    "projects": "id",
    "project_members": "project_id::text || ':' || user_id::text",
    "user_profiles": "id",
    "agent_heartbeats": "agent_id",
    "agent_telemetry": "id",
    "transfer_chunks": "id",
    "api_keys": "id",
    "api_key_usage": "id",
    "audit_log": "id",
    "permission_delegations": "id",
    **{t: "id" for t in PROJECT_TABLES},
}


def normalise(values: Iterable[Any]) -> set[str]:
    """Keys compared as text, so UUID objects and 'a:b' strings mix."""
    return {str(v) for v in values}


# ------------------------------------------------------------------------- loader
def _rows(cur: psycopg.Cursor[Any], sql: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        cur.executemany(sql, rows)


def insert_world(conn: psycopg.Connection[Any], w: World) -> None:
    """Insert the world as the connection's (superuser) role, without committing.

    Secret columns get recognisable values so a leak shows in a failure message.
    """
    agents = w.project_rows["agents"]
    with conn.cursor() as cur:
        _rows(
            cur,
            "INSERT INTO auth.users (id, email) VALUES (%s, %s)",
            [(u, f"{label}@example.test") for label, u in w.users.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.user_profiles (id, full_name) VALUES (%s, %s)",
            [(u, f"profile {u}") for u in sorted(w.profiles)],
        )
        _rows(
            cur,
            "INSERT INTO public.companies (id, name, slug, stripe_customer_id,"
            " stripe_subscription_id) VALUES (%s, %s, %s, %s, %s)",
            [(c, f"Company {s}", s, f"cus_{s}", f"sub_{s}") for c, s in w.companies.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.projects (id, company_id, name, slug) VALUES (%s, %s, %s, %s)",
            [(p, c, f"Project {p}", f"p-{p}") for p, c in w.projects.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.company_members (company_id, user_id, role) VALUES (%s, %s, %s)",
            [(c, u, r) for (c, u), r in w.company_members.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.project_members (project_id, user_id, role) VALUES (%s, %s, %s)",
            [(p, u, r) for (p, u), r in w.project_members.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.permission_delegations (id, from_user_id, to_user_id, scope,"
            " permissions, valid_from, valid_until, reason) VALUES (%s, %s, %s, %s, %s,"
            " now() + make_interval(hours => %s), now() + make_interval(hours => %s), %s)",
            [
                (
                    i,
                    d.from_user,
                    d.to_user,
                    f"project:{d.project}",
                    json.dumps({"role": d.role}),
                    DELEGATION_WINDOWS[d.state][0],
                    DELEGATION_WINDOWS[d.state][1],
                    f"{d.state} delegation",
                )
                for i, d in w.delegations.items()
            ],
        )
        _rows(
            cur,
            "INSERT INTO public.agents (id, project_id, name, api_key_hash, status)"
            " VALUES (%s, %s, %s, %s, 'online')",
            [(a, p, f"agent {a}", f"SECRET-agent-hash-{a}") for a, p in agents.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.agent_heartbeats (agent_id, status) VALUES (%s, 'online')",
            [(a,) for a in sorted(w.heartbeats)],
        )
        _rows(
            cur,
            "INSERT INTO public.agent_telemetry (id, agent_id, project_id, timestamp, metrics)"
            " VALUES (%s, %s, %s, now() - make_interval(mins => %s),"
            " '{\"bytes_transferred\": 1000}')",
            [(t, a, agents[a], i) for i, (t, a) in enumerate(w.telemetry.items())],
        )
        _rows(
            cur,
            "INSERT INTO public.transfers (id, project_id, source_agent_id,"
            " destination_agent_id, file_name, file_size) VALUES (%s, %s, %s, %s, %s, 100)",
            [
                (t, p, *w.transfer_agents[t], f"file-{t}")
                for t, p in w.project_rows["transfers"].items()
            ],
        )
        _rows(
            cur,
            "INSERT INTO public.transfer_chunks (id, transfer_id, chunk_index, chunk_size,"
            " chunk_hash) VALUES (%s, %s, %s, 10, 'h')",
            [(c, t, i) for i, (c, t) in enumerate(w.chunks.items())],
        )
        _rows(
            cur,
            "INSERT INTO public.active_transfers (id, agent_id, project_id, status,"
            " throughput_mbps) VALUES (%s, %s, %s, 'running', 10)",
            [
                (t, w.active_transfer_agent[t], p)
                for t, p in w.project_rows["active_transfers"].items()
            ],
        )
        _rows(
            cur,
            "INSERT INTO public.transfer_schedules (id, project_id, name, source_agent_id,"
            " destination_agent_id, schedule_type, cron_expression, source_path,"
            " destination_path) VALUES (%s, %s, %s, %s, %s, 'cron', '0 * * * *', '/a', '/b')",
            [
                (s, p, f"schedule {s}", *w.schedule_agents[s])
                for s, p in w.project_rows["transfer_schedules"].items()
            ],
        )
        _rows(
            cur,
            "INSERT INTO public.automation_rules (id, project_id, name, trigger_type,"
            " trigger_config, action_type, action_config)"
            " VALUES (%s, %s, %s, 'event', '{}', 'notify', '{}')",
            [(r, p, f"rule {r}") for r, p in w.project_rows["automation_rules"].items()],
        )
        _rows(
            cur,
            "INSERT INTO public.bandwidth_policies (id, project_id, name) VALUES (%s, %s, %s)",
            [(b, p, f"policy {b}") for b, p in w.project_rows["bandwidth_policies"].items()],
        )
        _rows(
            cur,
            "INSERT INTO public.cloud_connections (id, project_id, name, provider,"
            " credentials_encrypted) VALUES (%s, %s, %s, 's3', %s)",
            [
                (c, p, f"conn {c}", json.dumps({"secret": f"SECRET-cloud-{c}"}))
                for c, p in w.project_rows["cloud_connections"].items()
            ],
        )
        _rows(
            cur,
            "INSERT INTO public.external_shares (id, project_id, created_by, share_token,"
            " password_hash, file_name, file_size, expires_at)"
            " VALUES (%s, %s, %s, %s, %s, 'f.bin', 1, now() + interval '7 days')",
            [
                (s, p, w.share_creator.get(s), f"tok-{s}", f"SECRET-share-{s}")
                for s, p in w.project_rows["external_shares"].items()
            ],
        )
        _rows(
            cur,
            "INSERT INTO public.api_keys (id, company_id, project_id, key_hash, key_prefix,"
            " name, scopes, role) VALUES (%s, %s, %s, %s, 'sk_', %s, '[\"read\"]', 'developer')",
            [(k, c, p, f"SECRET-key-{k}", f"key {k}") for k, (c, p) in w.api_keys.items()],
        )
        _rows(
            cur,
            "INSERT INTO public.api_key_usage (id, api_key_id, endpoint, method, status_code)"
            " VALUES (%s, %s, '/v1/transfers', 'GET', 200)",
            list(w.api_key_usage.items()),
        )
        _rows(
            cur,
            "INSERT INTO public.audit_log (id, company_id, action) VALUES (%s, %s, 'login')",
            list(w.audit_log.items()),
        )
