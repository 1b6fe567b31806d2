"""A partition `schemactl partitions ensure` creates is as safe as its parent (issue 7).

The seeded world's telemetry is from the last minutes, so it sits in the DEFAULT partition
until ensure makes this month's partition and moves it there. A signed-in user then reads
the parent (the parent's policy: own projects only) but not the new partition directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from rls_seed import Impersonate, Seed

from partitions_world import month_name, write_project
from schemactl.partitions import ensure


def test_a_user_cannot_read_another_tenants_rows_from_a_new_partition(
    schemactl_db: psycopg.Connection[Any],
    schemactl_db_url: str,
    seed: Seed,
    act: Impersonate,
    tmp_path: Path,
) -> None:
    # as on Supabase: default privileges give the client roles every table created later
    schemactl_db.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated"
    )
    schemactl_db.commit()
    result = ensure(database_url=schemactl_db_url, project_dir=write_project(tmp_path, premake=0))
    name = month_name(0)
    assert [c.partition for c in result.created] == [name]
    partition = sql.Identifier("public", name)
    count = sql.SQL("SELECT count(*) FROM {}").format(partition)
    by_project = sql.SQL("SELECT count(*) FILTER (WHERE project_id = %s), count(*) FROM {}").format(
        partition
    )
    other, total = schemactl_db.execute(by_project, (seed.projects["B1"],)).fetchone() or (0, 0)
    schemactl_db.commit()
    assert 0 < other < total  # company B's rows and company A's are in the new partition

    with act("owner") as cur:  # owner of company A
        through_parent = cur.execute(
            "SELECT count(*) FILTER (WHERE project_id = %s), count(*) FROM agent_telemetry",
            (seed.projects["B1"],),
        ).fetchone()
        assert through_parent is not None and through_parent[0] == 0 and through_parent[1] > 0
    for actor in ("owner", "outsider", "anon"):
        with act(actor) as cur, pytest.raises(psycopg.errors.InsufficientPrivilege):
            cur.execute(count)

    # a stray grant later still shows nothing: RLS is on and the partition has no policy
    schemactl_db.execute(sql.SQL("GRANT SELECT ON {} TO authenticated").format(partition))
    schemactl_db.commit()
    with act("owner") as cur:
        assert cur.execute(count).fetchone() == (0,)
