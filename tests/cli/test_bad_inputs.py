"""Hostile input, one case per directory of tests/cases/bad/ (issue 8).

Each case is a small project (``sql/``, maybe ``schemactl.toml`` / ``pyproject.toml``) and a
``case.toml`` that says which command runs and what a user must see:

``command``        any schemactl command, with its subcommand: ``order``, ``apply``,
                   ``apply --dry-run``, ``lint``, ``diff``, ``plan``, ``snapshot``, ``drift``,
                   ``prove``, ``partitions ensure``, ``refresh schedule``, ``pull``, ``init``...
``args``           more arguments, after the SQL dir; ``{url}`` is the target's URL,
                   ``{server}`` the test server's admin URL (a shadow or clone server),
                   ``{refused}`` a URL where nothing listens, ``{wrong_password}`` the password
                   server with a wrong password, ``{no_createdb}`` the test server as a fresh
                   login role without CREATEDB (dropped after)
``sql_dir``        the SQL_DIR argument (default ``"sql"`` for the commands that take one,
                   see ``SQL_DIR_COMMANDS``; ``false``: none, config decides)
``target``         the database: ``empty`` (default for apply: a fresh database), ``applied``
                   (a fresh database with the case's ``sql/`` applied first), ``none``, ``url``
                   (``database_url``), ``missing_database``, ``refused_port``,
                   ``silent_port``, ``wrong_password``, ``no_create_role``, ``old_server``
``url_via``        how the URL is given: ``option`` (default), ``SCHEMACTL_DATABASE_URL``,
                   ``DATABASE_URL``, or ``args`` (only where ``args`` say ``{url}``)
``before``         schemactl commands run first (each an argument list, placeholders as in
                   ``args``, no URL added), each must exit 0: e.g. a plan made on the target
``env``            more environment variables
``generate``       a generator below, for what cannot be committed (a 10 MB file, an empty
                   dir, odd file names, symlinks, a proof edited from a plan made at test
                   time); it runs after ``before``
``exit``           the documented exit code
``message``        the exact first line of stderr, after ``schemactl: ``; or
``message_regex``  a regex it must match in full (with exit 0 or 1: a warning's)
``hint``           ``true``: a ``  hint:`` line must follow
``located``        ``false``: the file itself is at fault (a dangling link), no line:col
``stdout_regex``   what stdout must contain (exit 2 and 3: else stdout must be empty)
``catalog``        ``unchanged`` (default) or, for a case that applies, ``changed``
``roles``          LIKE pattern of roles the case may create, compared before and after
``defect``         a known defect the case shows (the test fails until it is fixed)

For every case: the exit code, no traceback, stderr is one line (``schemactl: ...``) plus at
most a ``  detail:`` and a ``  hint:`` line, nothing on stdout on failure, ``file:line:col``
when a SQL file is at fault, no password in the output, and for a database target the full
catalog snapshot (the ledger schema included) unchanged, taken after the ``before`` steps.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
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
# the commands of the first cases (each must keep a case); any other command may have cases
COMMANDS = ("order", "apply", "apply --dry-run", "lint")
# the commands that landed after them (issue 8: each gets its hostile cases)
NEW_COMMANDS = (
    "diff", "plan", "snapshot", "drift", "prove", "partitions", "refresh", "pull", "init",
)  # fmt: skip
# the commands that take a SQL_DIR argument ("sql" unless the case says otherwise)
SQL_DIR_COMMANDS = ("order", "apply", "lint", "diff", "plan")
TARGETS = (
    "empty",
    "applied",
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
    before: tuple[tuple[str, ...], ...] = ()
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
        targets = ("empty", "applied", "no_create_role", "old_server", "wrong_password")
        return unchanged and self.target in targets


def load_case(path: Path) -> BadCase:
    data: dict[str, Any] = tomllib.loads((path / "case.toml").read_text(encoding="utf-8"))
    command = data.pop("command")
    default_target = "empty" if command.startswith("apply") else "none"
    default_sql_dir = "sql" if command.split()[0] in SQL_DIR_COMMANDS else None
    case = BadCase(
        name=path.name,
        path=path,
        command=command,
        exit=data.pop("exit"),
        args=tuple(data.pop("args", ())),
        sql_dir=data.pop("sql_dir", default_sql_dir) or None,
        target=data.pop("target", default_target),
        env=dict(data.pop("env", {})),
        before=tuple(tuple(step) for step in data.pop("before", ())),
        **data,
    )
    words = case.command.split()
    group = main.commands.get(words[0])
    assert group is not None, f"{path.name}: unknown command {case.command!r}"
    if isinstance(group, click.Group) and len(words) > 1 and not words[1].startswith("-"):
        assert words[1] in group.commands, f"{path.name}: unknown command {case.command!r}"
    assert case.target in TARGETS, f"{path.name}: unknown target {case.target!r}"
    assert case.url_via in ("option", "args", "SCHEMACTL_DATABASE_URL", "DATABASE_URL")
    assert case.catalog in ("unchanged", "changed"), path.name
    failing = case.exit in (2, 3)
    said = case.message is not None or case.message_regex is not None
    assert failing <= said, f"{path.name}: a failing case says its message"
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


def _proof_failures_not_a_list(project: Path) -> None:
    # a failed proof of the plan a `before` step made, edited: failures is a number
    plan = json.loads((project / "plan.json").read_text(encoding="utf-8"))
    proof = {
        "format": "schemactl-proof",
        "version": 1,
        "plan_sha256": plan["plan_sha256"],
        "target_fingerprint": plan["source_fingerprint"],
        "ok": False,
        "failures": 5,
    }
    (project / "proof.json").write_text(json.dumps(proof), encoding="utf-8")


def _snapshot_not_utf8(project: Path) -> None:
    (project / "snap.json").write_bytes(b"\xff\xfe{}")


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
    "proof_failures_not_a_list": _proof_failures_not_a_list,
    "snapshot_not_utf8": _snapshot_not_utf8,
}


def test_cases_are_well_formed() -> None:
    """At least 150 cases, every command and target used, generators all known."""
    assert len(CASES) >= 150
    assert {c.command for c in CASES} >= set(COMMANDS)
    assert {c.command.split()[0] for c in CASES} >= set(NEW_COMMANDS)
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
    elif case.target == "applied":
        applied = invoke(["apply", "sql", "--database-url", empty, "--auth-shim", "never"])
        assert applied.exit_code == 0, f"{case.name}: applying sql/ failed\n{applied.output}"
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


def invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    """``schemactl args`` in the current directory, isolated from the caller's environment."""
    return CliRunner().invoke(main, args, env=isolated_env(env))


