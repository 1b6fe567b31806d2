"""Options and arguments shared by the commands of :mod:`schemactl.cli` and :mod:`schemactl.commands`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

# not file_okay=False: a file there is reported by discover, in one line like every error
SQL_DIR = click.argument("sql_dir", required=False, type=click.Path(path_type=Path))


def database_url_option(func: F) -> F:
    """``--database-url``; else DATABASE_URL / SCHEMACTL_DATABASE_URL / config / embedded."""
    return click.option(
        "--database-url",
        metavar="URL",
        help="Target database. Default: $SCHEMACTL_DATABASE_URL or $DATABASE_URL, then config, "
        "then the embedded server. An empty URL (from any of these) is an error.",
    )(func)


def format_option(*choices: str, help: str) -> Callable[[F], F]:
    """``--format`` among ``choices`` (the first is the default), stored as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def shadow_url_option(func: F) -> F:
    """``--shadow-url``: where a diff builds the desired state from the SQL files."""
    return click.option(
        "--shadow-url",
        metavar="URL",
        help="Server to build the desired state on (a fresh database, dropped afterwards). "
        "Default: the embedded server. Use one of the target's major version.",
    )(func)
