"""Shuffle property test (issue 10): order + apply builds the schema the files mean.

The corpus (``tests/cases/corpus``: hand-written mini-apps; ``tests/cases/corpus_dump``: their
pg_dump output, see ``tests/cases/make_corpus_dumps.py``) is the reference. A corpus file's
statements are split with ``schemactl.core.parse.parse_file`` and written one per file under
random names in random subfolders; ``build_plan`` orders them and ``apply_plan`` applies them
to a fresh database. The full catalog snapshot (``schemactl.db.snapshot``) must equal the one
of the corpus file executed as written (one transaction, psycopg, no schemactl involved; the
snapshot is taken in that transaction, then it is rolled back, on one scratch database).

* ``test_applies_as_written``: every corpus file applies in its written order on the server
  under test (PostgreSQL 15 and 18 in CI); its snapshot is the reference of the other tests.
* ``test_reversed_order``: each file's statements in reversed written order (file names sort
  that way), one deterministic case per corpus file.
* ``test_shuffled_order``: hypothesis draws a corpus file and random paths;
  ``SCHEMACTL_SHUFFLE_EXAMPLES`` examples (150 by default; ``make shuffle`` runs 1000);
  ``SCHEMACTL_SHUFFLE_CORPUS=06_,dump/33`` draws only files whose label contains one of them.
* ``test_snapshot_sees_silent_order_changes``: statements whose position changes the schema
  without an error (default privileges, LIKE, GRANT ON ALL TABLES, an index ON ONLY) moved
  where order must not put them: the snapshots differ, so the tests above can fail for them.

Apply runs with ``strict=True``: its safety net (deferring a statement whose object does not
exist yet) would otherwise hide the very edges this test is about. Shrinking is off (each
example costs a database; the failure report names the statements and their corpus lines
instead); ``SCHEMACTL_SHUFFLE_SHRINK=1`` turns it on.

Roles are cluster-wide: a corpus file names its roles ``corpus_<name>_<role>`` (``name``: the
file name without its number). Each apply of ordered files is followed by ``DROP OWNED BY`` in
every database where those roles own or hold something (event triggers off) and ``DROP ROLE``;
databases are dropped in the background. A session-level advisory lock per corpus file keeps
two test runs on one server from creating the same roles at once.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, currently_in_test_context, given, note, settings
from hypothesis import strategies as st
from psycopg import sql

from schemactl.core.parse import parse_file
from schemactl.core.plan import build_plan
from schemactl.db.apply import apply_plan
from schemactl.db.connect import connect
from schemactl.db.resources import script
from schemactl.db.snapshot import CatalogSnapshot, catalog_snapshot, snapshot_diff
from schemactl.errors import SchemactlError
from schemactl.model import SqlFile
from schemactl.testing.server import DatabaseReaper, TestServer, create_database, unique_name

pytestmark = pytest.mark.db

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
CORPUS_DIRS = (CASES_DIR / "corpus", CASES_DIR / "corpus_dump")
AUTH_MARKER = "-- corpus: auth-shim"
# pg_dump's output creates functions before the tables their bodies read: restored with
# psql, its SET check_function_bodies = false allows that (see make_corpus_dumps.py)
NO_BODY_CHECK_MARKER = "-- corpus: check_function_bodies=off"
EXCLUDED_SCHEMAS = ("schemactl", "auth")

ENV_EXAMPLES = "SCHEMACTL_SHUFFLE_EXAMPLES"
ENV_SHRINK = "SCHEMACTL_SHUFFLE_SHRINK"
ENV_ONLY = "SCHEMACTL_SHUFFLE_CORPUS"
EXAMPLES = int(os.environ.get(ENV_EXAMPLES) or 150)

# pg_advisory_lock(key1, key2) namespace of the corpus role locks
ROLE_LOCK_CLASS = 0x5C0C


@dataclass(frozen=True)
class CorpusFile:
    """One corpus file: its text, where it came from, what it needs around it."""

    path: Path

    @property
    def label(self) -> str:
        """``corpus/01_bookshop.sql``: how tests and messages name it."""
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def role_prefix(self) -> str:
        """Every role the file creates starts with this (``corpus_bookshop_``)."""
        return f"corpus_{self.path.stem.split('_', 1)[1]}_"

    @property
    def role_pattern(self) -> str:
        """``role_prefix`` as a LIKE pattern (underscores escaped)."""
        return self.role_prefix.replace("_", "\\_") + "%"

    @property
    def auth_shim(self) -> str:
        """``always`` for the files written against Supabase's auth schema, else ``never``."""
        return "always" if AUTH_MARKER in self.text else "never"


