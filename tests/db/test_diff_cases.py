"""The diff corpus (tests/cases/diff, issue 6): every case round-trips, in both directions.

A case is a folder with ``a.sql`` and ``b.sql`` (plain SQL, each applies to an empty
database), optionally ``data.sql`` (rows loaded after ``a.sql`` into the database that is
migrated) and ``case.toml`` (see ``CASE_KEYS``); tests/cases/diff/README.md tells how to add one.

For each case, the tests share two pristine databases, one loaded from ``a.sql`` and one
from ``b.sql``, that are only read:

* ``test_case_applies[<case>-a|b]``: the side's SQL (and for ``a`` its ``data.sql``, rolled
  back) applies to an empty database. These need no diff engine: they prove the corpus.
* ``test_case_sides_differ[<case>]``: the catalogs of ``a`` and ``b`` differ, so the case
  tests something.
* ``test_round_trip[<case>-a_to_b|b_to_a]``: a database S of the test's own, loaded with the
  source side (and, from ``a``, ``data.sql``), is migrated with ``diff_databases(S, D,
  allow_destructive=True)`` + ``apply_diff`` towards the pristine desired side D. Then S's
  full catalog (``schemactl.db.snapshot``, written for the tests and independent of the
  engine) must equal D's, a second diff must find no drift, and the rows of ``data.sql``
  must be unchanged.

``test_destructive_change_is_refused`` and ``test_additive_change_needs_no_consent`` check the
destructive-change guard on the cases whose ``a -> b`` is (or is not) destructive.

Roles are cluster-wide: a case that names ``diffcase_reader`` / ``diffcase_writer`` gets
roles with names unique to the run in their place, created before its databases are loaded
and dropped after the case's last test, also when a test fails.

Pytest groups the tests of one case (the module-scoped, parametrized ``case_env``), so only
the databases of the current case are in use at a time; they come from a
:class:`DatabasePool` that empties and reuses them, since dropping a database is slow.
"""

from __future__ import annotations

import os
import re
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from schemactl.core.renames import RenameHint, rename_hints
from schemactl.db.snapshot import CatalogSnapshot, catalog_snapshot, snapshot_diff
from schemactl.errors import RefusedError
from schemactl.model import SqlFile
from schemactl.testing.server import DatabaseReaper, TestServer, create_database, unique_name

pytestmark = pytest.mark.db

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "diff"

# The only role names a case may use; each run substitutes names of its own.
ROLE_PLACEHOLDERS = ("diffcase_reader", "diffcase_writer")
ROLE_WORD = re.compile(r"\bdiffcase_\w+\b")

# case.toml: every key is optional
CASE_KEYS = {
    "destructive": bool,  # a -> b drops or narrows something: refused without consent
    "owners": bool,  # owners differ: diff with owners=True (the engine's opt-in)
    "roles": list,  # the placeholders the SQL names
    "survives": str,  # query whose rows (from data.sql) must survive a -> b unchanged
    # directions ("a_to_b", "b_to_a") the engine must refuse: it reports the difference as
    # one it cannot migrate (unsupported) and apply_diff changes nothing (exit 3)
    "unsupported": list,
}

MIN_CASES = 80

SIDES = ("a", "b")
DIRECTIONS = {"a_to_b": ("a", "b"), "b_to_a": ("b", "a")}


@dataclass(frozen=True, repr=False)
class DiffCase:
    """One folder of tests/cases/diff."""

    name: str
    a: str
    b: str
    data: str | None = None
    survives: str | None = None
    destructive: bool = False
    owners: bool = False
    roles: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"DiffCase({self.name})"

    def side(self, side: str) -> str:
        """The SQL of side ``a`` or ``b``."""
        return self.a if side == "a" else self.b

    def renames(self, side: str) -> tuple[RenameHint, ...]:
        """The rename hints (``-- schemactl: renamed from x``) of side ``a`` or ``b``."""
        file = SqlFile(f"{side}.sql", f"{self.name}/{side}.sql", self.side(side), "")
        return rename_hints([file])[0]

    def with_roles(self, mapping: dict[str, str]) -> DiffCase:
        """This case with each placeholder role replaced by its name in ``mapping``."""

        def sub(text: str) -> str:
            for old, new in mapping.items():
                text = re.sub(rf"\b{re.escape(old)}\b", new, text)
            return text

        return replace(
            self,
            a=sub(self.a),
            b=sub(self.b),
            data=None if self.data is None else sub(self.data),
            survives=None if self.survives is None else sub(self.survives),
            roles=tuple(mapping[r] for r in self.roles),
        )


