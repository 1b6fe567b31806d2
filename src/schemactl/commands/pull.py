"""``schemactl pull``: the thin CLI twin of :func:`schemactl.pull.pull`."""

from __future__ import annotations

from pathlib import Path

import click

from schemactl.cli_options import SQL_DIR, database_url_option


@click.command("pull")
@SQL_DIR
@database_url_option
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    metavar="SCHEMA",
    help="Pull only this schema (repeatable). Default: every schema diff manages.",
)
@click.option("--force", is_flag=True, help="Replace the .sql files of a non-empty SQL_DIR.")
@click.option("--dry-run", is_flag=True, help="List the files it would write; write nothing.")
def pull_command(
    sql_dir: Path | None,
    database_url: str | None,
    schemas: tuple[str, ...],
    force: bool,
    dry_run: bool,
) -> None:
    """Write the schema of a live database as SQL files in SQL_DIR.

    The layout is this project's: tables/<name>.sql (table, constraints, indexes,
    comments, column grants), policies/<table>.sql (RLS, policies, grants, triggers),
    partitions/, views/, functions/, types/, sequences/, schemas/, extensions/. The same
    database gives the same bytes; `schemactl order` orders the files. A SQL_DIR that
    already holds .sql files is refused (exit 3) unless --force, which replaces them.
    Objects of kinds pull cannot write are listed on stderr and the exit code is 1.
    """
    from schemactl.errors import FindingsError
    from schemactl.pull import pull

    result = pull(sql_dir, database_url=database_url, schemas=schemas or None, force=force,
                  dry_run=dry_run)  # fmt: skip
    prefix = "would write" if result.dry_run else "wrote"
    for relpath in result.files:
        click.echo(f"{result.sql_dir}/{relpath}")
    for relpath in result.removed:
        click.echo(f"{'would remove' if result.dry_run else 'removed'} {result.sql_dir}/{relpath}")
    click.echo(f"{prefix} {len(result.files)} file(s) to {result.sql_dir}/")
    for label in result.unsupported:
        click.echo(f"schemactl: warning: not written (a kind pull cannot write): {label}", err=True)
    if result.unsupported:
        count = len(result.unsupported)
        raise FindingsError(
            f"pull: {count} object(s) not written; add them to {result.sql_dir}/ by hand",
            hint="see docs/pull.md for the kinds pull writes",
        )