CORPUS = tuple(CorpusFile(p) for d in CORPUS_DIRS for p in sorted(d.glob("*.sql")))
# SCHEMACTL_SHUFFLE_CORPUS=06_,dump/33 shuffles only the files whose label contains one of them
ONLY = tuple(filter(None, os.environ.get(ENV_ONLY, "").split(",")))
SHUFFLED = tuple(c for c in CORPUS if not ONLY or any(o in c.label for o in ONLY))


def test_corpus_is_big_enough() -> None:
    """Issue 10: at least 40 hand-written schemas and 400 statements, and a dump of each."""
    written = [f for f in CORPUS if f.path.parent.name == "corpus"]
    dumped = {f.path.name for f in CORPUS if f.path.parent.name == "corpus_dump"}
    assert len(written) >= 40
    assert sum(len(split_statements(f)) for f in written) >= 400
    assert dumped == {f.path.name for f in written}


@cache
def split_statements(corpus: CorpusFile) -> tuple[tuple[str, int], ...]:
    """(text, line) of each statement, split by schemactl's own parser."""
    text = corpus.text
    file = SqlFile(relpath=corpus.path.name, display=corpus.label, text=text, sha256="")
    return tuple((st.sql, st.line) for st in parse_file(file))


# -- databases and roles ------------------------------------------------------------------


def drop_corpus_roles(admin: psycopg.Connection[Any], server: TestServer, pattern: str) -> None:
    """Drop the roles matching ``pattern`` and what they own or hold in every database."""
    roles = [
        r
        for (r,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (pattern,))
    ]
    if not roles:
        return
    databases = admin.execute(
        "SELECT DISTINCT d.datname FROM pg_shdepend AS s"
        " JOIN pg_database AS d ON d.oid = s.dbid"
        " JOIN pg_roles AS r ON r.oid = s.refobjid"
        " WHERE s.refclassid = 'pg_authid'::regclass AND r.rolname = ANY (%s)",
        (roles,),
    ).fetchall()
    names = sql.SQL(", ").join(sql.Identifier(r) for r in roles)
    for (database,) in databases:
        with connect(server.url_for(database), autocommit=True, lock_timeout=None) as conn:
            # the corpus's event triggers (one forbids DROP TABLE) stay out of the clean-up
            conn.execute("SET session_replication_role = replica")
            # one role per statement: with several, a default ACL naming two of them is
            # found twice ("could not find tuple for default ACL")
            for role in roles:
                conn.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(role)))
    admin.execute(sql.SQL("DROP ROLE {}").format(names))


@contextmanager
def role_lock(admin: psycopg.Connection[Any], corpus: CorpusFile) -> Iterator[None]:
    """Hold the corpus file's role lock (one apply of it at a time on the server)."""
    key = (ROLE_LOCK_CLASS, corpus.role_prefix)
    admin.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", key)
    try:
        yield
    finally:
        admin.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", key)


def snapshot_of(conn: psycopg.Connection[Any], corpus: CorpusFile) -> CatalogSnapshot:
    """The catalog snapshot the shuffle tests compare (the corpus's roles included)."""
    return catalog_snapshot(conn, exclude_schemas=EXCLUDED_SCHEMAS, roles=corpus.role_pattern)