def read_case(folder: Path) -> DiffCase:
    """The case in ``folder``; a malformed case.toml is an error naming the file."""
    settings: dict[str, Any] = {}
    toml = folder / "case.toml"
    if toml.exists():
        settings = tomllib.loads(toml.read_text(encoding="utf-8"))
        for key, value in settings.items():
            if key not in CASE_KEYS:
                raise ValueError(f"{toml}: unknown key {key!r} (known: {', '.join(CASE_KEYS)})")
            if not isinstance(value, CASE_KEYS[key]):
                raise ValueError(f"{toml}: {key} must be a {CASE_KEYS[key].__name__}")
    data = folder / "data.sql"
    return DiffCase(
        name=folder.name,
        a=(folder / "a.sql").read_text(encoding="utf-8"),
        b=(folder / "b.sql").read_text(encoding="utf-8"),
        data=data.read_text(encoding="utf-8") if data.exists() else None,
        survives=settings.get("survives"),
        destructive=settings.get("destructive", False),
        owners=settings.get("owners", False),
        roles=tuple(settings.get("roles", ())),
        unsupported=tuple(settings.get("unsupported", ())),
    )


def load_cases() -> tuple[DiffCase, ...]:
    """Every case of the corpus, by folder name."""
    return tuple(read_case(p) for p in sorted(CASES_DIR.iterdir()) if p.is_dir())


CASES = load_cases()
DESTRUCTIVE = tuple(c for c in CASES if c.destructive)
# a -> b only adds or widens, with rows in the way: must apply without allow_destructive
ADDITIVE_WITH_DATA = tuple(c for c in CASES if c.data is not None and not c.destructive)


# ------------------------------------------------------------------ databases and roles


class LoadError(Exception):
    """A case's SQL did not apply; the message names the file and line."""


def position(text: str, offset: int) -> str:
    """``line:col`` (1-based) of the 1-based character ``offset`` in ``text``."""
    before = text[: max(offset - 1, 0)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def execute_file(conn: psycopg.Connection[Any], text: str, where: str) -> None:
    """Run ``text`` as one simple-protocol query (one implicit transaction), as psql -1 would."""
    try:
        conn.execute(text.encode())
    except psycopg.Error as exc:
        offset = exc.diag.statement_position
        at = f"{where}:{position(text, int(offset))}" if offset else where
        raise LoadError(f"{at}: {exc.diag.message_primary or exc}") from None


def create_roles(admin: psycopg.Connection[Any], placeholders: tuple[str, ...]) -> dict[str, str]:
    """NOLOGIN roles with names unique to this run, one per placeholder."""
    mapping = {p: f"{p}_{uuid.uuid4().hex[:10]}" for p in placeholders}
    for role in mapping.values():
        admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    return mapping


def drop_roles(server: TestServer, admin: psycopg.Connection[Any], roles: tuple[str, ...]) -> None:
    """Drop ``roles``, first revoking what they hold in every database that mentions them."""
    existing = [
        r
        for (r,) in admin.execute(
            "SELECT rolname::text FROM pg_roles WHERE rolname = ANY(%s)", (list(roles),)
        )
    ]
    if not existing:
        return
    holders = [
        d
        for (d,) in admin.execute(
            "SELECT DISTINCT d.datname::text FROM pg_shdepend AS s"
            " JOIN pg_database AS d ON d.oid = s.dbid"
            " JOIN pg_roles AS r ON r.oid = s.refobjid AND s.refclassid = 'pg_authid'::regclass"
            " WHERE r.rolname = ANY(%s)",
            (existing,),
        )
    ]
    names = sql.SQL(", ").join(sql.Identifier(r) for r in existing)
    for dbname in holders:
        # the reaper may be dropping it right now: then there is nothing left to revoke
        with (
            suppress(psycopg.OperationalError),
            psycopg.connect(server.url_for(dbname), autocommit=True) as conn,
        ):
            conn.execute(sql.SQL("DROP OWNED BY {}").format(names))
    admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(names))


