"""``schemactl init``: the thin CLI twin of :func:`schemactl.init.init`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "from_url",
    metavar="URL",
    help="Pull the schema of this database into sql/ (init + schemactl pull).",
)
def init_command(directory: Path, from_url: str | None) -> None:
    """Scaffold a schemactl project in DIRECTORY (default: the current one).

    Writes sql/ folders (tables, policies, views, functions, types, partitions), the
    settings ([tool.schemactl] appended to pyproject.toml, else schemactl.toml),
    tests/test_rls.py on the pytest plugin's fixtures, .github/workflows/schemactl.yml
    (lint, order --strict, the policy tests, diff against a shadow database) and
    .pre-commit-config.yaml. With --from URL the database's schema is pulled into sql/.
    Refuses (exit 3, nothing written) when a file it would write already exists.
    """
    from schemactl.errors import FindingsError
    from schemactl.init import init

    result = init(directory, from_url=from_url)
    for folder in result.folders:
        click.echo(f"created {result.project_dir}/{folder}/")
    for relpath in result.written:
        word = "updated" if relpath == "pyproject.toml" else "wrote"
        click.echo(f"{word} {result.project_dir}/{relpath}")
    click.echo("next: python -m pytest (the policy tests), schemactl order sql --strict")
    for label in result.unsupported:
        click.echo(f"schemactl: warning: not written (a kind pull cannot write): {label}", err=True)
    if result.unsupported:
        raise FindingsError(
            f"init: {len(result.unsupported)} object(s) of the database not written to sql/",
            hint="add them by hand (docs/pull.md lists the kinds pull writes)",
        )
