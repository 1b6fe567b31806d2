"""A token or hash column is readable by `anon` or `authenticated`.

Columns whose name contains `token` or `hash` but that rule SEC005 does not treat as
secrets: a share token, an invitation token, a hash of something. Some are meant to be read (a
share link's token by the project that made it), others are bearer secrets. Checksums of
content (`file_hash`, `chunk_hash`, `content_hash`, `sha256` ...) and token counts
(`tokens_used`, `max_tokens`) are not reported.

Severity: warning. It needs a human decision: hide the column with column grants, or silence the
finding with `-- noqa: SEC006` in the statement that creates the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref
from schemactl.lint.rules.sec005_secret_column_readable import is_secret_column

SEVERITY = "warning"

_CHECKSUM = re.compile(r"^(file|chunk|content|data|body|blob|object|payload|row|etag)_?hash")
_TOKEN_COUNT = re.compile(r"tokens|token_(count|limit|usage)")


def is_token_column(name: str) -> bool:
    """Whether a column name mentions a token or hash that may be a bearer secret."""
    lowered = name.lower()
    if is_secret_column(lowered):
        return False
    if "hash" in lowered and not _CHECKSUM.search(lowered):
        return True
    return "token" in lowered and not _TOKEN_COUNT.search(lowered)


def check(ctx: LintContext) -> Iterator[Hit]:
    """Token/hash columns (not checksums, not SEC005 secrets) an API role can SELECT."""
    for column in ctx.catalog.columns:
        if not is_token_column(column.name):
            continue
        readers = ctx.column_readers(column)
        if readers:
            yield Hit(
                relation_ref(column.relation_qualname),
                f"column {column.relation_qualname}.{column.name} may hold a bearer token and "
                f"is readable by {', '.join(readers)}",
            )