# Kinds of the snapshot whose rows end with (owner, privileges), and the object type
# acldefault() knows them by. NULL privileges mean the built-in defaults; no SQL sets them
# back to NULL, so revoking what the other side granted leaves the same privileges spelled
# out (``postgres=arwdDxt/postgres``). The comparison takes both spellings as equal.
DEFAULT_ACL_TYPES = {
    "schemas": "n",
    "tables": "r",
    "views": "r",
    "sequences": "s",
    "functions": "f",
    "enum_types": "T",
    "composite_types": "T",
    "domains": "T",
    "range_types": "T",
    "base_types": "T",
}


def with_default_acls(conn: psycopg.Connection[Any], snapshot: CatalogSnapshot) -> CatalogSnapshot:
    """``snapshot`` with every NULL acl replaced by the owner's default privileges."""
    needed: set[tuple[str, str]] = set()
    for kind, objtype in DEFAULT_ACL_TYPES.items():
        for row in snapshot.get(kind, ()):
            if not (isinstance(row[-2], str) and (row[-1] is None or isinstance(row[-1], tuple))):
                raise AssertionError(
                    f"snapshot rows of {kind} no longer end with (owner, acl): {row}"
                )
            if row[-1] is None:
                needed.add((objtype, row[-2]))
    if not needed:
        return snapshot
    types, owners = zip(*sorted(needed), strict=True)
    defaults = {
        (objtype, owner): tuple(acl)
        for objtype, owner, acl in conn.execute(
            "SELECT t.objtype, t.owner,"
            ' ARRAY(SELECT a::text FROM unnest(acldefault(t.objtype::"char", r.oid)) AS a'
            "       ORDER BY 1)"
            " FROM unnest(%s::text[], %s::text[]) AS t(objtype, owner)"
            " JOIN pg_roles AS r ON r.rolname = t.owner",
            (list(types), list(owners)),
        )
    }
    result = dict(snapshot)
    for kind, objtype in DEFAULT_ACL_TYPES.items():
        result[kind] = [
            (*row[:-1], defaults[(objtype, row[-2])]) if row[-1] is None else row
            for row in snapshot.get(kind, ())
        ]
    return result


def snapshot_of(conn: psycopg.Connection[Any]) -> CatalogSnapshot:
    """The full catalog snapshot of ``conn``'s database (default privileges spelled out)."""
    return with_default_acls(conn, catalog_snapshot(conn))


def rows_of(conn: psycopg.Connection[Any], query: str) -> list[tuple[Any, ...]]:
    """The rows ``query`` returns (as the superuser: RLS does not hide any)."""
    return conn.execute(query.encode()).fetchall()


# Everything a case (or the engine) can leave in a database, in one DO block: every schema
# but PostgreSQL's own (public too: recreated as template0 has it), every extension but
# plpgsql, and the database-wide default privileges. Schema-level default privileges go
# with their schema; what the case's roles hold goes with DROP OWNED BY before this runs.
RESET_DATABASE = """
DO $reset$
DECLARE
    r record;
    g record;
    kind text;
BEGIN
    FOR r IN SELECT nspname FROM pg_namespace
             WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
    END LOOP;
    FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
        EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
    END LOOP;
    FOR r IN SELECT defaclrole::regrole::text AS role, defaclobjtype AS t, defaclacl AS acl
             FROM pg_default_acl WHERE defaclnamespace = 0 LOOP
        kind := CASE r.t WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END;
        FOR g IN SELECT DISTINCT a.grantee FROM aclexplode(r.acl) AS a LOOP
            EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s REVOKE ALL ON %s FROM %s',
                           r.role, kind,
                           CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
        END LOOP;
        -- back to the built-in defaults, which removes the entry
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT ALL ON %s TO %s',
                       r.role, kind, r.role);
        IF r.t = 'f' THEN
            EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT EXECUTE ON FUNCTIONS TO PUBLIC', r.role);
        ELSIF r.t = 'T' THEN
            EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT USAGE ON TYPES TO PUBLIC', r.role);
        END IF;
    END LOOP;
    CREATE SCHEMA public AUTHORIZATION pg_database_owner;
    GRANT USAGE ON SCHEMA public TO PUBLIC;
    COMMENT ON SCHEMA public IS 'standard public schema';
END
$reset$
"""

