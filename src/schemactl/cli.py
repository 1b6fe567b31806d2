"""The ``schemactl`` command: thin Click wrappers around :mod:`schemactl.api`.

Each command parses options, calls one library function, prints, and maps
:class:`~schemactl.errors.SchemactlError` to its exit code. No logic lives here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from schemactl import __version__
from schemactl.cli_options import SQL_DIR, database_url_option, format_option, shadow_url_option
from schemactl.config import DEFAULT_LOCK_TIMEOUT
from schemactl.errors import SchemactlError


class OneLineUsageError(click.UsageError):
    """A usage error shown like every other error: one line, then a hint (exit 2).

    Click's own shows the usage, a "Try ..." line, a blank line and "Error: ...".
    """

    def show(self, file: Any = None) -> None:
        command = self.ctx.command_path if self.ctx is not None else "schemactl"
        from schemactl.db.connect import mask_secrets  # lazily: psycopg is slow to import

        message = mask_secrets(" ".join(self.format_message().split()))
        click.echo(f"schemactl: {message}\n  hint: see '{command} --help'", err=True)


def _one_line_usage(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
        return exc  # no arguments at all: Click shows the help, as it should
    return OneLineUsageError(exc.format_message(), exc.ctx)


class SchemactlGroup(click.Group):
    """Turns a SchemactlError or a usage error into one line on stderr and its exit code."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SchemactlError as exc:
            # a URL given where a path belongs is quoted back: never with its password
            from schemactl.db.connect import mask_secrets

            click.echo(f"schemactl: {mask_secrets(exc.format())}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None


@click.group(cls=SchemactlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="schemactl")
def main() -> None:
    """Schema-first SQL migrations and policy checks for PostgreSQL."""


@main.command()
@SQL_DIR
@format_option(
    "text", "json", "dot", "mermaid",
    help="Output format: a table, JSON, Graphviz dot or a Mermaid flowchart.",
)
@click.option("--strict", is_flag=True, default=None, help="References no file creates are errors.")
def order(sql_dir: Path | None, fmt: str, strict: bool | None) -> None:
    """Print the statements of SQL_DIR in dependency order.

    Every .sql file under SQL_DIR is read, symlinks followed; a directory or file that
    cannot be read, a dangling symlink or a loop is an error naming it (exit 2).

    Exits 2 on a statement that cannot be parsed (file:line:col), on a
    dependency cycle (naming every object and file in it) and, with --strict,
    on a reference that no file creates.
    """
    from schemactl import api
    from schemactl.core.render import render_plan

    plan = api.order(sql_dir, strict=strict)
    for warning in plan.warnings:
        click.echo(f"schemactl: warning: {warning}", err=True)
    click.echo(render_plan(plan, fmt), nl=False)


@main.command()
@SQL_DIR
@database_url_option
@click.option("--dry-run", is_flag=True, help="Print the SQL that would run; change nothing.")
@click.option(
    "--lock-timeout",
    metavar="DURATION",
    help=f"How long a statement waits for a table lock: lock_timeout "
    f"(default {DEFAULT_LOCK_TIMEOUT}).",
)
@click.option(
    "--lock-wait",
    metavar="DURATION",
    help="How long to wait for another apply on the same database to finish (default 60s).",
)
@click.option(
    "--lock-retries",
    metavar="N",
    type=click.IntRange(0, 1000),
    help="On a lock timeout, roll back and retry the whole apply up to N times, "
    "with backoff (default 0).",
)
@click.option("--statement-timeout", metavar="DURATION", help="statement_timeout for the run.")
@click.option(
    "--auth-shim",
    type=click.Choice(["auto", "always", "never"]),
    help="Install the Supabase auth compat layer: when auth.uid() is missing (auto), always, never.",
)
@click.option(
    "--owner",
    metavar="ROLE",
    help="Run the statements as ROLE (SET ROLE), so it owns what they create.",
)
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="A statement that had to wait for an object the order missed is an error.",
)
@click.option(
    "--allow-destructive",
    is_flag=True,
    help="Migrating: run destructive changes (drops of tables, columns...) too; else exit 3.",
)
@click.option(
    "--shadow-url",
    metavar="URL",
    help="Migrating: server to build the desired state on (as for diff). Default: embedded.",
)
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    metavar="SCHEMA",
    help="Migrating: compare only this schema (repeatable), as for diff.",
)
@click.option(
    "--concurrently",
    is_flag=True,
    help="Migrating: build new indexes on existing tables CONCURRENTLY and validate new "
    "constraints there after the transaction commits, as for diff.",
)
@click.option(
    "--plan",
    "plan_file",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Run the plan `schemactl plan -o FILE` wrote, if the database did not change since.",
)
@click.option(
    "--require-proof",
    "proof_file",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="With --plan: refuse (exit 3) unless FILE (from `schemactl prove`) proved this plan "
    "on the database's current schema.",
)
def apply(
    sql_dir: Path | None,
    database_url: str | None,
    dry_run: bool,
    lock_timeout: str | None,
    lock_wait: str | None,
    lock_retries: int | None,
    statement_timeout: str | None,
    auth_shim: str | None,
    owner: str | None,
    strict: bool | None,
    allow_destructive: bool,
    shadow_url: str | None,
    schemas: tuple[str, ...],
    concurrently: bool,
    plan_file: Path | None,
    proof_file: Path | None,
) -> None:
    """Apply SQL_DIR to a database: create its schema, or migrate it to the files.

    On a database schemactl never applied to, the statements run in dependency
    order in one transaction under an advisory lock; on any error everything is
    rolled back and the failing file:line:col is printed. On a database with a
    ledger whose files changed, apply migrates it: it diffs the files against it
    (as `schemactl diff`) and runs the diff in one transaction under the same lock,
    recorded in the ledger with its statements; destructive changes exit 3 unless
    --allow-destructive, changes diff cannot migrate exit 3. --dry-run prints the
    SQL either path would run. With --plan FILE it runs a plan of `schemactl plan`
    instead, and refuses (exit 2, nothing changed) if the database's schema changed
    since the plan was made. Re-running on an up-to-date database changes
    nothing (files equal to the ledger's: no diff runs; drift made by hand is
    found by `schemactl diff`). A statement that fails because an object it
    needs does not exist yet is retried after the others, and each such wait is
    printed as a warning (an error with --strict).
    Transaction control, SET ROLE / search_path, COPY FROM STDIN and statements
    that cannot run in a transaction (VACUUM, CREATE INDEX CONCURRENTLY,
    CREATE DATABASE...) are refused before anything runs. A second apply on
    the same database waits for the first (--lock-wait), then finds it up to
    date; a statement that waits longer than --lock-timeout for a table lock
    fails naming the session that holds it (--lock-retries to retry).
    """
    from schemactl import api
    from schemactl.core.render import render_apply_result

    if proof_file is not None:
        from schemactl.errors import ConfigError
        from schemactl.prove.plan import require_proof

        if plan_file is None:
            raise ConfigError("--require-proof goes with --plan FILE: a proof is of a plan")
        require_proof(plan_file, proof_file, database_url)

    progress = None
    if sys.stderr.isatty() and not dry_run:

        def progress(i: int, n: int, where: str) -> None:
            end = "\n" if i == n else ""
            click.echo(f"\r\x1b[Kstatement {i} of {n}  {where}", err=True, nl=False)
            if end:
                click.echo("", err=True)

    result = api.apply(
        sql_dir,
        database_url=database_url,
        dry_run=dry_run,
        lock_timeout=lock_timeout,
        lock_wait=lock_wait,
        lock_retries=lock_retries,
        statement_timeout=statement_timeout,
        auth_shim=auth_shim,
        owner=owner,
        strict=strict,
        allow_destructive=allow_destructive,
        shadow_url=shadow_url,
        schemas=schemas or None,
        concurrently=concurrently,
        plan_file=plan_file,
        progress=progress,
        warn=lambda line: click.echo(f"schemactl: warning: {line}", err=True),
    )
    for line in (*result.warnings, *result.deferred):
        click.echo(f"schemactl: warning: {line}", err=True)
    click.echo(render_apply_result(result), nl=False)


