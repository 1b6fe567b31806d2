"""The commands since order/apply/lint/diff never show a password either (issue 8, Secrets).

One database on the password-checking server, owned by a superuser role whose password is
the marker, serves every command: plan (plan.json), apply --plan, a migrating apply (its
runs and statements in schemactl.*), snapshot, drift, prove (--clone-url, proof.json),
partitions ensure|status|prune|cron, refresh run|status|worker, pull, init --from. Each
command gets the password in every DSN form it takes (a URL, ``?password=``, key=value, by
option, DATABASE_URL, SCHEMACTL_DATABASE_URL, the config), then a wrong password. After each
run the marker is looked for in stdout, stderr, the log records, every file of the project
(plan, proof, snapshot, pulled files, init's config and workflow) and every row of the
schemactl.* tables. The pg_cron commands (partitions schedule, refresh schedule) run on the
shared trust server, where pg_cron is on PostgreSQL 15: the command text of their cron.job
rows is checked too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import Result
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from test_secrets import (
    MARKER,
    assert_exception_clean,
    assert_no_marker,
    failing_dsns,
    invoke,
    kv_form,
    logs,
    url_form,
)

from hostile import PasswordServer, free_port, isolated_env, login_role
from schemactl import api
from schemactl.db import embedded
from schemactl.errors import SchemactlError
from schemactl.testing.server import TestServer, unique_name

__all__ = ["logs"]  # the fixture, used by name below

TABLES = """\
CREATE TABLE secret_t (id int PRIMARY KEY, note text);
CREATE TABLE secret_events (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);
"""
VIEWS = "CREATE MATERIALIZED VIEW secret_mv AS SELECT count(*) AS n FROM secret_t;\n"
NEW_TABLE = "CREATE TABLE secret_new (id int);\n"
SETTINGS = """\
[partitions.secret_events]
interval = "month"
premake = 1
retention = "1 month"
default_partition = true

[refresh.secret_mv]
every = "2s"
"""


@dataclass(frozen=True)
class Target:
    """The database every command runs on; its owner's password is the marker."""

    server: PasswordServer
    role: str
    dbname: str

    @property
    def url(self) -> str:
        return self.server.url(user=self.role, password=MARKER, dbname=self.dbname)

    @property
    def admin(self) -> str:
        return self.server.url(dbname=self.dbname)


@pytest.fixture(scope="module")
def target(
    password_server: PasswordServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """A superuser role (its password the marker) owning a database with the project applied."""
    with login_role(password_server.url(), password=MARKER, prefix="sct_secret") as role:
        with psycopg.connect(password_server.url(), autocommit=True) as admin:
            admin.execute(sql.SQL("ALTER ROLE {} SUPERUSER").format(sql.Identifier(role)))
            dbname = unique_name("sct_secret")
            admin.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(dbname), sql.Identifier(role)
                )
            )
        found = Target(password_server, role, dbname)
        try:
            base = tmp_path_factory.mktemp("secret_base")
            write_project(base, next_table=False)
            api.apply(base / "sql", database_url=found.admin, auth_shim="never")
            yield found
        finally:
            with psycopg.connect(password_server.url(), autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )


