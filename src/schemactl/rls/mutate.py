"""Policy mutation testing: weaken the RLS of a SQL dir and check that the test suite notices.

:func:`generate_mutants` builds the mutants of a SQL dir. Structural operators, per
``CREATE POLICY``: ``using-true`` (its USING expression replaced by ``true``),
``check-true`` (the same for WITH CHECK) and ``drop-policy`` (the statement removed); per
table whose RLS is switched on: ``rls-off`` (its ``ENABLE`` and ``FORCE ROW LEVEL
SECURITY`` statements removed). Semantic operators (:mod:`schemactl.rls.semantic`) weaken
one term and keep every policy: ``widen-roles`` (a role list gains the next weaker role),
``drop-window`` (a validity-window term becomes ``true``), ``widen-grant`` (a column grant
gains a hidden column) and ``loosen-guard`` (a guard trigger's RAISE is made unreachable,
or its trigger is not created). Mutants are edits of the original file text by character
offset, so everything else in the file (comments, formatting, other statements) stays as
it was.

:func:`run_mutants` copies the SQL dir once per mutant, writes the mutated file, and runs
the test command with ``SCHEMACTL_SQL_DIR`` pointing at the copy (the pytest plugin of
schemactl applies that dir to its template database). Outcome of one mutant:

* ``killed``: the test command failed (exit code 1): the suite noticed the weakening;
* ``survived``: the test command passed: the suite is too weak for this policy;
* ``stillborn``: the mutated SQL no longer parses, orders or applies (the plugin reports
  ``(test template) failed``); the mutant proves nothing either way and is listed apart;
* ``timeout``: the command ran longer than ``timeout`` seconds; counted as detected (a hang
  is a visible failure), as mutation tools such as PIT do, but listed apart;
* ``error``: any other exit code (5 = no tests collected, 2 = interrupted or collection
  error, 3 internal error, 4 usage error): the command is broken, not the policy.

The unmutated dir runs first (the baseline): if it does not pass, nothing else runs.
"""

from __future__ import annotations

import bisect
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlglot.tokenizer_core import TokenType

from schemactl.errors import SchemactlError
from schemactl.model import Namespace, Plan, Statement
from schemactl.rls.semantic import (
    DROP_WINDOW,
    LOOSEN_GUARD,
    SEMANTIC_KINDS,
    WIDEN_GRANT,
    WIDEN_ROLES,
    semantic_weakenings,
)
from schemactl.rls.sqltext import Edit, policy_clauses, tokenize

__all__ = [
    "CHECK_TRUE",
    "DROP_POLICY",
    "DROP_WINDOW",
    "KINDS",
    "LOOSEN_GUARD",
    "RLS_OFF",
    "USING_TRUE",
    "WIDEN_GRANT",
    "WIDEN_ROLES",
    "Edit",
    "Mutant",
    "MutantResult",
    "MutationError",
    "MutationReport",
    "generate_mutants",
    "mutate",
    "planned_mutants",
    "policy_clauses",
    "run_mutants",
    "select_sample",
    "tokenize",
]

USING_TRUE = "using-true"
CHECK_TRUE = "check-true"
DROP_POLICY = "drop-policy"
RLS_OFF = "rls-off"
STRUCTURAL_KINDS: tuple[str, ...] = (USING_TRUE, CHECK_TRUE, DROP_POLICY, RLS_OFF)
# every operator, in the order of reports and of the sample's round robin
KINDS: tuple[str, ...] = (*STRUCTURAL_KINDS, *SEMANTIC_KINDS)

KILLED = "killed"
SURVIVED = "survived"
STILLBORN = "stillborn"
TIMEOUT = "timeout"
ERROR = "error"
STATUSES: tuple[str, ...] = (KILLED, SURVIVED, STILLBORN, TIMEOUT, ERROR)

# pytest arguments when the user gives none; -x so that the first failure kills the mutant
DEFAULT_TEST_ARGS: tuple[str, ...] = ("-x", "-q", "-p", "no:cacheprovider", "tests/rls")