@main.command("lint")
@SQL_DIR
@click.option(
    "--database-url",
    metavar="URL",
    help="Lint this live database as it is (an empty URL is an error). Default: apply SQL_DIR "
    "to a scratch database on the embedded server, lint it and drop it.",
)
@format_option(
    "text", "json", "sarif", "github",
    help="Output format: one line per finding, a JSON list, SARIF 2.1.0 (code scanning) or "
    "GitHub workflow annotations.",
)
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
def lint_command(
    sql_dir: Path | None, database_url: str | None, fmt: str, list_rules: bool
) -> None:
    """Check the schema of SQL_DIR (or a live database) for RLS, security and index problems.

    Prints "file:line:col: CODE severity: message" per finding and a summary. Exits 1 when
    there are errors, 0 when there are only warnings. `-- noqa: CODE` in the statement that
    creates an object silences that finding; docs/lint.md documents every rule.
    """
    from schemactl.errors import FindingsError
    from schemactl.lint import all_rules
    from schemactl.lint import lint as run_lint
    from schemactl.lint.render import (
        render_github,
        render_json,
        render_rules,
        render_sarif,
        render_text,
    )

    if list_rules:
        click.echo(render_rules(all_rules()), nl=False)
        return
    report = run_lint(sql_dir, database_url=database_url)
    if fmt == "sarif":
        click.echo(render_sarif(report, all_rules()), nl=False)
    else:
        renderers = {"json": render_json, "text": render_text, "github": render_github}
        click.echo(renderers[fmt](report), nl=False)
    if report.errors:
        count = len(report.errors)
        raise FindingsError(f"lint: {count} error{'s' if count != 1 else ''}")


