"""``schemactl plan``: write the migration a diff computes as a plan file, for apply --plan."""

from __future__ import annotations

from pathlib import Path

import click

from schemactl.cli_options import SQL_DIR, database_url_option, shadow_url_option


@click.command("plan")
@SQL_DIR
@database_url_option
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the plan to FILE (default: print it).",
)
@shadow_url_option
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    metavar="SCHEMA",
    help="Compare only this schema (repeatable), as for diff.",
)
@click.option("--owners", is_flag=True, help="Compare owners too, as for diff.")
@click.option(
    "--concurrently",
    is_flag=True,
    help="Build new indexes on existing tables CONCURRENTLY and validate new constraints "
    "there after the transaction commits, as for diff.",
)
def plan_command(
    sql_dir: Path | None,
    database_url: str | None,
    output: Path | None,
    shadow_url: str | None,
    schemas: tuple[str, ...],
    owners: bool,
    concurrently: bool,
) -> None:
    """Write the SQL that migrates a database to SQL_DIR as a plan file, for apply --plan.

    The plan is what `schemactl diff` computes (files applied to a shadow database,
    compared with the live one), written as deterministic JSON: the ordered statements,
    each change with its action, kind, name, hazards and destructive flag, warnings,
    unsupported objects, the fingerprint of the database's schema now and of the desired
    one. `schemactl apply --plan FILE` runs exactly these statements, and refuses (exit
    2, nothing changed) if the database's schema changed since. A one-line summary goes
    to stderr. Exits 0 once the plan is written (destructive changes are listed in it;
    apply --plan needs --allow-destructive for them), 2 on an error.
    """
    from schemactl.diff.planfile import plan, plan_to_json, write_plan

    migration = plan(
        sql_dir,
        database_url=database_url,
        shadow_url=shadow_url,
        schemas=schemas or None,
        owners=owners,
        concurrently=concurrently,
    )
    for line in migration.result.warnings:
        click.echo(f"schemactl: warning: {line}", err=True)
    result = migration.result
    summary = f"plan: {len(result.changes)} change(s), {len(result.statements)} statement(s)"
    if result.destructive:
        summary += f", {len(result.destructive)} destructive (apply needs --allow-destructive)"
    if result.unsupported:
        summary += f", {len(result.unsupported)} not handled by diff (apply refuses)"
    if output is None:
        click.echo(plan_to_json(migration), nl=False)
        click.echo(summary, err=True)
        return
    write_plan(migration, output)
    click.echo(f"{summary}; written to {output}", err=True)
