"""Generate docs/cli.md from the Click commands: ``python -m schemactl.cli_docs > docs/cli.md``."""

from __future__ import annotations

from collections.abc import Iterator

import click

from schemactl.cli import main

HEADER = """# Command reference

Generated from the commands' own help by `python -m schemactl.cli_docs > docs/cli.md`;
a test fails when this file is stale. Exit codes: 0 ok, 1 findings, 2 usage or input
error, 3 refused unsafe operation (see `src/schemactl/errors.py`).
"""


def _walk(
    command: click.Command, path: list[str], parent: click.Context | None
) -> Iterator[tuple[list[str], click.Context]]:
    # context_settings as Click applies them (help option names are inherited from the
    # parent), so the text does not depend on which command ran first in this process
    settings = {"terminal_width": 100, **command.context_settings}
    ctx = click.Context(command, info_name=path[-1], parent=parent, **settings)
    yield path, ctx
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, [*path, name], ctx)


def command_paths() -> list[str]:
    """Every command, e.g. ``schemactl dev status``."""
    return [" ".join(path) for path, _ in _walk(main, ["schemactl"], None)]


def render() -> str:
    """The whole reference as Markdown."""
    parts = [HEADER]
    for path, ctx in _walk(main, ["schemactl"], None):
        parts.append(f"\n## `{' '.join(path)}`\n\n```\n{ctx.get_help()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