WRONG_PASSWORD = "not-the-password"


class Placeholders:
    """The values of ``{url}``, ``{server}``... in a case's args, made when first asked for."""

    def __init__(self, url: str | None, request: pytest.FixtureRequest) -> None:
        self.url = url
        self.request = request
        self.stack = contextlib.ExitStack()
        self.values: dict[str, str] = {}

    def value(self, name: str) -> str:
        if name not in self.values:
            self.values[name] = self._make(name)
        return self.values[name]

    def _make(self, name: str) -> str:
        if name == "url":
            assert self.url is not None, "{url} without a target"
            return self.url
        if name == "refused":
            return f"postgresql://postgres@127.0.0.1:{free_port()}/postgres?connect_timeout=2"
        if name == "wrong_password":
            server: PasswordServer = self.request.getfixturevalue("password_server")
            return server.url(password=WRONG_PASSWORD)
        test_server: TestServer = self.request.getfixturevalue("schemactl_server")
        if name == "server":
            return test_server.admin_url
        if name == "no_createdb":
            role = self.stack.enter_context(login_role(test_server.admin_url))
            return with_user(test_server.admin_url, role)
        raise AssertionError(f"unknown placeholder {{{name}}}")

    def expand(self, args: tuple[str, ...] | list[str]) -> list[str]:
        return [re.sub(r"\{(\w+)\}", lambda m: self.value(m[1]), arg) for arg in args]


def command_line(case: BadCase, places: Placeholders) -> tuple[list[str], dict[str, str]]:
    args = case.command.split()
    if case.sql_dir is not None:
        args.append(case.sql_dir)
    args.extend(places.expand(case.args))
    env = dict(case.env)
    if places.url is not None and case.url_via != "args":
        if case.url_via == "option":
            args += ["--database-url", places.url]
        else:
            env[case.url_via] = places.url
    return args, env


def copy_project(case: BadCase, dest: Path) -> Path:
    project = dest / "project"
    shutil.copytree(case.path, project, symlinks=True)
    (project / "case.toml").unlink()
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

    with open_target(case, request, monkeypatch) as target, contextlib.ExitStack() as stack:
        places = Placeholders(target.url, request)
        stack.enter_context(places.stack)
        for step in case.before:
            done = invoke(places.expand(step))
            assert done.exit_code == 0, f"{case.name}: before step {step!r} failed\n{done.output}"
        if case.generate is not None:
            GENERATORS[case.generate](project)
        inspect = target.inspect_url if case.snapshots else None
        ledger = case.exit != 0
        before = snapshot(inspect, case.roles, ledger=ledger) if inspect else None
        args, env = command_line(case, places)
        result = invoke(args, env)
        output = result.stdout + result.stderr
        assert "Traceback" not in output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{case.name}: uncaught exception") from result.exception
        assert result.exit_code == case.exit, (
            f"{case.name}: exit {result.exit_code}, not {case.exit}\n{output}"
        )
        assert WRONG_PASSWORD not in output, "a password is printed"
        said = case.message is not None or case.message_regex is not None
        if case.exit in (0, 1) and not said:
            assert result.stderr == ""
        else:
            check_stderr(case, result)
        if case.stdout_regex is not None:
            assert re.search(case.stdout_regex, result.stdout), result.stdout
        elif case.exit in (2, 3):
            assert result.stdout == "", "nothing but the error is printed"
        if inspect is not None and before is not None:
            after = snapshot(inspect, case.roles, ledger=ledger)
            assert snapshot_diff(before, after) == [], "\n".join(snapshot_diff(before, after))
