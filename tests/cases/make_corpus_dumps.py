"""Regenerate tests/cases/corpus_dump/ from tests/cases/corpus/: every corpus schema as pg_dump writes it.

The shuffle test (tests/db/test_shuffle.py) orders and applies pg_dump output as well as the
hand-written corpus: pg_dump's style differs (schema-qualified everything, ALTER TABLE ONLY ...
ADD CONSTRAINT after the tables, OWNER TO after every object, CREATE INDEX ON ONLY + ATTACH,
sequences and defaults as separate statements, functions before the tables they read).

Usage, from the repository root (the dumps are checked in; rerun after changing the corpus and
review the diff):

    .venv/bin/python tests/cases/make_corpus_dumps.py                # every corpus file
    .venv/bin/python tests/cases/make_corpus_dumps.py 07_ 31_        # names containing 07_ or 31_
    .venv/bin/python tests/cases/make_corpus_dumps.py --dsn URL --pg-dump /usr/bin/pg_dump

For each corpus file ``NN_name.sql``:

1. A fresh database on the server (default: the PostgreSQL 15 of CI) runs the file as written in
   one transaction, after the auth shim for files marked ``-- corpus: auth-shim``.
2. ``pg_dumpall --roles-only``, restricted to the file's roles (``corpus_<name>_*``): pg_dump
   never dumps roles, a restore expects them to exist; their CREATE ROLE, ALTER ROLE, COMMENT
   and GRANT lines open the dump.
3. ``pg_dump --schema-only``, owners, privileges and comments kept (restoring them in pg_dump's
   order is part of what order must get right); schemas ``schemactl`` and ``auth`` excluded.
4. What apply refuses or what is not deterministic is stripped: ``\\restrict``/``\\unrestrict``
   (psql meta-commands with a random key, pg_dump 15.14 and later), the "Dumped from/by ...
   version" lines, and every session-state statement (``SET ...`` and ``SELECT
   pg_catalog.set_config(...)``; apply refuses them, and the dump names everything with its
   schema, so ``search_path = ''`` is not needed). Two of them matter:
   ``SET check_function_bodies = false`` lets a restore create functions before the tables their
   bodies read, as pg_dump orders them; the file gets the marker line
   ``-- corpus: check_function_bodies=off`` and the test's written-order apply honours it (apply
   of the ordered statements checks every body, which order must allow). ``SET
   default_table_access_method`` is how pg_dump gives a table its access method: without it a
   dumped table gets the server's default (heap), a known loss (43_cold_storage).
5. The dump is applied as written to another fresh database of the same server (the check of
   step 4), the file's roles and both databases are dropped, and the dump is written to
   ``tests/cases/corpus_dump/NN_name.sql``.

pg_dump's output is deterministic for one server version and one corpus.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pglast
import pglast.ast
import pglast.stream
import psycopg
from psycopg import sql

from schemactl.db.resources import script

CASES = Path(__file__).resolve().parent
CORPUS = CASES / "corpus"
DUMPS = CASES / "corpus_dump"
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_PG_DUMP = "/usr/bin/pg_dump"

AUTH_MARKER = "-- corpus: auth-shim"
NO_BODY_CHECK_MARKER = "-- corpus: check_function_bodies=off"
EXCLUDED_SCHEMAS = ("schemactl", "auth")

# Session-state statements of pg_dump's output: one line each, at the start of a line (with
# the blank line that follows one).
_SESSION_STATEMENT = re.compile(
    r"^(?:SET [a-z_]+ = .*;|SELECT pg_catalog\.set_config\('[a-z_]+', .*\);)\n\n?", re.M
)
_META_COMMAND = re.compile(r"^\\(?:un)?restrict .*\n", re.M)
_VERSION_LINE = re.compile(r"^-- Dumped (?:from database|by pg_dump) version .*\n", re.M)


def role_prefix(corpus_file: Path) -> str:
    """``corpus_<name>_``: every role the corpus file ``NN_<name>.sql`` creates starts so."""
    return f"corpus_{corpus_file.stem.split('_', 1)[1]}_"


def url_for(dsn: str, dbname: str) -> str:
    """``dsn`` pointing at database ``dbname``."""
    return psycopg.conninfo.make_conninfo(dsn, dbname=dbname)


def drop_roles(admin: psycopg.Connection[Any], dsn: str, prefix: str) -> None:
    """Drop the roles named ``prefix*`` and what they own or hold in every database."""
    pattern = prefix.replace("_", "\\_") + "%"
    roles = [
        r
        for (r,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (pattern,))
    ]
    if not roles:
        return
    databases = admin.execute(
        "SELECT DISTINCT d.datname FROM pg_shdepend AS s"
        " JOIN pg_database AS d ON d.oid = s.dbid JOIN pg_roles AS r ON r.oid = s.refobjid"
        " WHERE s.refclassid = 'pg_authid'::regclass AND r.rolname = ANY (%s)",
        (roles,),
    ).fetchall()
    for (database,) in databases:
        with psycopg.connect(url_for(dsn, database), autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")  # corpus event triggers off
            for role in roles:
                conn.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(role)))
    admin.execute(sql.SQL("DROP ROLE {}").format(sql.SQL(", ").join(map(sql.Identifier, roles))))


@contextmanager
def fresh_database(admin: psycopg.Connection[Any], dsn: str) -> Iterator[str]:
    """A new empty database (from template0); its URL. Dropped on exit."""
    name = f"corpus_dump_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield url_for(dsn, name)
    finally:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def run_as_written(url: str, text: str) -> None:
    """Execute ``text`` in one transaction, as the shuffle test's reference does."""
    with psycopg.connect(url) as conn, conn.transaction():
        if AUTH_MARKER in text:
            conn.execute(script("auth_shim"))
        if NO_BODY_CHECK_MARKER in text:
            conn.execute("SET LOCAL check_function_bodies = off")
        conn.execute(text.encode())


