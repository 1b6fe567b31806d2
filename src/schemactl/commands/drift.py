"""``schemactl drift``: has a database's schema moved away from a snapshot? (exit 0 / 1)."""

from __future__ import annotations

from pathlib import Path

import click

from schemactl.cli_options import database_url_option, format_option


@click.command("drift")
@database_url_option
@click.option(
    "--snapshot",
    "snapshot_path",
    metavar="FILE",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The snapshot to compare with (written by `schemactl snapshot`).",
)
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    metavar="SCHEMA",
    help="Compare only this schema (repeatable). Default: the snapshot's and the database's.",
)
@format_option(
    "text", "sql", "json", help="As `schemactl diff`: a grouped summary, SQL for psql, or JSON."
)
@click.option("--owners", is_flag=True, help="Compare owners too.")
@click.pass_context
def drift_command(
    ctx: click.Context,
    database_url: str | None,
    snapshot_path: Path,
    schemas: tuple[str, ...],
    fmt: str,
    owners: bool,
) -> None:
    """Compare a database with a snapshot: exit 0 when equal, 1 on drift (for cron, monitoring).

    Prints what diff would print: the SQL that would make the database equal to the
    snapshot again (nothing is changed). Exit 2 on an error (unreadable snapshot, no
    server).
    """
    from schemactl.core.diff_report import render_diff
    from schemactl.errors import EXIT_FINDINGS, EXIT_OK
    from schemactl.prove import drift

    result = drift(database_url, snapshot_path, schemas=schemas or None, owners=owners)
    click.echo(render_diff(result, fmt, allow_destructive=True), nl=False)
    ctx.exit(EXIT_FINDINGS if result.has_drift else EXIT_OK)