@dataclass
class Databases:
    """The corpus tests' databases on the session's server; cleans up roles after each use."""

    server: TestServer
    admin: psycopg.Connection[Any]
    reaper: DatabaseReaper
    scratch: str | None = None  # database of the written-order applies, always rolled back

    def build(self, corpus: CorpusFile, apply: Callable[[str], None]) -> CatalogSnapshot:
        """Run ``apply(url)`` on a fresh database; the catalog snapshot it leaves."""
        with role_lock(self.admin, corpus):
            drop_corpus_roles(self.admin, self.server, corpus.role_pattern)  # a crashed run's
            name = unique_name("sct_shuffle")
            create_database(
                self.admin, name, template="template0", strategy=self.server.clone_strategy
            )
            try:
                url = self.server.url_for(name)
                apply(url)
                with psycopg.connect(url) as conn:
                    return snapshot_of(conn, corpus)
            finally:
                drop_corpus_roles(self.admin, self.server, corpus.role_pattern)
                self.reaper.drop(name)

    def as_written(self, corpus: CorpusFile, text: str | None = None) -> CatalogSnapshot:
        """The file's text (or ``text``) executed as one transaction with psycopg, no schemactl.

        The snapshot is taken inside that transaction, which is then rolled back: the scratch
        database is empty again (roles included) without a database per file.
        """
        text = corpus.text if text is None else text
        if self.scratch is None:
            self.scratch = unique_name("sct_written")
            create_database(self.admin, self.scratch, template="template0")
        with role_lock(self.admin, corpus):
            drop_corpus_roles(self.admin, self.server, corpus.role_pattern)  # a crashed run's
            with connect(self.server.url_for(self.scratch), lock_timeout=None) as conn:
                try:
                    if corpus.auth_shim == "always":
                        conn.execute(script("auth_shim"))
                    if NO_BODY_CHECK_MARKER in text:
                        conn.execute("SET LOCAL check_function_bodies = off")
                    conn.execute(text)
                    return snapshot_of(conn, corpus)
                except psycopg.Error as exc:
                    position = int(exc.diag.statement_position or 1)
                    line = text.count("\n", 0, position - 1) + 1
                    pytest.fail(
                        f"{corpus.label}:{line}: does not apply as written: "
                        f"{exc.diag.message_primary}",
                        pytrace=False,
                    )
                finally:
                    conn.rollback()


@pytest.fixture(scope="session")
def databases(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> Iterator[Databases]:
    """The corpus tests' databases (session-scoped: hypothesis examples share it)."""
    databases = Databases(schemactl_server, schemactl_admin, schemactl_reaper)
    try:
        yield databases
    finally:
        if databases.scratch is not None:
            schemactl_reaper.drop(databases.scratch)


@pytest.fixture(scope="session")
def reference(databases: Databases) -> Callable[[CorpusFile], CatalogSnapshot]:
    """``reference(corpus)``: the snapshot of the file applied as written (once per session)."""
    snapshots: dict[Path, CatalogSnapshot] = {}

    def get(corpus: CorpusFile) -> CatalogSnapshot:
        if corpus.path not in snapshots:
            snapshots[corpus.path] = databases.as_written(corpus)
        return snapshots[corpus.path]

    return get


# -- order + apply of split files -------------------------------------------------------------


def split_or_fail(corpus: CorpusFile) -> tuple[tuple[str, int], ...]:
    """The statements of ``corpus``, or a one-line failure when schemactl cannot parse it."""
    try:
        return split_statements(corpus)
    except SchemactlError as exc:
        pytest.fail(f"{corpus.label}: parse_file refuses it: {exc.format()}", pytrace=False)


def check_layout(
    databases: Databases,
    reference: Callable[[CorpusFile], CatalogSnapshot],
    corpus: CorpusFile,
    relpaths: list[str],
) -> None:
    """Write statement i to ``relpaths[i]``, order + apply, compare with the written order."""
    statements = split_or_fail(corpus)
    expected = reference(corpus)
    with tempfile.TemporaryDirectory(prefix="schemactl-shuffle-") as tmp:
        sql_dir = Path(tmp) / "sql"
        origin: dict[str, int] = {}
        for (text, line), relpath in zip(statements, relpaths, strict=True):
            path = sql_dir / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + ";\n", encoding="utf-8")
            origin[relpath] = line
        legend = "\n".join(
            f"  {relpath} = {corpus.label}:{line}" for relpath, line in sorted(origin.items())
        )
        if currently_in_test_context():
            note(f"{corpus.label}, files:\n{legend}")

        def run(url: str) -> None:
            try:
                plan = build_plan(sql_dir)
            except SchemactlError as exc:
                pytest.fail(f"{corpus.label}: order fails: {exc.format()}\n{legend}", pytrace=False)
            lines = ", ".join(str(origin[st.file.relpath]) for st in plan.statements)
            try:
                # strict: a deferral by apply's safety net is an edge the order missed
                apply_plan(plan, url, lock_timeout=None, auth_shim=corpus.auth_shim, strict=True)
            except SchemactlError as exc:
                pytest.fail(
                    f"{corpus.label}: apply of the ordered files fails: {exc.format()}\n"
                    f"  plan order (corpus lines): {lines}\n{legend}",
                    pytrace=False,
                )

        actual = databases.build(corpus, run)
    diff = snapshot_diff(expected, actual)
    assert not diff, (
        f"{corpus.label}: ordered files build another schema than the written order "
        f"(- written order only, + ordered files only):\n" + "\n".join(diff) + f"\n{legend}"
    )