# What a database holds beyond template0: every object with an OID past the built-in ones
# (FirstNormalObjectId, 16384) in every catalog that holds objects, every schema, extension
# and default privilege, and how public looks. A reset database must list exactly what a
# fresh one lists (public, recreated, has a new OID: it is listed by its properties).
LEFTOVERS = """
SELECT 'public ' || pg_get_userbyid(n.nspowner)::text || ' ' || coalesce(n.nspacl::text, '')
       || ' ' || coalesce(obj_description(n.oid, 'pg_namespace'), '')
FROM pg_namespace AS n WHERE n.nspname = 'public'
UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname NOT IN ('public', 'information_schema')
UNION ALL SELECT 'extension ' || extname FROM pg_extension
UNION ALL SELECT 'default acl ' || defaclacl::text FROM pg_default_acl
UNION ALL SELECT 'database setting ' || array_to_string(setconfig, ',') FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
UNION ALL SELECT c.relname || ': ' || count(*) FROM (
    SELECT 'pg_class' AS relname FROM pg_class WHERE oid >= 16384
    UNION ALL SELECT 'pg_type' FROM pg_type WHERE oid >= 16384
    UNION ALL SELECT 'pg_proc' FROM pg_proc WHERE oid >= 16384
    UNION ALL SELECT 'pg_constraint' FROM pg_constraint WHERE oid >= 16384
    UNION ALL SELECT 'pg_trigger' FROM pg_trigger WHERE oid >= 16384
    UNION ALL SELECT 'pg_policy' FROM pg_policy WHERE oid >= 16384
    UNION ALL SELECT 'pg_rewrite' FROM pg_rewrite WHERE oid >= 16384
    UNION ALL SELECT 'pg_attrdef' FROM pg_attrdef WHERE oid >= 16384
    UNION ALL SELECT 'pg_enum' FROM pg_enum WHERE oid >= 16384
    UNION ALL SELECT 'pg_cast' FROM pg_cast WHERE oid >= 16384
    UNION ALL SELECT 'pg_language' FROM pg_language WHERE oid >= 16384
    UNION ALL SELECT 'pg_collation' FROM pg_collation WHERE oid >= 16384
    UNION ALL SELECT 'pg_conversion' FROM pg_conversion WHERE oid >= 16384
    UNION ALL SELECT 'pg_operator' FROM pg_operator WHERE oid >= 16384
    UNION ALL SELECT 'pg_opclass' FROM pg_opclass WHERE oid >= 16384
    UNION ALL SELECT 'pg_opfamily' FROM pg_opfamily WHERE oid >= 16384
    UNION ALL SELECT 'pg_am' FROM pg_am WHERE oid >= 16384
    UNION ALL SELECT 'pg_ts_config' FROM pg_ts_config WHERE oid >= 16384
    UNION ALL SELECT 'pg_ts_dict' FROM pg_ts_dict WHERE oid >= 16384
    UNION ALL SELECT 'pg_statistic_ext' FROM pg_statistic_ext WHERE oid >= 16384
    UNION ALL SELECT 'pg_event_trigger' FROM pg_event_trigger WHERE oid >= 16384
    UNION ALL SELECT 'pg_publication' FROM pg_publication WHERE oid >= 16384
    UNION ALL SELECT 'pg_foreign_data_wrapper' FROM pg_foreign_data_wrapper WHERE oid >= 16384
    UNION ALL SELECT 'pg_foreign_server' FROM pg_foreign_server WHERE oid >= 16384
    UNION ALL SELECT 'pg_transform' FROM pg_transform WHERE oid >= 16384
    UNION ALL SELECT 'pg_init_privs' FROM pg_init_privs WHERE objoid >= 16384
    UNION ALL SELECT 'pg_seclabel' FROM pg_seclabel
    UNION ALL SELECT 'pg_description' FROM pg_description AS d
        WHERE d.objoid >= 16384 AND d.classoid <> 'pg_namespace'::regclass
) AS c GROUP BY c.relname
ORDER BY 1
"""


