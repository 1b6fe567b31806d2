"""A column that holds a secret is readable by `anon` or `authenticated`.

Secret-looking columns are those whose name contains `password`, `passwd`, `secret`,
`credential` or `private_key`, or that hash a key, password, token or secret (`hash` plus
`key`, `password`, `token`, `secret` or `pin`, e.g. `api_key_hash`). A table or
column SELECT privilege (`has_column_privilege`) together with USAGE on the schema makes the
column readable: row level security only chooses rows, so a user reads the secret of every row
they can see, including their own tenant's keys and credentials.

Severity: error. Hashes can be brute-forced offline and encrypted credentials leak with their key.

Fix: grant SELECT on the other columns only (`GRANT SELECT (id, name, ...) ON t TO
authenticated`) and read the secret in a SECURITY DEFINER function when a server-side check
needs it. Other `*token*` / `*hash*` columns are rule SEC006.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemactl.lint.model import Hit, LintContext
from schemactl.lint.rules import relation_ref

SEVERITY = "error"

_SECRET_WORD = re.compile(r"password|passwd|secret|credential|private_?key")
_HASHED_SECRET = re.compile(r"key|password|passwd|token|secret|pin")


def is_secret_column(name: str) -> bool:
    """Whether a column name says it holds a secret or the hash of one."""
    lowered = name.lower()
    if _SECRET_WORD.search(lowered):
        return True
    return "hash" in lowered and _HASHED_SECRET.search(lowered.replace("hash", "")) is not None


def check(ctx: LintContext) -> Iterator[Hit]:
    """Secret columns of tables and views that an API role can SELECT."""
    for column in ctx.catalog.columns:
        if not is_secret_column(column.name):
            continue
        readers = ctx.column_readers(column)
        if readers:
            yield Hit(
                relation_ref(column.relation_qualname),
                f"column {column.relation_qualname}.{column.name} looks like a secret and is "
                f"readable by {', '.join(readers)}; grant SELECT on the other columns only",
            )
