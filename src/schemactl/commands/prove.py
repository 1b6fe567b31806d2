"""``schemactl prove``: try a plan on a throwaway clone of its target before it runs there."""

from __future__ import annotations

from pathlib import Path

import click

from schemactl.cli_options import database_url_option, format_option


@click.command("prove")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, path_type=Path))
@database_url_option
@click.option(
    "--rows",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Rows copied per table to the clone (plus the parent rows their foreign keys need).",
)
@click.option("--full", is_flag=True, help="Copy every row (overrides --rows).")
@click.option(
    "--clone-url",
    metavar="URL",
    help="Server to build the clone on (a fresh database, always dropped). Default: the "
    "embedded server. Its role must be a superuser.",
)
@click.option(
    "--clone-on-target",
    is_flag=True,
    help="Build the clone on the database's own server (same version and hardware: truer "
    "timings). A new database there, always dropped; the role must be a superuser.",
)
@click.option(
    "--allow-destructive",
    is_flag=True,
    help="Prove a plan with destructive changes too (their lost rows are counted); else exit 3.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    default="proof.json",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the proof (for apply --require-proof).",
)
@format_option("text", "json", help="What to print: a report, or the proof itself.")
@click.pass_context
def prove_command(
    ctx: click.Context,
    plan_file: Path,
    database_url: str | None,
    rows: int,
    full: bool,
    clone_url: str | None,
    clone_on_target: bool,
    allow_destructive: bool,
    output: Path,
    fmt: str,
) -> None:
    """Apply PLAN (from `schemactl plan -o`) to a throwaway clone of the database and check it.

    The clone (on the embedded server, or --clone-url) gets the database's schema and
    --rows rows per table; the plan's statements run there as apply runs them. Then:
    state (the clone's schema against the plan's desired one), data (per table, rows
    before and after: checksum for untouched tables, count for altered ones, "empty:
    nothing proved" for empty ones), time (each statement's duration and lock, scaled to
    the database's row counts). A failing statement is named with the rows at fault,
    counted on the database (read-only: nothing is written to it). The clone is always
    dropped. Writes the proof to --output for `schemactl apply --plan PLAN
    --require-proof FILE`. Exits 0 when proved, 1 when not, 2 on an error (or a database
    that changed since the plan), 3 for destructive changes without --allow-destructive.
    """
    from schemactl.errors import EXIT_FINDINGS, EXIT_OK
    from schemactl.prove.plan import prove, write_proof
    from schemactl.prove.report import render_proof
    from schemactl.prove.run import proof_to_json

    proof = prove(
        plan_file,
        database_url,
        rows=None if full else rows,
        clone_url=clone_url,
        clone_on_target=clone_on_target,
        allow_destructive=allow_destructive,
    )
    write_proof(proof, output)
    if fmt == "json":
        click.echo(proof_to_json(proof), nl=False)
    else:
        click.echo(render_proof(proof), nl=False)
        click.echo(f"proof written to {output}")
    ctx.exit(EXIT_OK if proof.ok else EXIT_FINDINGS)
