"""Fuzzing ``apply`` on a real server (issue 8): the server-backed share of the fuzz tests.

The mutated schemas of ``tests/unit/test_fuzz_inputs.py`` (bytes flipped, inserted, deleted,
truncated; quotes, dollar quotes, NUL, bytes that are not UTF-8 injected; odd file names),
with hostile ``--lock-timeout`` / ``--statement-timeout`` / ``--owner`` / ``--auth-shim``
values, are applied to a fresh database: ``apply --dry-run``, then ``apply``. Each run ends
with a documented exit code and, on failure, one line (plus detail and hint) and no traceback;
a dry run and a failed run leave the full catalog snapshot as it was.

25 examples by default (a database each); ``SCHEMACTL_FUZZ_EXAMPLES=1600`` runs 200.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from fuzzing import MUTATED_SCHEMAS, MutatedSchema, check_result, examples
from hostile import isolated_env
from schemactl.cli import main
from schemactl.db.snapshot import CatalogSnapshot, catalog_snapshot, snapshot_diff
from schemactl.testing.server import DatabaseReaper, TestServer, create_database, unique_name

pytestmark = pytest.mark.db

TIMEOUTS = st.one_of(
    st.none(),
    st.sampled_from(["5s", "0", "1ms", "-1", "1e99s", "abc", "", " 2 min", "99999999999999999999"]),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        max_size=8,
    ),
)
OWNERS = st.one_of(
    st.none(), st.none(), st.sampled_from(["postgres", "no_such_role_x", "", "pg_read_all_data"])
)
SHIMS = st.sampled_from([None, "auto", "never", "always"])


def snapshot(url: str) -> CatalogSnapshot:
    with psycopg.connect(url) as conn:
        return catalog_snapshot(conn, exclude_schemas=())


def invoke(project: Path, args: list[str]) -> Result:
    env = isolated_env({"SCHEMACTL_PROJECT_DIR": str(project)})
    return CliRunner().invoke(main, args, env=env)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    schema=MUTATED_SCHEMAS,
    lock_timeout=TIMEOUTS,
    statement_timeout=TIMEOUTS,
    owner=OWNERS,
    shim=SHIMS,
)
def test_mutated_apply(
    schema: MutatedSchema,
    lock_timeout: str | None,
    statement_timeout: str | None,
    owner: str | None,
    shim: str | None,
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> None:
    options: list[str] = []
    for flag, value in (
        ("--lock-timeout", lock_timeout),
        ("--statement-timeout", statement_timeout),
        ("--owner", owner),
        ("--auth-shim", shim),
    ):
        if value is not None:
            options += [flag, value]
    note(repr(schema.files()))
    note(repr(options))
    name = unique_name("sct_fuzz")
    create_database(
        schemactl_admin, name, template="template0", strategy=schemactl_server.clone_strategy
    )
    try:
        url = schemactl_server.url_for(name)
        with tempfile.TemporaryDirectory(prefix="sct_fuzz_") as tmp:
            project = Path(tmp)
            schema.write(project / "sql")
            before = snapshot(url)
            args = ["apply", str(project / "sql"), "--database-url", url, *options]
            dry = invoke(project, [*args, "--dry-run"])
            note(dry.stderr)
            check_result(dry, frozenset({0, 2, 3}))
            assert snapshot_diff(before, snapshot(url)) == [], "a dry run changed the database"
            applied = invoke(project, args)
            note(applied.stderr)
            check_result(applied, frozenset({0, 2, 3}))
            if applied.exit_code != 0:
                diff = snapshot_diff(before, snapshot(url))
                assert diff == [], "a failed apply left changes:\n" + "\n".join(diff)
    finally:
        schemactl_reaper.drop(name)