ENV_SQL_DIR = "SCHEMACTL_SQL_DIR"
ENV_TEST_DSN = "SCHEMACTL_TEST_DSN"

# What the schemactl pytest plugin prints when the SQL dir does not apply to its template
# database (schemactl.testing.plugin.schemactl_template).
APPLY_FAILED_MARKER = "(test template) failed"

# pytest's exit codes (pytest.ExitCode), without importing pytest into the library
_PYTEST_OK = 0
_PYTEST_TESTS_FAILED = 1

# how long an interrupted test run may take to drop its databases before it is killed
_INTERRUPT_GRACE_SECONDS = 10.0
_OUTPUT_TAIL_LINES = 30


class MutationError(SchemactlError):
    """Mutation testing could not run: failing baseline, broken test command, bad option."""


@dataclass(frozen=True)
class Mutant:
    """One weakening of the RLS of a SQL dir."""

    id: str  # "<kind>:<target>", unique within a SQL dir ("#2", "#3" ... when repeated)
    # one of KINDS
    kind: str
    # policy "schema.table.name"; table "schema.table" (rls-off, a column REVOKE);
    # function "schema.name"; trigger "schema.table.name"; column "schema.table.column"
    target: str
    path: str  # file of the mutated statement, relative to the SQL dir (POSIX)
    # 1-based line of the mutated statement (structural kinds) or of the edited term
    line: int
    description: str
    edits: tuple[Edit, ...] = field(repr=False)

    @property
    def location(self) -> str:
        """``path:line`` of the mutated statement or term."""
        return f"{self.path}:{self.line}"

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file this mutant changes (rls-off may touch more than one)."""
        return tuple(dict.fromkeys(edit.path for edit in self.edits))

    def apply(self, text: str, path: str | None = None) -> str:
        """The mutated text of file ``path`` (default: :attr:`path`) given its original text."""
        wanted = self.path if path is None else path
        # from the end backwards, so that earlier offsets stay valid
        for edit in sorted(
            (e for e in self.edits if e.path == wanted), key=lambda e: e.start, reverse=True
        ):
            text = text[: edit.start] + edit.replacement + text[edit.end :]
        return text

    def write(self, sql_dir: Path) -> None:
        """Mutate the files of ``sql_dir`` (a copy of the original SQL dir) in place."""
        for relpath in self.paths:
            target = sql_dir / relpath
            original = target.read_text(encoding="utf-8")
            target.write_text(self.apply(original, relpath), encoding="utf-8")


# ---------------------------------------------------------------------------- generation


class _FileTokens:
    """The top-level semicolons of one file, to remove a statement with its terminator."""

    def __init__(self, text: str) -> None:
        self.semicolons = [t.start for t in tokenize(text) if t.token_type == TokenType.SEMICOLON]
        self.length = len(text)

    def statement_end(self, st: Statement) -> int:
        """Offset just past the statement's terminating semicolon (or its own end)."""
        end = st.offset + len(st.sql)
        i = bisect.bisect_left(self.semicolons, end)
        if i < len(self.semicolons):
            return self.semicolons[i] + 1
        return end


def _relation(st: Statement) -> str:
    for ref in st.references:
        if ref.namespace == Namespace.RELATION:
            return ref.name
    raise ValueError(f"{st.location}: {st.kind} without a table")


def _policy_name(st: Statement) -> str:
    for ref in st.creates:
        if ref.namespace == Namespace.POLICY:
            return ref.name
    raise ValueError(f"{st.location}: CREATE POLICY without a name")


def _is_true(expression: str) -> bool:
    """Already ``true``: replacing it would give a mutant equal to the original."""
    try:
        tokens = tokenize(expression)
    except ValueError:
        return False
    return len(tokens) == 1 and tokens[0].token_type == TokenType.TRUE


