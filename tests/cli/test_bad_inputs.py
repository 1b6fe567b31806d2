"""Hostile input, one case per directory of tests/cases/bad/ (issue 8).

Each case is a small project (``sql/``, maybe ``schemactl.toml`` / ``pyproject.toml``) and a
``case.toml`` that says which command runs and what a user must see:

``command``        ``order`` | ``apply`` | ``apply --dry-run`` | ``lint``
``args``           more arguments, after the SQL dir
``sql_dir``        the SQL_DIR argument (default ``"sql"``; ``false``: none, config decides)
``target``         the database of ``apply`` / ``lint``: ``empty`` (default for apply: a fresh
                   database), ``none``, ``url`` (``database_url``), ``missing_database``,
                   ``refused_port``, ``silent_port``, ``wrong_password``, ``no_create_role``,
                   ``old_server``
``url_via``        how the URL is given: ``option`` (default), ``SCHEMACTL_DATABASE_URL``,
                   ``DATABASE_URL``
``env``            more environment variables
``generate``       a generator below, for what cannot be committed (a 10 MB file, an empty
                   dir, odd file names, symlinks)
``exit``           the documented exit code
``message``        the exact first line of stderr, after ``schemactl: ``; or
``message_regex``  a regex it must match in full
``hint``           ``true``: a ``  hint:`` line must follow
``located``        ``false``: the file itself is at fault (a dangling link), no line:col
``stdout_regex``   exit 0: what stdout must contain
``catalog``        ``unchanged`` (default) or, for a case that applies, ``changed``
``roles``          LIKE pattern of roles the case may create, compared before and after
``defect``         a known defect the case shows (the test fails until it is fixed)

For every case: the exit code, no traceback, stderr is one line (``schemactl: ...``) plus at
most a ``  detail:`` and a ``  hint:`` line, nothing on stdout on failure, ``file:line:col``
when a SQL file is at fault, and for a database target the full catalog snapshot (the ledger
schema included) unchanged.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result

from hostile import (
    PasswordServer,
    free_port,
    isolated_env,
    login_role,
    silent_listener,
    with_user,
)
from schemactl.cli import main
from schemactl.db import connect as connect_module
from schemactl.db import embedded
from schemactl.db.snapshot import CatalogSnapshot, catalog_snapshot, snapshot_diff
from schemactl.testing.server import TestServer, url_for

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "bad"
COMMANDS = ("order", "apply", "apply --dry-run", "lint")
TARGETS = (
    "empty",
    "none",
    "url",
    "missing_database",
    "refused_port",
    "silent_port",
    "wrong_password",
    "no_create_role",
    "old_server",
)
# a SQL file at fault: its message starts with path:line:col
LOCATED = re.compile(r"^sql/\S*?\.sql:\d+:\d+: ")
CONTINUATION = ("  detail: ", "  hint: ")


@dataclass(frozen=True)
class BadCase:
    """One directory of tests/cases/bad/."""

    name: str
    path: Path
    command: str
    exit: int
    args: tuple[str, ...] = ()
    sql_dir: str | None = "sql"
    target: str = "none"
    database_url: str | None = None
    url_via: str = "option"
    env: dict[str, str] = field(default_factory=dict)
    generate: str | None = None
    message: str | None = None
    message_regex: str | None = None
    hint: bool | None = None
    located: bool = True
    stdout_regex: str | None = None
    catalog: str = "unchanged"
    roles: str | None = None
    description: str = ""
    defect: str | None = None

    @property
    def connects(self) -> bool:
        return self.target != "none"

    @property
    def snapshots(self) -> bool:
        unchanged = self.catalog == "unchanged"
        targets = ("empty", "no_create_role", "old_server", "wrong_password")
        return unchanged and self.target in targets


def load_case(path: Path) -> BadCase:
    data: dict[str, Any] = tomllib.loads((path / "case.toml").read_text(encoding="utf-8"))
    command = data.pop("command")
    default_target = "empty" if command.startswith("apply") else "none"
    case = BadCase(
        name=path.name,
        path=path,
        command=command,
        exit=data.pop("exit"),
        args=tuple(data.pop("args", ())),
        sql_dir=data.pop("sql_dir", "sql") or None,
        target=data.pop("target", default_target),
        env=dict(data.pop("env", {})),
        **data,
    )
    assert case.command in COMMANDS, f"{path.name}: unknown command {case.command!r}"
    assert case.target in TARGETS, f"{path.name}: unknown target {case.target!r}"
    assert case.catalog in ("unchanged", "changed"), path.name
    assert (case.exit == 0) == (case.message is None and case.message_regex is None), (
        f"{path.name}: a failing case says its message, a passing one does not"
    )
    return case


def all_cases() -> list[BadCase]:
    return [load_case(p) for p in sorted(CASES_DIR.iterdir()) if (p / "case.toml").is_file()]


CASES = all_cases()


# ------------------------------------------------------------------------ generators
# What cannot (or should not) be committed: created in the case's copy at test time.

BIG_FILE_BYTES = 10 * 1024 * 1024
# 100-byte comment lines: 104,858 of them make a file of 10 MB, then the statements
_PADDING_LINE = "-- " + "x" * 96 + "\n"
PADDING_LINES = -(-BIG_FILE_BYTES // len(_PADDING_LINE))


def _big_file_syntax_error(project: Path) -> None:
    with open(project / "sql" / "big.sql", "w", encoding="utf-8") as out:
        out.write("CREATE TABLE big (id int);\n")
        out.write(_PADDING_LINE * PADDING_LINES)
        out.write("CREATE TABLE after_big (id int,,);\n")


def _big_file_literal(project: Path) -> None:
    # one 10 MB statement that applies, then an error on the last line: all of it rolled back
    with open(project / "sql" / "big.sql", "w", encoding="utf-8") as out:
        out.write("CREATE TABLE big (id int);\n")
        out.write("COMMENT ON TABLE big IS '")
        out.write("x" * BIG_FILE_BYTES)
        out.write("';\n")
        out.write("CREATE INDEX big_idx ON big (no_such_column);\n")


def _empty_sql_dir(project: Path) -> None:
    (project / "sql").mkdir()


def _newline_in_file_name(project: Path) -> None:
    (project / "sql" / "bad\nname.sql").write_text("CREAT TABLE t (id int);\n")


def _non_utf8_file_name(project: Path) -> None:
    name = os.fsdecode(b"bad\xffname.sql")
    (project / "sql" / name).write_text("CREATE TABLE t (id int);\n")


def _dangling_symlink(project: Path) -> None:
    (project / "sql" / "gone.sql").symlink_to("nowhere.sql")


def _symlink_loop(project: Path) -> None:
    (project / "sql" / "sub").mkdir()
    (project / "sql" / "sub" / "loop").symlink_to("..")


def _fifo(project: Path) -> None:
    os.mkfifo(project / "sql" / "pipe.sql")


def _nested_parentheses(project: Path) -> None:
    depth = 3000
    (project / "sql" / "deep.sql").write_text(
        "CREATE VIEW deep AS SELECT " + "(" * depth + "1" + ")" * depth + " AS one;\n"
    )


GENERATORS: dict[str, Callable[[Path], None]] = {
    "big_file_syntax_error": _big_file_syntax_error,
    "big_file_literal": _big_file_literal,
    "empty_sql_dir": _empty_sql_dir,
    "newline_in_file_name": _newline_in_file_name,
    "non_utf8_file_name": _non_utf8_file_name,
    "dangling_symlink": _dangling_symlink,
    "symlink_loop": _symlink_loop,
    "fifo": _fifo,
    "nested_parentheses": _nested_parentheses,
}


def test_cases_are_well_formed() -> None:
    """At least 60 cases, every command and target used, generators all known."""
    assert len(CASES) >= 60
    assert {c.command for c in CASES} == set(COMMANDS)
    assert {c.target for c in CASES} == set(TARGETS)
    for case in CASES:
        assert case.generate is None or case.generate in GENERATORS, case.name
        assert re.fullmatch(r"\d\d\d?_[a-z0-9_]+", case.name), case.name


# ------------------------------------------------------------------------- targets


@dataclass
class Target:
    """The database a case runs against: the URL given to schemactl, and one to inspect it."""

    url: str | None
    inspect_url: str | None = None


@contextlib.contextmanager
def open_target(
    case: BadCase,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Target]:
    if case.target == "none":
        yield Target(None)
        return
    if case.target == "url":
        assert case.database_url is not None, case.name
        yield Target(case.database_url)
        return
    if case.target == "refused_port":
        yield Target(f"postgresql://postgres@127.0.0.1:{free_port()}/postgres?connect_timeout=2")
        return
    if case.target == "silent_port":
        with silent_listener() as port:
            yield Target(f"postgresql://postgres@127.0.0.1:{port}/postgres?connect_timeout=2")
        return
    if case.target == "wrong_password":
        server: PasswordServer = request.getfixturevalue("password_server")
        yield Target(server.url(password="not-the-password"), inspect_url=server.url())
        return
    test_server: TestServer = request.getfixturevalue("schemactl_server")
    if case.target == "missing_database":
        yield Target(url_for(test_server.admin_url, "sct_bad_no_such_database"))
        return
    empty: str = request.getfixturevalue("schemactl_empty_db")
    if case.target == "empty":
        yield Target(empty, inspect_url=empty)
    elif case.target == "old_server":
        # the smallest seam: the server stays real, the oldest supported version moves past it
        monkeypatch.setattr(connect_module, "MIN_SERVER_VERSION_NUM", 990000)
        yield Target(empty, inspect_url=empty)
    elif case.target == "no_create_role":
        with login_role(empty) as role:
            yield Target(with_user(empty, role), inspect_url=empty)
    else:  # pragma: no cover - checked by load_case
        raise AssertionError(case.target)


def snapshot(url: str, roles: str | None, *, ledger: bool) -> CatalogSnapshot:
    """The full catalog snapshot of ``url``; with ``ledger``, schemactl's own schema too.

    A failed run must leave nothing, the ledger included; a passing case (run with
    ``--auth-shim never``) may add the ledger and nothing else.
    """
    with psycopg.connect(url) as conn:
        return catalog_snapshot(conn, exclude_schemas=() if ledger else None, roles=roles)


# --------------------------------------------------------------------------- runner


def command_line(case: BadCase, url: str | None) -> tuple[list[str], dict[str, str]]:
    args = case.command.split()
    if case.sql_dir is not None:
        args.append(case.sql_dir)
    args.extend(case.args)
    env = dict(case.env)
    if url is not None:
        if case.url_via == "option":
            args += ["--database-url", url]
        else:
            env[case.url_via] = url
    return args, env


def copy_project(case: BadCase, dest: Path) -> Path:
    project = dest / "project"
    shutil.copytree(case.path, project, symlinks=True)
    (project / "case.toml").unlink()
    if case.generate is not None:
        GENERATORS[case.generate](project)
    return project


def check_stderr(case: BadCase, result: Result) -> None:
    lines = result.stderr.splitlines()
    assert lines, "a failing command says why on stderr"
    first, rest = lines[0], lines[1:]
    assert first.startswith("schemactl: "), first
    message = first.removeprefix("schemactl: ")
    if case.message is not None:
        assert message == case.message
    else:
        assert case.message_regex is not None
        assert re.fullmatch(case.message_regex, message), (
            f"{message!r} does not match {case.message_regex!r}"
        )
    # then at most a detail line and a hint line, in that order, and nothing else
    kinds = [next((k for k in CONTINUATION if line.startswith(k)), None) for line in rest]
    assert None not in kinds, f"more than one message line: {lines!r}"
    assert kinds in ([], [CONTINUATION[0]], [CONTINUATION[1]], list(CONTINUATION)), lines
    if case.hint is not None:
        assert (CONTINUATION[1] in kinds) == case.hint, lines
    if message.startswith("sql/") and case.located:
        assert LOCATED.match(message), f"a SQL file at fault is named with line:col: {message!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(
    case: BadCase,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = copy_project(case, tmp_path)
    monkeypatch.chdir(project)

    def no_embedded_server(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("a hostile-input case started the embedded server")

    monkeypatch.setattr(embedded, "start", no_embedded_server)

    with open_target(case, request, monkeypatch) as target:
        inspect = target.inspect_url if case.snapshots else None
        ledger = case.exit != 0
        before = snapshot(inspect, case.roles, ledger=ledger) if inspect else None
        args, env = command_line(case, target.url)
        result = CliRunner().invoke(main, args, env=isolated_env(env))
        output = result.stdout + result.stderr
        assert "Traceback" not in output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{case.name}: uncaught exception") from result.exception
        assert result.exit_code == case.exit, (
            f"{case.name}: exit {result.exit_code}, not {case.exit}\n{output}"
        )
        if case.exit == 0:
            assert result.stderr == ""
            if case.stdout_regex is not None:
                assert re.search(case.stdout_regex, result.stdout), result.stdout
        else:
            assert result.stdout == "", "nothing but the error is printed"
            check_stderr(case, result)
        if inspect is not None and before is not None:
            after = snapshot(inspect, case.roles, ledger=ledger)
            assert snapshot_diff(before, after) == [], "\n".join(snapshot_diff(before, after))
