"""``schemactl snapshot``: the schema of a database as a deterministic JSON file."""

from __future__ import annotations

from pathlib import Path

import click

from schemactl.cli_options import database_url_option


@click.command("snapshot")
@database_url_option
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    metavar="SCHEMA",
    help="Snapshot only this schema (repeatable). Default: the schemas diff compares.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Where to write the snapshot (a .json file; - for stdout).",
)
def snapshot_command(database_url: str | None, schemas: tuple[str, ...], output: Path) -> None:
    """Write the schema of a database (its catalog model, no rows) to a JSON file.

    The same schema always gives the same bytes, with a fingerprint (sha256 of the
    content) inside; sequences' current values, rows and secrets are left out. The file
    is accepted wherever diff takes a database: `schemactl diff --from schema.json --to
    URL`, `schemactl diff sql/ --database-url schema.json`, and by `schemactl drift`.
    """
    from schemactl.core.catalog_json import dumps, fingerprint
    from schemactl.prove import snapshot, write_snapshot

    model = snapshot(database_url, schemas=schemas or None)
    if str(output) == "-":
        click.echo(dumps(model), nl=False)
        return
    write_snapshot(model, output)
    click.echo(
        f"{output}: {len(model.schemas)} schema(s), {len(model.tables)} table(s), "
        f"fingerprint {fingerprint(model)}"
    )
