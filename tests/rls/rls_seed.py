"""The fixed tenant world of the RLS suite and the probe helpers the tests share.

The world (see ``build_seed``), committed as superuser into the test's own database:

* company A ("acme") with projects A1 and A2; company B ("globex") with project B1;
* in A: one user per company role (owner, admin, billing_admin, member);
* in A1 only (not members of A): one user per project role;
* ``delegate_<role>``: for each delegable project role (all four: private.can_delegate lets
  a member delegate exactly the role they hold), an active delegation of that role on A1
  from the A1 member holding it, and no membership at all;
* ``expired_delegate`` / ``future_delegate``: delegations on A1 (of project_admin and
  project_owner) outside their window: unrelated users per docs/rls.md;
* ``open_from_delegate`` / ``open_until_delegate``: delegations of project_owner on A1 whose
  valid_from / valid_until is NULL (a NULL bound means not active);
* ``outsider``: signed in, member of nothing; ``owner_b``: owner of B;
* ``two_co``: admin of A and plain member of B; ``two_admin``: admin of A and of B;
* ``no_profile``: member of A without a user_profiles row;
* users holding two relations at once (rights are their union, docs/rls.md), for rules
  whose WITH CHECK must hold against a second role: ``billing_pa`` (billing_admin of A and
  project_admin of A1), ``pa_dev`` (project_admin of A1 and developer of A2) and
  ``po_billing_b`` (project_owner of A1 and billing_admin of B);
* in every project: two agents (heartbeat on the first), telemetry, a transfer with a chunk,
  an active transfer, a schedule, an automation rule, a bandwidth policy, a cloud connection,
  an external share; api keys for A (company-wide and A1) and B, their usage; audit rows.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from rls_model import PROJECT_ROLES, PROJECT_TABLES, Delegation, World, uid

# The matrix columns of docs/rls.md, in its order.
ACTORS = (
    "anon",
    "owner",
    "admin",
    "billing_admin",
    "member",
    "project_owner",
    "project_admin",
    "developer",
    "analyst",
    "delegate_project_owner",
    "delegate_project_admin",
    "delegate_developer",
    "delegate_analyst",
    "expired_delegate",
    "future_delegate",
    "outsider",
    "service_role",
)

# delegate_<role> for every delegable project role, in PROJECT_ROLES order
DELEGATES = tuple(f"delegate_{role}" for role in PROJECT_ROLES)

EXTRA_USERS = (
    "open_from_delegate",
    "open_until_delegate",
    "owner_b",
    "two_co",
    "two_admin",
    "no_profile",
    "billing_pa",
    "pa_dev",
    "po_billing_b",
)


@dataclass
class Seed:
    """The committed world plus names for its rows."""

    world: World
    companies: dict[str, uuid.UUID]  # "A", "B"
    projects: dict[str, uuid.UUID]  # "A1", "A2", "B1"
    # (table, project label) -> id of the row the probes aim at
    rows: dict[tuple[str, str], uuid.UUID]
    # label -> id for rows hanging off companies or users
    named: dict[str, uuid.UUID]

    def user(self, label: str) -> uuid.UUID:
        """The auth.users id of an actor or extra user."""
        return self.world.users[label]

    def row(self, table: str, project: str) -> uuid.UUID:
        """The probed row of ``table`` in project ``project``."""
        return self.rows[(table, project)]


def build_seed() -> Seed:
    """The fixed world of this suite (pure data; insert with rls_model.insert_world)."""
    w = World()
    for label in ACTORS[1:-1] + EXTRA_USERS:
        w.users[label] = uid(f"user:{label}")
        if label != "no_profile":
            w.profiles.add(w.users[label])
    companies = {"A": uid("company:A"), "B": uid("company:B")}
    w.companies = {companies["A"]: "acme", companies["B"]: "globex"}
    projects = {"A1": uid("project:A1"), "A2": uid("project:A2"), "B1": uid("project:B1")}
    w.projects = {
        projects["A1"]: companies["A"],
        projects["A2"]: companies["A"],
        projects["B1"]: companies["B"],
    }
    a, b, a1 = companies["A"], companies["B"], projects["A1"]
    u = w.users
    for role in ("owner", "admin", "billing_admin", "member"):
        w.company_members[(a, u[role])] = role
    w.company_members[(a, u["two_co"])] = "admin"
    w.company_members[(b, u["two_co"])] = "member"
    w.company_members[(a, u["two_admin"])] = "admin"
    w.company_members[(b, u["two_admin"])] = "admin"
    w.company_members[(b, u["owner_b"])] = "owner"
    w.company_members[(a, u["no_profile"])] = "member"
    for role in ("project_owner", "project_admin", "developer", "analyst"):
        w.project_members[(a1, u[role])] = role
    w.company_members[(a, u["billing_pa"])] = "billing_admin"
    w.project_members[(a1, u["billing_pa"])] = "project_admin"
    w.project_members[(a1, u["pa_dev"])] = "project_admin"
    w.project_members[(projects["A2"], u["pa_dev"])] = "developer"
    w.project_members[(a1, u["po_billing_b"])] = "project_owner"
    w.company_members[(b, u["po_billing_b"])] = "billing_admin"
    w.project_members[(projects["B1"], u["owner_b"])] = "project_owner"
    named: dict[str, uuid.UUID] = {}
    delegations = [
        # "active" is the delegation the permission_delegations probes revoke
        ("active" if role == "developer" else f"active_{role}", role, f"delegate_{role}", role)
        for role in PROJECT_ROLES
    ]
    for label, frm, to, role, state in [
        *((label, frm, to, role, "active") for label, frm, to, role in delegations),
        ("expired", "project_admin", "expired_delegate", "project_admin", "expired"),
        ("future", "project_owner", "future_delegate", "project_owner", "future"),
        ("open_from", "project_owner", "open_from_delegate", "project_owner", "open_from"),
        ("open_until", "project_owner", "open_until_delegate", "project_owner", "open_until"),
    ]:
        named[f"delegation:{label}"] = uid(f"delegation:{label}")
        w.delegations[named[f"delegation:{label}"]] = Delegation(u[frm], u[to], a1, role, state)

    rows: dict[tuple[str, str], uuid.UUID] = {}
    creators = {"A1": u["developer"], "A2": u["admin"], "B1": u["owner_b"]}
    for plabel, pid in projects.items():
        src, dst = uid(f"agent:{plabel}:src"), uid(f"agent:{plabel}:dst")
        w.project_rows["agents"][src] = pid
        w.project_rows["agents"][dst] = pid
        rows[("agents", plabel)] = src
        rows[("agents_dst", plabel)] = dst
        w.heartbeats.add(src)
        rows[("agent_heartbeats", plabel)] = src
        for table in PROJECT_TABLES:
            if table == "agents":
                continue
            rid = uid(f"{table}:{plabel}")
            w.project_rows[table][rid] = pid
            rows[(table, plabel)] = rid
        w.transfer_agents[rows[("transfers", plabel)]] = (src, dst)
        w.schedule_agents[rows[("transfer_schedules", plabel)]] = (src, dst)
        w.active_transfer_agent[rows[("active_transfers", plabel)]] = src
        w.share_creator[rows[("external_shares", plabel)]] = creators[plabel]
        tel = uid(f"telemetry:{plabel}")
        w.telemetry[tel] = src
        rows[("agent_telemetry", plabel)] = tel
        chunk = uid(f"chunk:{plabel}")
        w.chunks[chunk] = rows[("transfers", plabel)]
        rows[("transfer_chunks", plabel)] = chunk

    keys = {
        "key:A": (a, None),
        "key:A1": (a, a1),
        "key:B": (b, None),
    }
    for label, (company, project) in keys.items():
        named[label] = uid(label)
        w.api_keys[named[label]] = (company, project)
        named[f"usage:{label}"] = uid(f"usage:{label}")
        w.api_key_usage[named[f"usage:{label}"]] = named[label]
    rows[("api_keys", "A1")] = named["key:A1"]
    rows[("api_keys", "B1")] = named["key:B"]
    rows[("api_key_usage", "A1")] = named["usage:key:A1"]
    rows[("api_key_usage", "B1")] = named["usage:key:B"]
    for label, company in (("audit:A", a), ("audit:B", b)):
        named[label] = uid(label)
        w.audit_log[named[label]] = company
    rows[("audit_log", "A1")] = named["audit:A"]
    rows[("audit_log", "B1")] = named["audit:B"]
    return Seed(world=w, companies=companies, projects=projects, rows=rows, named=named)


Impersonate = Callable[[str], contextlib.AbstractContextManager[psycopg.Cursor[Any]]]


@dataclass(frozen=True)
class Outcome:
    """What a probe did: rows affected/returned, or the SQLSTATE it raised."""

    rows: int | None = None
    sqlstate: str | None = None
    message: str = ""
    values: frozenset[str] = frozenset()  # first column of returned rows, as text

    def __str__(self) -> str:
        if self.sqlstate is not None:
            return f"error {self.sqlstate} ({self.message})"
        return f"{self.rows} row(s)"


@contextlib.contextmanager
def superuser(cur: psycopg.Cursor[Any]) -> Iterator[psycopg.Cursor[Any]]:
    """Inside an impersonation block, look at the database state as the session's superuser.

    The impersonation context always rolls back, which also undoes this role switch.
    """
    cur.execute("RESET ROLE")
    yield cur


def run_probe(cur: psycopg.Cursor[Any], sql: str, params: Any = None) -> Outcome:
    """Run one statement as the impersonated role and report what happened."""
    try:
        cur.execute(sql, params)
    except psycopg.Error as exc:
        return Outcome(sqlstate=exc.sqlstate, message=str(exc).splitlines()[0])
    if cur.description is not None:
        fetched = cur.fetchall()
        return Outcome(rows=len(fetched), values=frozenset(str(r[0]) for r in fetched))
    return Outcome(rows=cur.rowcount)