@dataclass(frozen=True)
class PooledDatabase:
    """A database of the pool, with the harness's own connection to it (autocommit)."""

    name: str
    url: str
    conn: psycopg.Connection[Any]


class DatabasePool:
    """Empty databases for the cases, reset and reused rather than dropped.

    DROP DATABASE waits for a checkpoint: on the shared PostgreSQL 15 (fsync on) it took
    1.3 s per database, 0.6 s with 20 in parallel, against 0.04 s for CREATE DATABASE, and
    the corpus needs four databases per case. A released database is emptied with
    ``RESET_DATABASE`` and goes back to the pool only if ``LEFTOVERS`` then lists exactly
    what it lists on a database fresh from template0; otherwise it is dropped. Each keeps
    one connection for the harness (a fresh backend per snapshot costs ~45 ms more).
    """

    def __init__(self, server: TestServer, admin: psycopg.Connection[Any], reaper: DatabaseReaper):
        self.server = server
        self.admin = admin
        self.reaper = reaper
        self.free: list[PooledDatabase] = []
        self.fresh_leftovers: list[tuple[Any, ...]] | None = None

    def acquire(self) -> PooledDatabase:
        """An empty database only the caller uses until it releases it."""
        if self.free:
            return self.free.pop()
        name = unique_name("sct_diffcase")
        create_database(self.admin, name, template="template0", strategy=self.server.clone_strategy)
        url = self.server.url_for(name)
        # never prepared: DISCARD ALL between uses would drop psycopg's prepared statements
        conn = psycopg.connect(url, autocommit=True, prepare_threshold=None)
        if self.fresh_leftovers is None:
            self.fresh_leftovers = conn.execute(LEFTOVERS).fetchall()
        return PooledDatabase(name, url, conn)

    def release(self, db: PooledDatabase, roles: tuple[str, ...] = ()) -> None:
        """Empty ``db`` (first dropping what ``roles`` own or hold in it) for the next user."""
        try:
            conn = db.conn
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.rollback()
            conn.execute("DISCARD ALL")
            # a session left behind (say, by the engine) must not hang the run: a lock
            # wait ends in an error, and the database is dropped WITH (FORCE) instead
            conn.execute("SET lock_timeout = '5s'")
            if roles:
                conn.execute(
                    sql.SQL("DROP OWNED BY {}").format(
                        sql.SQL(", ").join(sql.Identifier(r) for r in roles)
                    )
                )
            conn.execute(RESET_DATABASE)
            clean = conn.execute(LEFTOVERS).fetchall() == self.fresh_leftovers
            conn.execute("RESET lock_timeout")
        except psycopg.Error:
            clean = False
        if clean:
            self.free.append(db)
        else:
            db.conn.close()
            self.reaper.drop(db.name)

    def close(self) -> None:
        """Drop every pooled database."""
        while self.free:
            db = self.free.pop()
            db.conn.close()
            self.reaper.drop(db.name)