@pytest.mark.parametrize("corpus", CORPUS, ids=lambda c: c.label)
def test_applies_as_written(
    corpus: CorpusFile, reference: Callable[[CorpusFile], CatalogSnapshot]
) -> None:
    """Each corpus file applies as written, and builds a schema (the other tests' reference)."""
    snapshot = reference(corpus)
    created = sum(len(rows) for kind, rows in snapshot.items() if kind not in ("extensions",))
    assert created > len(snapshot["schemas"]) + len(snapshot["comments"])


# Statements whose position changes the schema without any error, each moved where order must
# never put it (before the statement named third, or to the end): the snapshot must see the
# difference in the kind named last, or the shuffle test could not fail for such statements.
SILENT_MOVES = (
    ("corpus/32_ledger_default_privileges.sql", "ALTER DEFAULT PRIVILEGES IN SCHEMA ledger GRANT SELECT", None, "tables"),
    ("corpus/32_ledger_default_privileges.sql", "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE", None, "functions"),
    ("corpus/23_archive_like_inherits.sql", "CREATE TABLE orders_2024", "CREATE INDEX order_template", "indexes"),
    ("corpus/23_archive_like_inherits.sql", "CREATE TABLE orders_2024", "COMMENT ON COLUMN", "comments"),
    ("corpus/31_crm_grants.sql", "GRANT INSERT ON ALL TABLES", "CREATE TABLE crm.customers", "tables"),
    ("corpus/37_event_log_partitions.sql", "CREATE INDEX log_created_at_idx ON ONLY", "CREATE TABLE events.log_other", "indexes"),
)  # fmt: skip


def moved(corpus: CorpusFile, what: str, before: str | None) -> str:
    """The corpus text with the statement starting ``what`` moved before ``before`` (or last)."""
    statements = [text for text, _ in split_or_fail(corpus)]
    index = next(i for i, text in enumerate(statements) if text.startswith(what))
    statement = statements.pop(index)
    at = len(statements)
    if before is not None:
        at = next(i for i, text in enumerate(statements) if text.startswith(before))
    statements.insert(at, statement)
    header = corpus.text.split("\n\n", 1)[0]  # the markers (auth shim, function bodies)
    return header + "\n\n" + ";\n\n".join(statements) + ";\n"


@pytest.mark.parametrize(
    ("label", "what", "before", "kind"), SILENT_MOVES, ids=[f"{m[0]}:{m[3]}" for m in SILENT_MOVES]
)
def test_snapshot_sees_silent_order_changes(
    label: str,
    what: str,
    before: str | None,
    kind: str,
    databases: Databases,
    reference: Callable[[CorpusFile], CatalogSnapshot],
) -> None:
    """Moving an order-sensitive statement changes the snapshot, though nothing fails."""
    corpus = next(c for c in CORPUS if c.label == label)
    actual = databases.as_written(corpus, moved(corpus, what, before))
    diff = snapshot_diff(reference(corpus), actual)
    assert any(line[2:].startswith(f"{kind}:") for line in diff), diff


@pytest.mark.parametrize("corpus", CORPUS, ids=lambda c: c.label)
def test_reversed_order(
    corpus: CorpusFile,
    databases: Databases,
    reference: Callable[[CorpusFile], CatalogSnapshot],
) -> None:
    """The statements in reversed written order (by file name), one per file, same schema."""
    n = len(split_or_fail(corpus))
    check_layout(databases, reference, corpus, [f"s{n - 1 - i:04d}.sql" for i in range(n)])


NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=6)
RELPATH = st.builds(
    lambda dirs, name: "/".join([*dirs, f"{name}.sql"]),
    st.lists(NAME, min_size=0, max_size=3),
    NAME,
)
PHASES = tuple(p for p in Phase if p is not Phase.shrink or os.environ.get(ENV_SHRINK) == "1")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_shuffled_order(
    data: st.DataObject,
    databases: Databases,
    reference: Callable[[CorpusFile], CatalogSnapshot],
) -> None:
    """Any corpus file, statements one per file under random names and folders: same schema."""
    corpus = data.draw(st.sampled_from(SHUFFLED), label="corpus file")
    n = len(split_or_fail(corpus))
    relpaths = data.draw(st.lists(RELPATH, min_size=n, max_size=n, unique=True), label="files")
    check_layout(databases, reference, corpus, relpaths)