def mutants_of_plan(plan: Plan, kinds: Sequence[str] | None = None) -> list[Mutant]:
    """The mutants of an already built plan, in file order (see :func:`generate_mutants`)."""
    file_tokens: dict[str, _FileTokens] = {}

    def removal(st: Statement) -> Edit:
        tokens = file_tokens.get(st.file.relpath)
        if tokens is None:
            tokens = file_tokens[st.file.relpath] = _FileTokens(st.file.text)
        return Edit(st.file.relpath, st.offset, tokens.statement_end(st), "")

    ordered = sorted(plan.statements, key=lambda st: (st.file.relpath, st.offset))
    force_by_table: dict[str, list[Statement]] = {}
    for st in ordered:
        if st.kind == "FORCE RLS":
            force_by_table.setdefault(_relation(st), []).append(st)

    mutants: list[Mutant] = []
    seen_ids: dict[str, int] = {}

    def add(
        kind: str,
        target: str,
        st: Statement,
        description: str,
        edits: Sequence[Edit],
        line: int | None = None,
    ) -> None:
        base = f"{kind}:{target}"
        seen_ids[base] = seen_ids.get(base, 0) + 1
        ident = base if seen_ids[base] == 1 else f"{base}#{seen_ids[base]}"
        where = st.line if line is None else line
        mutants.append(
            Mutant(ident, kind, target, st.file.relpath, where, description, tuple(edits))
        )

    semantic = semantic_weakenings(ordered, removal)
    for index, st in enumerate(ordered):
        if st.kind == "CREATE POLICY":
            policy = _policy_name(st)
            clauses = policy_clauses(st.sql)
            for key, kind, label in (
                ("using", USING_TRUE, "USING"),
                ("check", CHECK_TRUE, "WITH CHECK"),
            ):
                if key not in clauses:
                    continue
                start, end = clauses[key]
                if _is_true(st.sql[start:end]):
                    continue
                edit = Edit(st.file.relpath, st.offset + start, st.offset + end, "true")
                add(kind, policy, st, f"policy {policy}: {label} (true)", [edit])
            add(DROP_POLICY, policy, st, f"policy {policy} not created", [removal(st)])
        elif st.kind == "ENABLE RLS":
            table = _relation(st)
            forced = force_by_table.get(table, [])
            edits = [removal(st)] + [removal(f) for f in forced]
            what = "ENABLE and FORCE" if forced else "ENABLE"
            add(RLS_OFF, table, st, f"table {table}: {what} ROW LEVEL SECURITY removed", edits)
        for w in semantic.get(index, []):
            add(w.kind, w.target, w.statement, w.description, w.edits, w.line)
    if kinds is not None:
        wanted = check_kinds(kinds)
        return [m for m in mutants if m.kind in wanted]
    return mutants