@dataclass(repr=False)
class CaseEnv:
    """The databases and roles of one case while its tests run."""

    case: DiffCase  # with this run's role names
    pool: DatabasePool
    pristine_dbs: dict[str, PooledDatabase] = field(default_factory=dict)
    load_errors: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, CatalogSnapshot] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"CaseEnv({self.case.name})"

    def load(self, side: str, *, with_data: bool = False) -> PooledDatabase:
        """A database from the pool with ``side``'s SQL (and data.sql) loaded."""
        db = self.pool.acquire()
        try:
            execute_file(db.conn, self.case.side(side), f"{self.case.name}/{side}.sql")
            if with_data and self.case.data is not None:
                execute_file(db.conn, self.case.data, f"{self.case.name}/data.sql")
        except BaseException:
            self.pool.release(db, self.case.roles)
            raise
        return db

    def pristine(self, side: str) -> PooledDatabase:
        """The database holding only ``side``'s SQL, loaded on first use; only read."""
        if side in self.load_errors:
            pytest.fail(self.load_errors[side], pytrace=False)
        if side not in self.pristine_dbs:
            try:
                self.pristine_dbs[side] = self.load(side)
            except LoadError as exc:
                self.load_errors[side] = str(exc)
                pytest.fail(str(exc), pytrace=False)
        return self.pristine_dbs[side]

    def snapshot(self, side: str) -> CatalogSnapshot:
        """The catalog snapshot of the pristine ``side``, taken once."""
        if side not in self.snapshots:
            self.snapshots[side] = snapshot_of(self.pristine(side).conn)
        return self.snapshots[side]

    @contextmanager
    def scratch(self, side: str, *, with_data: bool = False) -> Iterator[PooledDatabase]:
        """A database of the test's own with ``side`` (and data.sql) loaded."""
        self.pristine(side)  # a side that does not load fails here, with its message
        try:
            db = self.load(side, with_data=with_data)
        except LoadError as exc:
            pytest.fail(str(exc), pytrace=False)
        try:
            yield db
        finally:
            self.pool.release(db, self.case.roles)

    def close(self) -> None:
        """Give the pristine databases back to the pool."""
        for db in self.pristine_dbs.values():
            self.pool.release(db, self.case.roles)


@pytest.fixture(scope="session")
def database_pool(
    schemactl_server: TestServer,
    schemactl_admin: psycopg.Connection[Any],
    schemactl_reaper: DatabaseReaper,
) -> Iterator[DatabasePool]:
    """The empty databases of this session's cases."""
    pool = DatabasePool(schemactl_server, schemactl_admin, schemactl_reaper)
    try:
        yield pool
    finally:
        pool.close()


@contextmanager
def case_environment(case: DiffCase, pool: DatabasePool) -> Iterator[CaseEnv]:
    """A :class:`CaseEnv` for ``case``, its roles created; everything dropped on exit."""
    mapping: dict[str, str] = {}
    try:
        mapping = create_roles(pool.admin, case.roles)
        env = CaseEnv(case.with_roles(mapping), pool)
        try:
            yield env
        finally:
            env.close()
    finally:
        # the roles go even if the environment never came up
        drop_roles(pool.server, pool.admin, tuple(mapping.values()))


@pytest.fixture(scope="module", params=CASES, ids=lambda c: c.name)
def case_env(request: pytest.FixtureRequest, database_pool: DatabasePool) -> Iterator[CaseEnv]:
    """The environment of one case, shared by its tests (module scope groups them)."""
    with case_environment(request.param, database_pool) as env:
        yield env


@pytest.fixture
def own_case_env(request: pytest.FixtureRequest, database_pool: DatabasePool) -> Iterator[CaseEnv]:
    """Like ``case_env`` but for this test alone (parametrized indirectly with a case)."""
    with case_environment(request.param, database_pool) as env:
        yield env


def diff_engine() -> Any:
    """``schemactl.diff``, imported when a test needs it (ImportError until it exists)."""
    import schemactl.diff

    return schemactl.diff


def described(result: Any) -> str:
    """The statements of a diff result, numbered, for a failure message."""
    statements = list(getattr(result, "statements", ()))
    lines = [f"  {i:>3}. {s}" for i, s in enumerate(statements, 1)] or ["  (none)"]
    unsupported = list(getattr(result, "unsupported", ()))
    if unsupported:
        lines.append(f"  unsupported: {unsupported}")
    return "\n".join(lines)


# ------------------------------------------------------------------ the corpus itself


