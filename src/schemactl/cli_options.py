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