def dump_roles(pg_dumpall: str, dsn: str, prefix: str) -> str:
    """The lines of ``pg_dumpall --roles-only`` about the roles named ``prefix*``."""
    out = subprocess.run(
        [pg_dumpall, "--roles-only", "--dbname", dsn], check=True, capture_output=True, text=True
    ).stdout
    mentions = re.compile(rf"\b{re.escape(prefix)}\w+")
    lines = [
        line for line in out.splitlines() if mentions.search(line) and not line.startswith("--")
    ]
    return "\n".join(lines) + "\n" if lines else ""


def dump_schema(pg_dump: str, url: str) -> str:
    """``pg_dump --schema-only`` of ``url``, with the session statements stripped."""
    args = [pg_dump, "--schema-only", "--dbname", url]
    args += [f"--exclude-schema={s}" for s in EXCLUDED_SCHEMAS]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    out = _META_COMMAND.sub("", out)
    out = _VERSION_LINE.sub("", out)
    expected = _session_statements(out)
    out, stripped = _SESSION_STATEMENT.subn("", out)
    if stripped != expected or _session_statements(out):
        # a line inside a function body looked like one: refuse rather than corrupt the dump
        raise SystemExit(f"{url}: stripped {stripped} session statements, pg_dump wrote {expected}")
    return out.strip() + "\n"


def _session_statements(text: str) -> int:
    """How many top-level SET / set_config statements PostgreSQL's grammar sees in ``text``."""

    def is_session(node: Any) -> bool:
        if isinstance(node, pglast.ast.VariableSetStmt):
            return True
        return isinstance(node, pglast.ast.SelectStmt) and "set_config(" in str(
            pglast.stream.RawStream()(node)
        )

    return sum(1 for raw in pglast.parse_sql(text) if is_session(raw.stmt))


def make_dump(corpus_file: Path, dsn: str, pg_dump: str, pg_dumpall: str) -> str:
    """The checked-in text of the dump of ``corpus_file``."""
    text = corpus_file.read_text(encoding="utf-8")
    prefix = role_prefix(corpus_file)
    with psycopg.connect(dsn, autocommit=True) as admin:
        try:
            drop_roles(admin, dsn, prefix)
            with fresh_database(admin, dsn) as url:
                run_as_written(url, text)
                roles = dump_roles(pg_dumpall, dsn, prefix)
                schema = dump_schema(pg_dump, url)
                drop_roles(admin, dsn, prefix)
        finally:
            drop_roles(admin, dsn, prefix)
        header = [
            *([AUTH_MARKER] if AUTH_MARKER in text else []),
            NO_BODY_CHECK_MARKER,
            f"-- pg_dump --schema-only of tests/cases/corpus/{corpus_file.name}, its roles from",
            "-- pg_dumpall --roles-only, session statements stripped.",
            "-- Generated by tests/cases/make_corpus_dumps.py: do not edit.",
        ]
        dump = "\n".join(header) + "\n\n" + (roles + "\n" if roles else "") + schema
        try:
            with fresh_database(admin, dsn) as url:
                run_as_written(url, dump)
                drop_roles(admin, dsn, prefix)
        finally:
            drop_roles(admin, dsn, prefix)
    return dump


def main(argv: list[str] | None = None) -> int:
    """Regenerate the dumps named on the command line (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only corpus files whose name contains one")
    parser.add_argument("--dsn", default=DEFAULT_DSN, help=f"server (default {DEFAULT_DSN})")
    parser.add_argument("--pg-dump", default=DEFAULT_PG_DUMP, help="pg_dump of the server")
    args = parser.parse_args(argv)
    pg_dumpall = str(Path(args.pg_dump).with_name("pg_dumpall"))
    files = sorted(CORPUS.glob("*.sql"))
    if args.names:
        files = [f for f in files if any(n in f.name for n in args.names)]
    DUMPS.mkdir(exist_ok=True)
    for corpus_file in files:
        dump = make_dump(corpus_file, args.dsn, args.pg_dump, pg_dumpall)
        (DUMPS / corpus_file.name).write_text(dump, encoding="utf-8")
        print(f"{corpus_file.name}: {dump.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
