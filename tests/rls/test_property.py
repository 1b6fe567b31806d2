"""Property: for random tenant worlds, every user sees exactly the rows the oracle says.

Hypothesis draws companies, projects, users, company and project memberships (every role),
delegations (of any role, active, expired, future or with a NULL bound), agents, transfers, api keys and their usage, audit rows.
Each example inserts its world as superuser inside one transaction of the test's database,
impersonates every user in a savepoint, compares each table with the pure-Python oracle of
rls_model.World (written from docs/rls.md), and rolls everything back: no database per example.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from rls_model import (
    COMPANY_ROLES,
    DELEGATION_WINDOWS,
    KEY_SQL,
    PROJECT_ROLES,
    Delegation,
    World,
    insert_world,
    normalise,
)

ORACLE_TABLES = (
    "companies",
    "projects",
    "company_members",
    "project_members",
    "user_profiles",
    "agents",
    "transfers",
    "api_keys",
    "api_key_usage",
    "audit_log",
    "permission_delegations",
)


def _id(kind: int, n: int) -> uuid.UUID:
    # readable ids in failure reports: 0000000k-0000-4000-8000-00000000000n
    return uuid.UUID(f"{kind:08x}-0000-4000-8000-{n:012x}")


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """A random world small enough to insert in a few milliseconds."""
    w = World()
    n_users = draw(st.integers(1, 5))
    users = [_id(1, i) for i in range(n_users)]
    w.users = {f"u{i}": u for i, u in enumerate(users)}
    w.profiles = {u for u in users if draw(st.booleans())}
    companies = [_id(2, i) for i in range(draw(st.integers(1, 3)))]
    w.companies = {c: f"c{i}" for i, c in enumerate(companies)}
    n = 0
    for c in companies:
        for _ in range(draw(st.integers(0, 2))):
            w.projects[_id(3, n)] = c
            n += 1
    role_or_none_c = st.one_of(st.none(), st.sampled_from(COMPANY_ROLES))
    role_or_none_p = st.one_of(st.none(), st.sampled_from(PROJECT_ROLES))
    for c in companies:
        for u in users:
            role = draw(role_or_none_c)
            if role:
                w.company_members[(c, u)] = role
    for p in w.projects:
        for u in users:
            role = draw(role_or_none_p)
            if role:
                w.project_members[(p, u)] = role
    # Delegations as rows (service_role may write any): mostly a project member passing on
    # the role they hold, as the INSERT policy demands, but also any project role from
    # anyone (access never depends on from_user) and roles that are not project roles
    # (a delegated company role or a typo grants nothing); every window state.
    memberships = sorted(w.project_members.items())
    projects = sorted(w.projects)
    if projects:
        delegated_roles = st.sampled_from((*PROJECT_ROLES, "owner", "admin", "Developer"))
        for i in range(draw(st.integers(0, 4))):
            if memberships and draw(st.booleans()):
                (p, frm), role = draw(st.sampled_from(memberships))
            else:
                p, frm, role = (
                    draw(st.sampled_from(projects)),
                    draw(st.sampled_from(users)),
                    draw(delegated_roles),
                )
            to = draw(st.sampled_from(users))
            state = draw(st.sampled_from(sorted(DELEGATION_WINDOWS)))
            w.delegations[_id(4, i)] = Delegation(frm, to, p, role, state)
    n = 0
    agents_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    for p in w.projects:
        for _ in range(draw(st.integers(0, 2))):
            a = _id(5, n)
            n += 1
            w.project_rows["agents"][a] = p
            agents_of.setdefault(p, []).append(a)
    n = 0
    for p, agents in agents_of.items():
        for _ in range(draw(st.integers(0, 2))):
            t = _id(6, n)
            n += 1
            w.project_rows["transfers"][t] = p
            w.transfer_agents[t] = (draw(st.sampled_from(agents)), draw(st.sampled_from(agents)))
    n = 0
    for c in companies:
        own_projects = [p for p, pc in w.projects.items() if pc == c]
        for _ in range(draw(st.integers(0, 2))):
            k = _id(7, n)
            project = None
            if own_projects:
                project = draw(st.one_of(st.none(), st.sampled_from(own_projects)))
            w.api_keys[k] = (c, project)
            if draw(st.booleans()):
                w.api_key_usage[_id(8, n)] = k
            n += 1
        if draw(st.booleans()):
            w.audit_log[_id(9, len(w.audit_log))] = c
    return w


def _describe(w: World) -> str:
    lines = [f"companies {sorted(w.companies.values())}"]
    lines += [f"project {p} of {c}" for p, c in w.projects.items()]
    lines += [f"company_member {u} {r} of {c}" for (c, u), r in w.company_members.items()]
    lines += [f"project_member {u} {r} of {p}" for (p, u), r in w.project_members.items()]
    lines += [f"delegation {i}: {d}" for i, d in w.delegations.items()]
    lines += [f"api_key {k}: {v}" for k, v in w.api_keys.items()]
    return "\n".join(lines)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_every_user_sees_exactly_what_the_oracle_says(
    schemactl_db: psycopg.Connection[Any], as_user: Any, world: World
) -> None:
    """The database and the oracle of docs/rls.md agree on every row of every probed table."""
    note(_describe(world))
    problems: list[str] = []
    with schemactl_db.transaction(force_rollback=True):
        insert_world(schemactl_db, world)
        for label, user in world.users.items():
            with as_user(user) as cur:
                for table in ORACLE_TABLES:
                    rows = cur.execute(f"SELECT {KEY_SQL[table]} FROM public.{table}").fetchall()
                    seen = normalise(r[0] for r in rows)
                    wanted = normalise(world.visible(table, user))
                    if seen != wanted:
                        problems.append(
                            f"{table} as {label} ({user}): missing {sorted(wanted - seen)},"
                            f" unexpected {sorted(seen - wanted)}"
                        )
    assert not problems, "database and oracle disagree:\n" + "\n".join(problems)