def write_project(root: Path, *, next_table: bool, url: str | None = None) -> None:
    """sql/ (tables, a partitioned table, a materialized view; + secret_new) and schemactl.toml."""
    (root / "sql" / "tables").mkdir(parents=True, exist_ok=True)
    (root / "sql" / "views").mkdir(exist_ok=True)
    (root / "sql" / "tables" / "secret.sql").write_text(TABLES)
    (root / "sql" / "views" / "secret_mv.sql").write_text(VIEWS)
    new = root / "sql" / "tables" / "secret_new.sql"
    if next_table:
        new.write_text(NEW_TABLE)
    else:
        new.unlink(missing_ok=True)
    head = ""
    if url is not None:
        text = url.replace("\\", "\\\\").replace('"', '\\"')
        head = f'database_url = "{text}"\n\n'
    (root / "schemactl.toml").write_text(head + SETTINGS)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cwd: the project, the base schema; the embedded server may not start."""
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, next_table=False)

    def no_embedded_server(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the embedded server was started")

    monkeypatch.setattr(embedded, "start", no_embedded_server)
    return tmp_path


# (label, how the URL is given, its form)
FORMS = (
    ("option url", "--database-url", "url"),
    ("option ?password=", "--database-url", "query"),
    ("option key=value", "--database-url", "kv"),
    ("DATABASE_URL url", "DATABASE_URL", "url"),
    ("SCHEMACTL_DATABASE_URL key=value", "SCHEMACTL_DATABASE_URL", "kv"),
    ("config ?password=", "config", "query"),
)


def spelled(url: str, form: str) -> str:
    if form == "url":
        return url
    if form == "query":
        return url_form(url, password=MARKER, query=True)
    return kv_form(url_form(url, password=""), password=MARKER)


def given(
    project: Path, way: str, url: str, *, next_table: bool
) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment that hand ``url`` to a command the way ``way`` says."""
    write_project(project, next_table=next_table, url=url if way == "config" else None)
    if way == "--database-url":
        return ["--database-url", url], {}
    if way == "config":
        return [], {}
    return [], {way: url}


def files_text(root: Path) -> str:
    """Every file under ``root`` (the project: plan, proof, snapshot, pulled and init's files).

    Not the project's own schemactl.toml, which holds the URL when the test put it there
    (init's schemactl.toml, in a directory below, is read).
    """
    return "\n".join(
        path.read_text(errors="replace")
        for path in sorted(root.rglob("*"))
        if path.is_file() and path != root / "schemactl.toml"
    )