def test_corpus_is_well_formed() -> None:
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} cases in {CASES_DIR}, issue 6 asks for 80"
    for case in CASES:
        used = set(ROLE_WORD.findall(case.a + case.b + (case.data or "")))
        assert used <= set(ROLE_PLACEHOLDERS), f"{case.name}: unknown roles {used}"
        assert used == set(case.roles), f"{case.name}: case.toml roles must be exactly {used}"
        assert (case.data is None) == (case.survives is None), (
            f"{case.name}: data.sql and case.toml 'survives' go together"
        )
        assert case.a.strip() != case.b.strip(), f"{case.name}: a.sql and b.sql are the same"


@pytest.mark.parametrize("side", SIDES)
def test_case_applies(case_env: CaseEnv, side: str) -> None:
    db = case_env.pristine(side)
    if side == "a" and case_env.case.data is not None:
        # the pristine database stays without rows
        with db.conn.transaction(force_rollback=True):
            execute_file(db.conn, case_env.case.data, f"{case_env.case.name}/data.sql")
            rows = rows_of(db.conn, case_env.case.survives or "")
        assert rows, f"{case_env.case.name}: 'survives' returns no rows after data.sql"


def test_case_sides_differ(case_env: CaseEnv) -> None:
    assert snapshot_diff(case_env.snapshot("a"), case_env.snapshot("b")), (
        f"{case_env.case.name}: a.sql and b.sql give the same catalog"
    )


# ------------------------------------------------------------------ the round trip


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_round_trip(case_env: CaseEnv, direction: str) -> None:
    engine = diff_engine()
    case = case_env.case
    source_side, desired_side = DIRECTIONS[direction]
    desired_url = case_env.pristine(desired_side).url
    expected = case_env.snapshot(desired_side)
    case_env.snapshot(source_side)  # the source side loads (else this fails like test_case_applies)
    survives = case.survives if source_side == "a" else None
    problems: list[str] = []
    with case_env.scratch(source_side, with_data=survives is not None) as source:
        rows_before = rows_of(source.conn, survives) if survives else []
        # the desired side's rename hints, as diff_files reads them from the files
        options: dict[str, Any] = {"renames": case.renames(desired_side)}
        if case.owners:
            options["owners"] = True
        result = engine.diff_databases(source.url, desired_url, allow_destructive=True, **options)
        if not result.has_drift:
            problems.append("the diff is empty, yet the catalogs differ")
        if direction in case.unsupported:
            assert result.unsupported, f"{case.name} {direction}: nothing reported unsupported"
            before = snapshot_of(source.conn)
            with pytest.raises(RefusedError) as refused:
                engine.apply_diff(result, source.url, allow_destructive=True)
            assert refused.value.exit_code == 3
            assert "cannot migrate" in refused.value.message
            assert snapshot_diff(before, snapshot_of(source.conn)) == []
            return
        failure = None
        try:
            engine.apply_diff(result, source.url, allow_destructive=True)
        except Exception as exc:
            failure = exc.format() if hasattr(exc, "format") else repr(exc)
        if failure is not None:
            pytest.fail(
                f"{case.name} {direction}: apply_diff failed: {failure}\n"
                f"the migration:\n{described(result)}",
                pytrace=False,
            )
        differences = snapshot_diff(expected, snapshot_of(source.conn))
        if differences:
            problems.append(
                "catalog differs from the desired side (- desired, + migrated):\n  "
                + "\n  ".join(differences)
            )
        second = engine.diff_databases(source.url, desired_url, allow_destructive=True, **options)
        if second.has_drift and second.statements != result.statements:
            problems.append(f"a second diff is not empty:\n{described(second)}")
        elif second.has_drift:
            problems.append("a second diff is not empty: the same as the first")
        if survives:
            rows_after = rows_of(source.conn, survives)
            if rows_after != rows_before:
                problems.append(f"rows changed: before {rows_before}, after {rows_after}")
    if problems:
        pytest.fail(
            f"{case.name} {direction}:\n"
            + "\n".join(problems)
            + f"\nthe migration:\n{described(result)}",
            pytrace=False,
        )


# ------------------------------------------------------------------ the destructive guard