def check_kinds(kinds: Sequence[str]) -> frozenset[str]:
    """The set of ``kinds``; :class:`MutationError` naming any that is not an operator."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise MutationError(
            f"unknown mutant kind {', '.join(unknown)}", hint=f"kinds: {', '.join(KINDS)}"
        )
    return frozenset(kinds)


def generate_mutants(sql_dir: Path | str, kinds: Sequence[str] | None = None) -> list[Mutant]:
    """Every mutant of a SQL dir (or those of ``kinds``), in file order; pure (no connection).

    Per ``CREATE POLICY``: ``using-true`` (its USING expression replaced by ``true``, when
    it has one that is not already ``true``), ``check-true`` (the same for WITH CHECK) and
    ``drop-policy`` (the statement removed). Per ``ENABLE ROW LEVEL SECURITY``: ``rls-off``
    (that statement and any ``FORCE ROW LEVEL SECURITY`` of the same table removed). Then
    the semantic operators of :mod:`schemactl.rls.semantic` (``widen-roles``,
    ``drop-window``, ``widen-grant``, ``loosen-guard``), after the statement they edit.
    Raises :class:`~schemactl.errors.ParseError` / ``CycleError`` when the dir does not parse,
    :class:`MutationError` for an unknown kind.
    """
    from schemactl.core.plan import build_plan

    if kinds is not None:
        check_kinds(kinds)
    root = Path(sql_dir)
    return mutants_of_plan(build_plan(root, display_root=root, strict=False), kinds)


def select_sample(mutants: Sequence[Mutant], size: int | None, seed: int = 0) -> list[Mutant]:
    """A reproducible sample of ``size`` mutants, spread over the kinds.

    Each kind's mutants are shuffled with ``random.Random(seed)`` and the sample takes one
    of each kind in turn, in :data:`KINDS` order (the four structural kinds, then
    widen-roles, drop-window, widen-grant, loosen-guard, again ...): a sample of 4 holds
    one mutant of each structural kind, a sample of 8 one of every kind. The result keeps
    the order of ``mutants``.
    """
    if size is None or size >= len(mutants):
        return list(mutants)
    if size < 0:
        raise MutationError(f"--sample must be at least 0, not {size}")
    rng = random.Random(seed)
    groups: list[list[int]] = []
    for kind in (*KINDS, *sorted({m.kind for m in mutants} - set(KINDS))):
        indexes = [i for i, m in enumerate(mutants) if m.kind == kind]
        rng.shuffle(indexes)
        if indexes:
            groups.append(indexes)
    chosen: list[int] = []
    while len(chosen) < size:
        for group in groups:
            if group and len(chosen) < size:
                chosen.append(group.pop())
    return [mutants[i] for i in sorted(chosen)]


# ---------------------------------------------------------------------------- running


@dataclass(frozen=True)
class MutantResult:
    """What the test command did with one mutant."""

    mutant: Mutant
    status: str  # one of STATUSES
    returncode: int | None  # None: stillborn before running, or killed at the timeout
    seconds: float
    reason: str = ""  # stillborn / error / timeout: why, in one line
    output_tail: str = field(default="", repr=False)  # last lines of the test output


@dataclass(frozen=True)
class MutationReport:
    """The outcome of a mutation run."""

    sql_dir: str
    command: tuple[str, ...]
    generated: int  # mutants of the SQL dir
    seed: int
    baseline_seconds: float
    wall_seconds: float
    results: tuple[MutantResult, ...]  # in mutant order

    def by_status(self, status: str) -> list[MutantResult]:
        """Results with ``status``."""
        return [r for r in self.results if r.status == status]

    @property
    def killed(self) -> list[MutantResult]:
        """Mutants the suite noticed."""
        return self.by_status(KILLED)

    @property
    def survived(self) -> list[MutantResult]:
        """Mutants the suite let through: the tests are too weak for these policies."""
        return self.by_status(SURVIVED)

    @property
    def stillborn(self) -> list[MutantResult]:
        """Mutants whose SQL no longer applies: they prove nothing."""
        return self.by_status(STILLBORN)

    @property
    def timeouts(self) -> list[MutantResult]:
        """Mutants whose test run hit the timeout (counted as detected)."""
        return self.by_status(TIMEOUT)

    @property
    def errors(self) -> list[MutantResult]:
        """Mutants whose test command broke (no tests, usage or internal error)."""
        return self.by_status(ERROR)

    def counts(self) -> dict[str, int]:
        """Number of mutants per status, every status present."""
        return {status: len(self.by_status(status)) for status in STATUSES}

    def by_kind(self) -> dict[str, dict[str, int]]:
        """Per operator run (in :data:`KINDS` order): ``total`` and the number per status."""
        found: dict[str, dict[str, int]] = {}
        for kind in (*KINDS, *sorted({r.mutant.kind for r in self.results} - set(KINDS))):
            results = [r for r in self.results if r.mutant.kind == kind]
            if results:
                found[kind] = {"total": len(results)} | {
                    status: sum(r.status == status for r in results) for status in STATUSES
                }
        return found

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {
            "sql_dir": self.sql_dir,
            "command": list(self.command),
            "generated": self.generated,
            "run": len(self.results),
            "seed": self.seed,
            "counts": self.counts(),
            "by_kind": self.by_kind(),
            "baseline_seconds": round(self.baseline_seconds, 3),
            "wall_seconds": round(self.wall_seconds, 3),
            "mutants": [
                {
                    "id": r.mutant.id,
                    "kind": r.mutant.kind,
                    "target": r.mutant.target,
                    "path": r.mutant.path,
                    "line": r.mutant.line,
                    "description": r.mutant.description,
                    "status": r.status,
                    "returncode": r.returncode,
                    "seconds": round(r.seconds, 3),
                    "reason": r.reason,
                }
                for r in self.results
            ],
        }


ResultCallback = Callable[[MutantResult], None]


@dataclass(frozen=True)
class _Run:
    returncode: int | None  # None: timed out
    output: str
    seconds: float


def _tail(output: str, lines: int = _OUTPUT_TAIL_LINES) -> str:
    return "\n".join(output.rstrip().splitlines()[-lines:])


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _run_tests(
    command: Sequence[str],
    sql_dir: Path,
    *,
    cwd: Path | None,
    env: Mapping[str, str] | None,
    timeout: float | None,
) -> _Run:
    """Run the test command against ``sql_dir``; interrupt it (SIGINT) at the timeout."""
    environ = {**os.environ, **(env or {}), ENV_SQL_DIR: str(sql_dir)}
    started = time.perf_counter()
    # a session of its own: at the timeout the whole test run (and its children) is stopped
    proc = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
        return _Run(proc.returncode, output, time.perf_counter() - started)
    except subprocess.TimeoutExpired:
        # SIGINT first: pytest then runs its fixture finalizers, which drop the databases
        os.killpg(proc.pid, signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=_INTERRUPT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
        return _Run(None, output, time.perf_counter() - started)
    except BaseException:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        raise


@contextmanager
def _copy_of(sql_dir: Path, workdir: Path, name: str) -> Iterator[Path]:
    """A private copy of ``sql_dir`` under ``workdir``, deleted afterwards."""
    target = workdir / name
    shutil.copytree(sql_dir, target)
    try:
        yield target
    finally:
        shutil.rmtree(target, ignore_errors=True)


def _still_builds(sql_dir: Path) -> str | None:
    """None if the mutated dir still parses and orders, else why not (one line)."""
    from schemactl.core.plan import build_plan

    try:
        build_plan(sql_dir, display_root=sql_dir, strict=False)
    except SchemactlError as exc:
        return exc.message
    return None


def _classify(mutant: Mutant, run: _Run) -> MutantResult:
    tail = _tail(run.output)
    if run.returncode is None:
        return MutantResult(mutant, TIMEOUT, None, run.seconds, "timeout", tail)
    if run.returncode == _PYTEST_OK:
        return MutantResult(mutant, SURVIVED, 0, run.seconds, "", tail)
    if run.returncode == _PYTEST_TESTS_FAILED:
        if APPLY_FAILED_MARKER in run.output:
            reason = "the mutated SQL dir does not apply"
            return MutantResult(mutant, STILLBORN, 1, run.seconds, reason, tail)
        return MutantResult(mutant, KILLED, 1, run.seconds, "", tail)
    reason = f"test command exited {run.returncode}: {_last_line(run.output)}"
    return MutantResult(mutant, ERROR, run.returncode, run.seconds, reason, tail)


def _run_one(
    mutant: Mutant,
    index: int,
    sql_dir: Path,
    workdir: Path,
    command: Sequence[str],
    cwd: Path | None,
    env: Mapping[str, str] | None,
    timeout: float | None,
) -> MutantResult:
    with _copy_of(sql_dir, workdir, f"m{index:04d}") as copy:
        mutant.write(copy)
        started = time.perf_counter()
        broken = _still_builds(copy)
        if broken is not None:
            seconds = time.perf_counter() - started
            return MutantResult(mutant, STILLBORN, None, seconds, broken)
        return _classify(mutant, _run_tests(command, copy, cwd=cwd, env=env, timeout=timeout))


@contextmanager
def _shared_server(env: Mapping[str, str] | None, share: bool) -> Iterator[dict[str, str]]:
    """``env`` plus ``SCHEMACTL_TEST_DSN`` of a server started here when none is given."""
    extra = dict(env or {})
    merged = {**os.environ, **extra}
    if not share or merged.get(ENV_TEST_DSN):
        yield extra
        return
    from schemactl.testing.server import open_test_server

    # a private embedded server per test run would cost seconds of start-up per mutant
    with open_test_server(merged) as server:
        yield {**extra, ENV_TEST_DSN: server.admin_url}


def build_test_command(test_args: Sequence[str] | None = None) -> tuple[str, ...]:
    """The command run per mutant: this Python's pytest with ``test_args`` or the defaults."""
    args = DEFAULT_TEST_ARGS if not test_args else tuple(test_args)
    return (sys.executable, "-m", "pytest", *args)