def schemactl_rows(url: str) -> str:
    """Every row of every table of schema schemactl, as text."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT c.oid::regclass::text FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'schemactl' AND c.relkind IN ('r', 'p')"
        ).fetchall()
        return "\n".join(
            str(row)
            for (table,) in tables
            for row in conn.execute(sql.SQL("SELECT t::text FROM {} t").format(sql.SQL(table)))
        )


def drop_new_table(target: Target) -> None:
    with psycopg.connect(target.admin, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS secret_new")


# ------------------------------------------------------------------ one runner per command
# Each runs the command with the URL given as ``args`` / ``env`` and returns its result; it
# asserts the exit code and what the command did.

Runner = Callable[[Target, Path, list[str], dict[str, str], str], Result | None]


def run_plan_prove_apply(
    target: Target, project: Path, args: list[str], env: dict[str, str], _: str
) -> Result:
    """plan -o plan.json (a shadow), prove it (a clone, proof.json), apply --plan: one chain."""
    shadow = target.server.url(user=target.role, password=MARKER)
    made = invoke(["plan", "sql", "-o", "plan.json", "--shadow-url", shadow, *args], env)
    assert made.exit_code == 0, made.output
    assert "secret_new" in (project / "plan.json").read_text()
    clone = target.server.url(user=target.role, password=MARKER)
    proved = invoke(["prove", "plan.json", "--clone-url", clone, "-o", "proof.json", *args], env)
    assert proved.exit_code == 0, proved.output
    assert (project / "proof.json").is_file()
    applied = invoke(["apply", "--plan", "plan.json", "--require-proof", "proof.json", *args], env)
    assert applied.exit_code == 0, applied.output
    assert table_exists(target, "secret_new")
    drop_new_table(target)
    return applied


def run_apply_migrating(
    target: Target, project: Path, args: list[str], env: dict[str, str], _: str
) -> Result:
    # each run adds a column to secret_new: the files changed, so apply migrates (a diff)
    before = new_table_columns(target)
    columns = ", ".join(["id int", *(f"c{i} int" for i in range(max(len(before), 1)))])
    (project / "sql" / "tables" / "secret_new.sql").write_text(
        f"CREATE TABLE secret_new ({columns});\n"
    )
    shadow = target.server.url(user=target.role, password=MARKER)
    result = invoke(["apply", "sql", "--auth-shim", "never", "--shadow-url", shadow, *args], env)
    assert result.exit_code == 0 and "migrated" in result.stdout, result.output
    assert len(new_table_columns(target)) == max(len(before), 1) + 1
    return result


def new_table_columns(target: Target) -> list[str]:
    with psycopg.connect(target.admin) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('secret_new')"
            " AND attnum > 0 AND NOT attisdropped"
        ).fetchall()
    return [name for (name,) in rows]


def run_snapshot(
    target: Target, project: Path, args: list[str], env: dict[str, str], _: str
) -> Result:
    result = invoke(["snapshot", "-o", "schema.json", *args], env)
    assert result.exit_code == 0, result.output
    assert "secret_events" in (project / "schema.json").read_text()
    to_stdout = invoke(["snapshot", "-o", "-", *args], env)
    assert to_stdout.exit_code == 0 and "secret_events" in to_stdout.stdout, to_stdout.output
    return result


def run_drift(
    target: Target, project: Path, args: list[str], env: dict[str, str], _: str
) -> Result:
    made = invoke(["snapshot", "-o", "schema.json", *args], env)
    assert made.exit_code == 0, made.output
    result = invoke(["drift", "--snapshot", "schema.json", *args], env)
    assert result.exit_code == 0, result.output
    return result


def run_partitions(
    target: Target, project: Path, args: list[str], env: dict[str, str], _: str
) -> Result:
    ensured = invoke(["partitions", "ensure", *args], env)
    assert ensured.exit_code == 0, ensured.output
    pruned = invoke(["partitions", "prune", *args], env)
    assert pruned.exit_code == 0, pruned.output
    cron = invoke(["partitions", "cron"], env)  # no URL option: it reads env and config
    assert cron.exit_code == 0 and "partitions ensure" in cron.stdout, cron.output
    result = invoke(["partitions", "status", *args], env)
    assert result.exit_code == 0 and "secret_events" in result.stdout, result.output
    with psycopg.connect(target.admin) as conn:
        parts = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'secret_events'::regclass"
        ).fetchone()
    assert parts is not None and parts[0] >= 3  # default, this month, next month
    return result


def run_refresh(
    target: Target, project: Path, args: list[str], env: dict[str, str], _: str
) -> Result:
    ran = invoke(["refresh", "run", *args], env)
    assert ran.exit_code == 0 and "secret_mv" in ran.stdout, ran.output
    result = invoke(["refresh", "status", *args], env)
    assert result.exit_code == 0 and "secret_mv" in result.stdout, result.output
    assert refresh_log_rows(target) >= 1
    return result


WORKER_FORMS = ("DATABASE_URL url", "config ?password=")  # a process each: two
# the commands that build a shadow or clone database (seconds a run) take one form of each
# kind, URL / ?password= / key=value, and one of each way, option / environment / config
HEAVY_FORMS = ("option url", "SCHEMACTL_DATABASE_URL key=value", "config ?password=")


def refresh_log_rows(target: Target) -> int:
    """Rows of schemactl.refresh_log (0 before the first refresh made it)."""
    with psycopg.connect(target.admin) as conn:
        made = conn.execute("SELECT to_regclass('schemactl.refresh_log')").fetchone()
        if made is None or made[0] is None:
            return 0
        row = conn.execute("SELECT count(*) FROM schemactl.refresh_log").fetchone()
    return int(row[0]) if row else 0


def run_worker(target: Target, project: Path, args: list[str], env: dict[str, str], _: str) -> None:
    """``refresh worker`` as a process, stopped by SIGTERM once it has refreshed (or after 10 s)."""
    logged_before = refresh_log_rows(target)
    exe = Path(sys.executable).parent / "schemactl"
    full_env = {k: v for k, v in os.environ.items() if v is not None}
    for name, value in isolated_env(env).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    worker = subprocess.Popen(
        [str(exe), "refresh", "worker", *args],
        cwd=project,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and worker.poll() is None:
            if refresh_log_rows(target) > logged_before:
                break
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert_no_marker("the worker's stdout", out)
    assert_no_marker("the worker's stderr", err)
    assert worker.returncode == 0, err
    assert "secret_mv" in out, (out, err)
    assert refresh_log_rows(target) > logged_before
    return None


def run_pull(target: Target, project: Path, args: list[str], env: dict[str, str], _: str) -> Result:
    result = invoke(["pull", "pulled", "--force", *args], env)
    assert result.exit_code in (0, 1), result.output
    assert "secret_events" in files_text(project / "pulled")
    return result


def run_init(target: Target, project: Path, args: list[str], env: dict[str, str], _: str) -> Result:
    fresh = project / f"init_{len(list(project.glob('init_*')))}"
    fresh.mkdir()
    url = args[1] if args else env.get("DATABASE_URL") or env.get("SCHEMACTL_DATABASE_URL", "")
    result = invoke(["init", str(fresh), "--from", url], {})
    assert result.exit_code == 0, result.output
    assert "secret_t" in files_text(fresh / "sql")
    written = {path.relative_to(fresh).as_posix() for path in fresh.rglob("*") if path.is_file()}
    assert {"schemactl.toml", ".github/workflows/schemactl.yml"} <= written, written
    return result


def table_exists(target: Target, name: str) -> bool:
    with psycopg.connect(target.admin) as conn:
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


PROVE = ["prove", "plan.json", "--clone-url", "{clone}"]

# command -> (runner, the forms it takes, whether sql/ holds the new table, commands to run
# with a wrong password: by --database-url and DATABASE_URL, or where "{wrong}" stands)
COMMANDS: dict[str, tuple[Runner, tuple[str, ...], bool, list[list[str]]]] = {
    "plan, prove, apply --plan": (
        run_plan_prove_apply,
        HEAVY_FORMS,
        True,
        [["plan", "sql"], PROVE, ["apply", "--plan", "plan.json"]],
    ),
    "apply migrating": (run_apply_migrating, HEAVY_FORMS, True, [["apply", "sql"]]),
    "snapshot": (run_snapshot, (), False, [["snapshot", "-o", "wrong.json"]]),
    "drift": (run_drift, (), False, [["drift", "--snapshot", "schema.json"]]),
    "partitions": (
        run_partitions,
        (),
        False,
        [["partitions", "ensure"], ["partitions", "status"], ["partitions", "prune"]],
    ),
    "refresh": (run_refresh, (), False, [["refresh", "run"], ["refresh", "status"]]),
    "refresh worker": (run_worker, WORKER_FORMS, False, []),
    "pull": (run_pull, (), False, [["pull", "wrongpull"]]),
    "init --from": (
        run_init,
        ("option url", "option ?password=", "option key=value"),
        False,
        [["init", "wronginit", "--from", "{wrong}"]],
    ),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_never_shows_the_password(
    command: str, project: Path, target: Target, logs: pytest.LogCaptureFixture
) -> None:
    runner, only, next_table, wrong_commands = COMMANDS[command]
    ran = 0
    for label, way, form in FORMS:
        if only and label not in only:
            continue
        args, env = given(project, way, spelled(target.url, form), next_table=next_table)
        runner(target, project, args, env, label)
        assert_no_marker(f"the files after {command} ({label})", files_text(project))
        ran += 1
    assert ran == len(only or FORMS)
    assert_no_marker(f"the schemactl tables after {command}", schemactl_rows(target.admin))
    drop_new_table(target)  # the next command starts from the base schema
    # a wrong password, itself holding the marker: refused in one line, nothing written
    write_project(project, next_table=next_table)
    wrong = target.server.url(user=target.role, password=MARKER + "wrong", dbname=target.dbname)
    clone = target.server.url(user=target.role, password=MARKER)
    for wrong_command in wrong_commands:
        command_args = [
            a.replace("{clone}", clone).replace("{wrong}", wrong) for a in wrong_command
        ]
        ways: tuple[tuple[list[str], dict[str, str]], ...] = (
            (["--database-url", wrong], {}),
            ([], {"DATABASE_URL": wrong}),
        )
        for args, env in ways if "{wrong}" not in wrong_command else (([], {}),):
            refused = invoke([*command_args, *args], env)
            assert refused.exit_code == 2, (wrong_command, refused.output)
            assert "password authentication failed" in refused.stderr, refused.stderr
            assert len(refused.stderr.splitlines()) <= 3, refused.stderr
    assert not (project / "wrong.json").exists()
    assert not (project / "wrongpull").exists() or not any((project / "wrongpull").iterdir())
    assert not (project / "wronginit").exists() or not any((project / "wronginit").iterdir())
    assert_no_marker(f"the files after {command} refused", files_text(project))


def cron_jobs(admin_url: str, database: str) -> list[str] | None:
    """The cron.job rows (all columns, as text) of ``database``; None without pg_cron."""
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SELECT current_setting('cron.database_name', true)").fetchone()
        if row is None or not row[0]:
            return None
    with psycopg.connect(make_conninfo(admin_url, dbname=row[0])) as conn:
        rows = conn.execute("SELECT j::text FROM cron.job j WHERE database = %s", (database,))
        return [text for (text,) in rows]


def test_pg_cron_jobs_never_embed_the_password(
    project: Path,
    schemactl_empty_db: str,
    schemactl_server: TestServer,
    logs: pytest.LogCaptureFixture,
) -> None:
    """partitions schedule and refresh schedule, the URL in every form, on the shared server.

    It trusts 127.0.0.1 (the password is sent and ignored); pg_cron is there on PostgreSQL
    15, so the jobs are registered and their cron.job rows read; elsewhere the commands are
    refused, also without the password.
    """
    api.apply(project / "sql", database_url=schemactl_empty_db, auth_shim="never")
    database = str(conninfo_to_dict(schemactl_empty_db)["dbname"])
    with_pg_cron = cron_jobs(schemactl_server.admin_url, database) is not None
    url = url_form(schemactl_empty_db, password=MARKER)
    try:
        for label, way, form in FORMS:
            args, env = given(project, way, spelled(url, form), next_table=False)
            parts = invoke(["partitions", "schedule", *args], env)
            views = invoke(["refresh", "schedule", "secret_mv", "--every", "5m", *args], env)
            if with_pg_cron:
                assert parts.exit_code == 0, (label, parts.output)
                assert views.exit_code == 0, (label, views.output)
            else:
                assert parts.exit_code == 2 and "pg_cron" in parts.stderr, parts.output
                assert views.exit_code == 3 and "pg_cron" in views.stderr, views.output
        if with_pg_cron:
            jobs = cron_jobs(schemactl_server.admin_url, database)
            assert jobs is not None and len(jobs) == 2, jobs  # one per table and view, replaced
            assert any("ensure_partitions" in job for job in jobs), jobs
            assert_no_marker("cron.job", "\n".join(jobs))
        assert_no_marker("the schemactl tables", schemactl_rows(schemactl_empty_db))
    finally:
        if with_pg_cron:
            args = ["--database-url", url]
            removed = invoke(["partitions", "schedule", "--remove", *args])
            unscheduled = invoke(["refresh", "unschedule", "secret_mv", *args])
            assert removed.exit_code == 0 and unscheduled.exit_code == 0
            assert cron_jobs(schemactl_server.admin_url, database) == []


def test_refused_shadow_and_clone_urls_never_show_the_password(
    project: Path, target: Target, logs: pytest.LogCaptureFixture
) -> None:
    """A shadow or clone server that refuses the password, or a clone role that is no superuser."""
    write_project(project, next_table=True)
    right = target.server.url(user=target.role, password=MARKER)
    wrong = target.server.url(user=target.role, password=MARKER + "wrong")
    target_url = ["--database-url", target.url]
    made = invoke(["plan", "sql", "-o", "plan.json", "--shadow-url", right, *target_url])
    assert made.exit_code == 0, made.output
    for command in (["plan", "sql"], ["apply", "sql", "--auth-shim", "never"], ["diff", "sql"]):
        refused = invoke([*command, "--shadow-url", wrong, *target_url])
        assert refused.exit_code == 2, (command, refused.output)
        assert "password authentication failed" in refused.stderr, refused.stderr
    refused = invoke(["prove", "plan.json", "--clone-url", wrong, *target_url])
    assert refused.exit_code == 2, refused.output
    assert "password authentication failed" in refused.stderr, refused.stderr
    with login_role(target.server.url(), password=MARKER, prefix="sct_secret") as plain:
        weak = target.server.url(user=plain, password=MARKER)
        refused = invoke(["prove", "plan.json", "--clone-url", weak, *target_url])
        assert refused.exit_code in (2, 3), refused.output
        assert "superuser" in refused.stderr, refused.stderr
    assert not table_exists(target, "secret_new")
    assert_no_marker("the files", files_text(project))


def test_library_twins_never_show_the_password(
    project: Path, schemactl_server: TestServer, logs: pytest.LogCaptureFixture
) -> None:
    """The library functions behind the commands, given failing DSNs: clean exceptions."""
    from schemactl import partitions, pull, refresh
    from schemactl.diff.planfile import plan
    from schemactl.prove.snapshot import snapshot

    dead = f"postgresql://app:{MARKER}@127.0.0.1:{free_port()}/app"
    twins: dict[str, Callable[[str], object]] = {
        "plan": lambda url: plan("sql", database_url=url, shadow_url=dead),
        "plan (shadow)": lambda url: plan("sql", database_url=dead, shadow_url=url),
        "snapshot": lambda url: snapshot(url),
        "partitions.ensure": lambda url: partitions.ensure(database_url=url),
        "partitions.status": lambda url: partitions.status(database_url=url),
        "partitions.prune": lambda url: partitions.prune(database_url=url),
        "refresh.run": lambda url: refresh.run(database_url=url),
        "refresh.status": lambda url: refresh.status(database_url=url),
        "pull": lambda url: pull.pull("pulled", database_url=url),
    }
    # each DSN goes to three twins in turn (all go through one connect(): the rotation is
    # there to catch a twin that does not), so that each twin gets five or six kinds of them
    names = list(twins)
    tried = 0
    for index, (label, dsn) in enumerate(failing_dsns(schemactl_server)):
        for name in (names[(index + step) % len(names)] for step in range(3)):
            twin = twins[name]
            with pytest.raises(SchemactlError) as info:
                twin(dsn)
            assert info.value.exit_code == 2, (label, name, info.value)
            assert_exception_clean(info.value)
            tried += 1
    assert tried == 16 * 3
    assert not (project / "pulled").exists() or not any((project / "pulled").iterdir())


def test_a_url_where_a_path_belongs_is_not_echoed(
    project: Path, target: Target, logs: pytest.LogCaptureFixture
) -> None:
    """A URL given as the snapshot, plan, proof, output file or directory: refused, masked.

    Each was quoted back whole (``postgresql:/app:<password>@db/x: cannot read the plan
    file``, the "//" folded by Path), and pull and init made a directory named after it.
    """
    url = target.url
    kv = kv_form(url_form(url, password=""), password=MARKER)
    at = ["--database-url", url]
    write_project(project, next_table=True)
    shadow = target.server.url(user=target.role, password=MARKER)
    made = invoke(["plan", "sql", "-o", "plan.json", "--shadow-url", shadow, *at])
    assert made.exit_code == 0, made.output
    for wrong in (url, kv):
        for command in (
            ["drift", "--snapshot", wrong, *at],
            ["snapshot", "-o", wrong, *at],
            ["snapshot", "-o", f"{wrong}.json", *at],
            ["plan", "sql", "-o", wrong, "--shadow-url", shadow, *at],
            ["prove", "plan.json", "-o", wrong, "--clone-url", shadow, *at],
            ["apply", "--plan", wrong, *at],
            ["apply", "--plan", "plan.json", "--require-proof", wrong, *at],
            ["prove", wrong, *at],
            ["pull", wrong, *at],
            ["pull", wrong, "--dry-run", *at],
            ["init", wrong, "--from", url],
        ):
            refused = invoke(command)
            assert refused.exit_code == 2, (command, refused.output)
    written = sorted(p.name for p in project.iterdir())
    assert written == ["plan.json", "schemactl.toml", "sql"], written