@pytest.mark.parametrize("own_case_env", DESTRUCTIVE, ids=lambda c: c.name, indirect=True)
def test_destructive_change_is_refused(own_case_env: CaseEnv) -> None:
    engine = diff_engine()
    case = own_case_env.case
    desired_url = own_case_env.pristine("b").url
    with own_case_env.scratch("a", with_data=True) as source:
        before = snapshot_of(source.conn)
        result = engine.diff_databases(source.url, desired_url, renames=case.renames("b"))
        if not result.destructive:
            pytest.fail(
                f"{case.name}: a -> b drops or narrows something, yet no change is destructive:\n"
                f"{described(result)}",
                pytrace=False,
            )
        with pytest.raises(RefusedError) as refused:
            engine.apply_diff(result, source.url)
        assert refused.value.exit_code == 3
        assert snapshot_diff(before, snapshot_of(source.conn)) == [], "refused, yet S changed"


@pytest.mark.parametrize("own_case_env", ADDITIVE_WITH_DATA, ids=lambda c: c.name, indirect=True)
def test_additive_change_needs_no_consent(own_case_env: CaseEnv) -> None:
    engine = diff_engine()
    case = own_case_env.case
    assert case.survives is not None
    desired_url = own_case_env.pristine("b").url
    with own_case_env.scratch("a", with_data=True) as source:
        rows_before = rows_of(source.conn, case.survives)
        result = engine.diff_databases(source.url, desired_url, renames=case.renames("b"))
        if result.destructive:
            pytest.fail(
                f"{case.name}: a -> b only adds or widens, yet destructive: "
                f"{[f'{c.action} {c.kind} {c.name}' for c in result.destructive]}",
                pytrace=False,
            )
        failure = None
        try:
            engine.apply_diff(result, source.url)
        except Exception as exc:
            failure = exc.format() if hasattr(exc, "format") else repr(exc)
        if failure is not None:
            pytest.fail(f"{case.name}: apply_diff failed: {failure}", pytrace=False)
        assert rows_of(source.conn, case.survives) == rows_before


# ------------------------------------------------------------------ concurrently

# cases that add or change indexes and constraints on existing tables: a sample of 6 in
# `make test` (about 3 s each), all 20 with SCHEMACTL_DIFF_CONCURRENTLY_ALL=1
# (`make diff-concurrently`)
CONCURRENT_SAMPLE = (
    "index_add", "index_unique", "index_partitioned", "fk_add", "check_add",
    "constraint_validate",
)  # fmt: skip
CONCURRENT = tuple(
    c
    for c in CASES
    if c.name.split("_")[0] in ("index", "fk", "check", "constraint", "unique")
    and (os.environ.get("SCHEMACTL_DIFF_CONCURRENTLY_ALL") or c.name in CONCURRENT_SAMPLE)
)


@pytest.mark.parametrize("own_case_env", CONCURRENT, ids=lambda c: c.name, indirect=True)
def test_round_trip_concurrently(own_case_env: CaseEnv) -> None:
    """a -> b with ``concurrently``: same catalog as b, the outside steps ran after the commit."""
    engine = diff_engine()
    case = own_case_env.case
    desired_url = own_case_env.pristine("b").url
    expected = own_case_env.snapshot("b")
    with own_case_env.scratch("a", with_data=case.survives is not None) as source:
        rows_before = rows_of(source.conn, case.survives) if case.survives else []
        result = engine.diff_databases(
            source.url, desired_url, allow_destructive=True, concurrently=True
        )
        for stmt in result.outside:
            assert " CONCURRENTLY " in stmt or " VALIDATE CONSTRAINT " in stmt, stmt
        engine.apply_diff(result, source.url, allow_destructive=True)
        differences = snapshot_diff(expected, snapshot_of(source.conn))
        assert differences == [], f"{case.name}:\n{described(result)}"
        invalid = rows_of(source.conn, "SELECT indexrelid::regclass::text FROM pg_index"
                                       " WHERE NOT indisvalid")  # fmt: skip
        assert invalid == []
        second = engine.diff_databases(source.url, desired_url, concurrently=True)
        assert not second.has_drift, described(second)
        if case.survives:
            assert rows_of(source.conn, case.survives) == rows_before