class _PytestArgsCommand(click.Command):
    """Keeps every argument after ``--`` for pytest, out of Click's positional arguments."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta["schemactl.pytest_args"] = tuple(args[cut + 1 :])
            args = args[:cut]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), "[-- PYTEST ARGS]..."]


@main.group()
def rls() -> None:
    """Row level security tools: policy mutation testing."""


@rls.command("mutate", cls=_PytestArgsCommand)
@SQL_DIR
@click.option("--sample", type=click.IntRange(min=0), metavar="N", help="Run N mutants only.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the --sample choice.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Test runs in parallel (each uses databases of its own).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop a test run after SECONDS (counted as detected).",
)
@format_option(
    "text", "json", help="Output format: one line per mutant and a summary, or a JSON report."
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Only mutants of this operator (repeatable): using-true, check-true, drop-policy, "
    "rls-off, widen-roles, drop-window, widen-grant, loosen-guard. Default: all of them.",
)
@click.option("--list", "list_only", is_flag=True, help="List the mutants and exit; run nothing.")
@click.pass_context
def rls_mutate(
    ctx: click.Context,
    sql_dir: Path | None,
    sample: int | None,
    seed: int,
    jobs: int,
    timeout: float | None,
    fmt: str,
    kinds: tuple[str, ...],
    list_only: bool,
) -> None:
    """Weaken the RLS of SQL_DIR one mutant at a time and check that the tests notice.

    Structural mutants: USING (true), WITH CHECK (true), policy dropped, RLS disabled on
    its table. Semantic mutants: a role list (a policy's TO list, an ARRAY['owner', 'admin']
    or IN (...) list in a policy or function) gains the next weaker role (widen-roles); a
    validity-window term such as `valid_until > now()` or `revoked_at IS NULL` becomes true
    (drop-window); a column GRANT gains a hidden column, a column REVOKE is dropped
    (widen-grant); a guard trigger's RAISE becomes unreachable, or its trigger is not
    created (loosen-guard). Each runs `python -m pytest -x -q -p no:cacheprovider
    tests/rls` (or the pytest arguments after `--`) with SCHEMACTL_SQL_DIR set to a mutated
    copy of SQL_DIR, after a baseline run on the unmutated copy (which must pass, else exit
    2). Prints KILLED / SURVIVED / STILLBORN (mutated SQL does not apply) per mutant and a
    summary with killed/total per operator. Exits 1 if any mutant survives, 2 if a test run
    broke (e.g. no tests collected).
    """
    import json

    from schemactl.errors import FindingsError
    from schemactl.rls import mutate as mut

    chosen = kinds or None
    if list_only:
        mutants = mut.planned_mutants(sql_dir, sample=sample, seed=seed, kinds=chosen)
        click.echo(mut.render_mutants(mutants), nl=False)
        return

    def show(result: mut.MutantResult) -> None:
        click.echo(mut.render_result(result))

    report = mut.mutate(
        sql_dir,
        ctx.meta.get("schemactl.pytest_args"),
        sample=sample,
        seed=seed,
        jobs=jobs,
        timeout=timeout,
        on_result=show if fmt == "text" else None,
        kinds=chosen,
    )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(mut.render_summary(report), nl=False)
    if report.survived:
        count = len(report.survived)
        raise FindingsError(f"rls mutate: {count} mutant{'s' if count != 1 else ''} survived")
    if report.errors:
        raise mut.MutationError(
            f"rls mutate: {len(report.errors)} test run(s) broke: {report.errors[0].reason}"
        )


@main.group()
def dev() -> None:
    """Manage the embedded PostgreSQL server of this project (.schemactl/pgdata)."""


@dev.command("status")
def dev_status() -> None:
    """Say whether the embedded server runs, where, and its version."""
    from schemactl.db import embedded

    click.echo(embedded.status_line())


@dev.command("url")
def dev_url() -> None:
    """Start the embedded server if needed and print its connection URL."""
    from schemactl.db import embedded

    click.echo(embedded.start())


@dev.command("stop")
def dev_stop() -> None:
    """Stop the embedded server (its data stays in .schemactl/pgdata)."""
    from schemactl.db import embedded

    click.echo(embedded.stop())


@dev.command("psql", context_settings={"ignore_unknown_options": True})
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
def dev_psql(psql_args: tuple[str, ...]) -> None:
    """Open psql (the embedded server's own) on the embedded server."""
    from schemactl.db import embedded

    sys.exit(embedded.psql(list(psql_args)))



@main.command("diff")
@SQL_DIR
@database_url_option
@click.option("--from", "from_url", metavar="URL", help="Compare two live databases: this one...")
@click.option("--to", "to_url", metavar="URL", help="...with this one (the desired state).")
@shadow_url_option
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    metavar="SCHEMA",
    help="Compare only this schema (repeatable). Default: the schemas setting, else those "
    "the files create or put objects in plus public (with --from/--to: every schema); never "
    "schemactl's ledger, auth and platform schemas (storage, realtime, extensions...).",
)
@format_option(
    "text", "sql", "json", "github",
    help="A grouped summary (+ create, ~ alter, - drop, with hazards), SQL for psql, JSON, "
    "or GitHub workflow annotations.",
)
@click.option(
    "--allow-destructive", is_flag=True, help="Destructive changes are expected: exit 1, not 3."
)
@click.option(
    "--owners",
    is_flag=True,
    help="Compare owners too (ALTER ... OWNER TO). With SQL_DIR the shadow is built as the "
    "configured owner (the owner setting), else as the connecting role.",
)
@click.option(
    "--concurrently",
    is_flag=True,
    help="Build new indexes on existing tables with CREATE INDEX CONCURRENTLY and validate "
    "new foreign keys and checks there, after the transaction commits (each step alone).",
)
@click.pass_context
def diff_command(
    ctx: click.Context,
    sql_dir: Path | None,
    database_url: str | None,
    from_url: str | None,
    to_url: str | None,
    shadow_url: str | None,
    schemas: tuple[str, ...],
    fmt: str,
    allow_destructive: bool,
    owners: bool,
    concurrently: bool,
) -> None:
    """Show the SQL that makes a database's schema equal to SQL_DIR (or to another database).

    `schemactl diff [SQL_DIR] --database-url URL` applies SQL_DIR to a throwaway shadow
    database and compares it with the live one; `schemactl diff --from URL --to URL`
    compares two live databases (what must run on --from to match --to). Nothing is
    changed. Objects of kinds diff does not handle are listed, never skipped silently.
    Exits 0 when the schemas are equal, 1 when they differ, 2 on an error, 3 when there
    are destructive changes (drops of tables, columns, schemas, types, policies,
    functions; lossy type changes) and no --allow-destructive (they are still printed).
    """
    from schemactl.core.diff_report import render_diff
    from schemactl.diff import diff
    from schemactl.errors import EXIT_FINDINGS, EXIT_OK, EXIT_REFUSED

    result = diff(
        sql_dir,
        database_url=database_url,
        from_url=from_url,
        to_url=to_url,
        shadow_url=shadow_url,
        schemas=schemas or None,
        owners=owners,
        concurrently=concurrently,
    )
    for line in result.warnings:
        click.echo(f"schemactl: warning: {line}", err=True)
    click.echo(render_diff(result, fmt, allow_destructive=allow_destructive), nl=False)
    if result.destructive and not allow_destructive:
        ctx.exit(EXIT_REFUSED)
    ctx.exit(EXIT_FINDINGS if result.has_drift else EXIT_OK)


# Commands that live in their own modules (schemactl/commands/): register each here.
def _register_commands() -> None:
    from schemactl.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
