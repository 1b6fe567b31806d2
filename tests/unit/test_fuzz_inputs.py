"""Fuzzing without a server (issue 8): mutated SQL bytes and hostile config values.

hypothesis flips, inserts, deletes, duplicates and truncates bytes of a small valid schema,
injects quotes, dollar quotes, NUL, bytes that are not UTF-8, comment markers, psql
meta-commands and statements apply refuses, and gives files odd names; it writes config
files with every TOML type in every setting (empty strings, huge numbers, unicode, NaN,
dates, nested tables, mangled bytes), including ``schemas`` and the tables of tables
(``[partitions.<table>]`` interval / premake / retention / default_partition,
``[refresh.<view>] every``, with odd names and schedules), and sets SCHEMACTL_* variables to
anything. Then it runs what needs no server: ``order`` (every format, ``--strict``), ``rls
mutate --list``, ``partitions cron``, and ``apply --dry-run`` / ``refresh run`` up to their
connection attempt (to a port on 127.0.0.1 where nothing listens). Every run ends with a documented exit code, and a failure is one line on stderr
(plus a detail and a hint line at most), never a traceback.

200 examples per test by default (a few seconds); ``SCHEMACTL_FUZZ_EXAMPLES=5000`` for more.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from fuzzing import (
    ENV,
    MUTATED_SCHEMAS,
    MutatedSchema,
    check_result,
    config_files,
    examples,
    write_files,
)
from hostile import free_port, isolated_env
from schemactl.cli import main
from schemactl.db import embedded

FUZZ = settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ORDER_ARGS = st.sampled_from(
    [[], ["--format", "json"], ["--format", "dot"], ["--format", "mermaid"], ["--strict"]]
)


@pytest.fixture(autouse=True)
def no_embedded_server(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("a fuzz example started the embedded server")

    monkeypatch.setattr(embedded, "start", refuse)


def run(project: Path, args: list[str], env: dict[str, str] | None = None) -> Any:
    """``schemactl args`` in ``project`` (its config files count), isolated from the caller's env."""
    environment = {"SCHEMACTL_PROJECT_DIR": str(project), **(env or {})}
    return CliRunner().invoke(main, args, env=isolated_env(environment))


@FUZZ
@given(schema=MUTATED_SCHEMAS, order_args=ORDER_ARGS, apply_too=st.booleans())
def test_mutated_sql(schema: MutatedSchema, order_args: list[str], apply_too: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="sct_fuzz_") as tmp:
        project = Path(tmp)
        sql_dir = project / "sql"
        schema.write(sql_dir)
        note(repr(schema.files()))
        ordered = run(project, ["order", str(sql_dir), *order_args])
        note(ordered.stderr)
        check_result(ordered, frozenset({0, 2}))
        listed = run(project, ["rls", "mutate", "--list", str(sql_dir)])
        check_result(listed, frozenset({0, 2}))
        if apply_too:
            # refusals and the ledger digests run before the connection, which then fails
            dead = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
            applied = run(project, ["apply", str(sql_dir), "--dry-run", "--database-url", dead])
            note(applied.stderr)
            check_result(applied, frozenset({2}))


@FUZZ
@given(files=config_files(), env=ENV, strict=st.booleans())
def test_hostile_config(files: dict[str, bytes], env: dict[str, str], strict: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="sct_fuzz_") as tmp:
        project = Path(tmp)
        write_files(project, {"sql/t.sql": b"CREATE TABLE t (id int);\n", **files})
        note(repr(files))
        note(repr(env))
        # no SQL_DIR argument: the config decides
        ordered = run(project, ["order", *(["--strict"] if strict else [])], env)
        note(ordered.stderr)
        check_result(ordered, frozenset({0, 2}))
        dead = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
        applied = run(project, ["apply", "--dry-run", "--database-url", dead], env)
        note(applied.stderr)
        check_result(applied, frozenset({2}))
        # the [partitions.<table>] and [refresh.<view>] tables reach their commands
        cron = run(project, ["partitions", "cron"], env)
        note(cron.stderr)
        check_result(cron, frozenset({0, 2}))
        refreshed = run(project, ["refresh", "run", "--database-url", dead], env)
        note(refreshed.stderr)
        check_result(refreshed, frozenset({2}))


@FUZZ
@given(
    option=st.sampled_from(["--lock-timeout", "--statement-timeout", "--owner", "--auth-shim"]),
    value=st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        max_size=30,
    ),
)
def test_hostile_option_values(option: str, value: str) -> None:
    with tempfile.TemporaryDirectory(prefix="sct_fuzz_") as tmp:
        project = Path(tmp)
        write_files(project, {"sql/t.sql": b"CREATE TABLE t (id int);\n"})
        dead = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
        result = run(project, ["apply", "--dry-run", option, value, "--database-url", dead])
        note(result.stderr)
        check_result(result, frozenset({2}))