def run_mutants(
    sql_dir: Path | str,
    test_args: Sequence[str] | None = None,
    *,
    sample: int | None = None,
    seed: int = 0,
    jobs: int = 1,
    timeout: float | None = None,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    mutants: Sequence[Mutant] | None = None,
    on_result: ResultCallback | None = None,
    share_server: bool = True,
    kinds: Sequence[str] | None = None,
) -> MutationReport:
    """Run the test command once unmutated (the baseline), then once per mutant.

    ``test_args`` are pytest's arguments (default :data:`DEFAULT_TEST_ARGS`), run as
    ``python -m pytest`` in ``cwd`` with the parent environment plus ``env`` and
    ``SCHEMACTL_SQL_DIR`` set to a mutated copy of ``sql_dir``. ``sample`` picks a
    reproducible subset (:func:`select_sample`) of the mutants of ``kinds`` (default: every
    operator); ``jobs`` test runs go on in parallel;
    ``on_result`` is called as each mutant finishes. Raises :class:`MutationError` when the
    baseline does not pass: a suite that fails unmutated kills every mutant and proves nothing.

    With ``share_server`` and no ``SCHEMACTL_TEST_DSN`` in the environment, one test server
    (embedded, or docker if ``SCHEMACTL_TEST_BACKEND=docker``) is started for the whole run
    and every test run uses it, instead of each starting a server of its own.
    """
    root = Path(sql_dir).resolve()
    if not root.is_dir():
        raise MutationError(f"{sql_dir}: no such SQL directory")
    if jobs < 1:
        raise MutationError(f"--jobs must be at least 1, not {jobs}")
    if timeout is not None and timeout <= 0:
        raise MutationError(f"--timeout must be positive, not {timeout}")
    if mutants is None:
        all_mutants = generate_mutants(root, kinds)
    else:
        wanted = check_kinds(kinds) if kinds is not None else None
        all_mutants = [m for m in mutants if wanted is None or m.kind in wanted]
    chosen = select_sample(all_mutants, sample, seed)
    command = build_test_command(test_args)
    workdir_cwd = Path(cwd) if cwd is not None else None
    started = time.perf_counter()
    with (
        _shared_server(env, share_server) as run_env,
        tempfile.TemporaryDirectory(prefix="schemactl-mutate-") as tmp,
    ):
        workdir = Path(tmp)
        with _copy_of(root, workdir, "baseline") as copy:
            baseline = _run_tests(command, copy, cwd=workdir_cwd, env=run_env, timeout=timeout)
        if baseline.returncode != _PYTEST_OK:
            what = "timed out" if baseline.returncode is None else f"exited {baseline.returncode}"
            raise MutationError(
                f"baseline: the test command {what} on the unmutated SQL dir {sql_dir}: "
                f"{_last_line(baseline.output)}",
                hint=f"make `{' '.join(command[2:])}` pass first "
                f"(with {ENV_SQL_DIR}={sql_dir}); mutants of a failing suite prove nothing",
            )

        def work(item: tuple[int, Mutant]) -> MutantResult:
            index, mutant = item
            result = _run_one(mutant, index, root, workdir, command, workdir_cwd, run_env, timeout)
            if on_result is not None:
                on_result(result)
            return result

        if jobs == 1:
            results = [work(item) for item in enumerate(chosen)]
        else:
            # threads only wait on subprocesses: the parallel work is in the test processes
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(work, enumerate(chosen)))
    return MutationReport(
        sql_dir=str(sql_dir),
        command=command,
        generated=len(all_mutants),
        seed=seed,
        baseline_seconds=baseline.seconds,
        wall_seconds=time.perf_counter() - started,
        results=tuple(results),
    )


def mutate(
    sql_dir: Path | str | None = None,
    test_args: Sequence[str] | None = None,
    *,
    sample: int | None = None,
    seed: int = 0,
    jobs: int = 1,
    timeout: float | None = None,
    project_dir: Path | str | None = None,
    on_result: ResultCallback | None = None,
    kinds: Sequence[str] | None = None,
) -> MutationReport:
    """``schemactl rls mutate``: :func:`run_mutants` on the configured SQL dir by default."""
    from schemactl.config import load_settings

    settings = load_settings(project_dir, sql_dir=sql_dir)
    return run_mutants(
        settings.resolve(settings.sql_dir),
        test_args,
        sample=sample,
        seed=seed,
        jobs=jobs,
        timeout=timeout,
        cwd=settings.project_dir,
        on_result=on_result,
        kinds=kinds,
    )


def planned_mutants(
    sql_dir: Path | str | None = None,
    *,
    sample: int | None = None,
    seed: int = 0,
    project_dir: Path | str | None = None,
    kinds: Sequence[str] | None = None,
) -> list[Mutant]:
    """``schemactl rls mutate --list``: the mutants of the configured SQL dir, run nothing."""
    from schemactl.config import load_settings

    settings = load_settings(project_dir, sql_dir=sql_dir)
    mutants = generate_mutants(settings.resolve(settings.sql_dir), kinds)
    return select_sample(mutants, sample, seed)


# ---------------------------------------------------------------------------- rendering


def render_result(result: MutantResult) -> str:
    """One line per mutant: STATUS kind target file:line (seconds) [reason]."""
    line = (
        f"{result.status.upper():<9} {result.mutant.kind:<12} {result.mutant.target}  "
        f"{result.mutant.location}  ({result.seconds:.1f} s)"
    )
    return f"{line}  {result.reason}" if result.reason else line


def render_summary(report: MutationReport) -> str:
    """The closing lines of a text report: counts, survivors, time."""
    counts = report.counts()
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s] or s in (KILLED, SURVIVED)]
    lines = [
        f"{len(report.results)} of {report.generated} mutants run: {', '.join(parts)}; "
        f"baseline {report.baseline_seconds:.1f} s, wall time {report.wall_seconds:.1f} s"
    ]
    per_kind = report.by_kind()
    width = max((len(kind) for kind in per_kind), default=0)
    if per_kind:
        lines.append("killed/total per operator:")
    for kind, n in per_kind.items():
        others = [f"{n[s]} {s}" for s in STATUSES if s != KILLED and n[s]]
        line = f"  {kind:<{width}}  {n[KILLED]}/{n['total']} killed"
        lines.append(f"{line}, {', '.join(others)}" if others else line)
    for result in report.survived:
        lines.append(
            f"survivor: {result.mutant.kind} {result.mutant.target} at {result.mutant.location}"
        )
    return "\n".join(lines) + "\n"


def render_mutants(mutants: Sequence[Mutant]) -> str:
    """One line per mutant, for ``--list``: kind target file:line description."""
    return "".join(f"{m.kind:<12} {m.target}  {m.location}  {m.description}\n" for m in mutants)
