"""Minimal examples of every object kind `schemactl order` must order (issue 10).

Shared by tests/unit/test_order_kinds.py (the order alone, no server) and
tests/db/test_order_kinds_apply.py (order + apply, then the catalog). Load it by path
(``load_order_kinds()`` in either test module): tests/ has no packages.

Each case lists its statements in an order that is right (the *written* order) with the
file each one lives in. File names are chosen so that the tie-break of the graph
(relpath, then position in the file) is WRONG: the statement that needs another lives in
``a.sql``, what it needs in ``z/zz.sql`` (``0.sql`` holds context that may run first).
``before`` lists the pairs (i, j) of statement indexes where statement i must run before
statement j. ``check`` is one SELECT of one boolean: true when the database is as the
written order leaves it. ``silent`` cases apply without an error in the wrong order,
but to a different result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrderCase:
    """One minimal example: statements in a right order, spread over wrongly named files."""

    name: str
    why: str
    statements: tuple[tuple[str, str], ...]  # (relpath, sql without semicolon), a right order
    before: tuple[tuple[int, int], ...]  # (i, j): statement i must run before statement j
    check: str  # SELECT of one boolean: the state the right order gives
    roles: tuple[str, ...] = ()  # cluster-wide roles the case creates (renamed in db tests)
    silent: bool = False  # a wrong order raises nothing: only the result differs
    # the files cannot tell the order (dynamic SQL): order --strict must say so
    known_from_files: bool = True
    files: dict[str, str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        by_file: dict[str, list[str]] = {}
        for relpath, text in self.statements:
            by_file.setdefault(relpath, []).append(text)
        object.__setattr__(
            self,
            "files",
            {
                relpath: f"-- {self.name}: {relpath}\n" + "".join(f"{t};\n" for t in texts)
                for relpath, texts in by_file.items()
            },
        )

    def tie_break_order(self) -> list[int]:
        """Statement indexes in file-name order (relpath, then position in its file)."""
        seen: dict[str, int] = {}
        keys: list[tuple[str, int, int]] = []
        for i, (relpath, _) in enumerate(self.statements):
            keys.append((relpath, seen.get(relpath, 0), i))
            seen[relpath] = seen.get(relpath, 0) + 1
        return [i for _, _, i in sorted(keys)]


def case(
    name: str,
    why: str,
    statements: Sequence[tuple[str, str]],
    before: Sequence[tuple[int, int]],
    check: str,
    *,
    roles: Sequence[str] = (),
    silent: bool = False,
    known_from_files: bool = True,
) -> OrderCase:
    """An OrderCase from lists (keeps the table of cases below readable)."""
    return OrderCase(
        name,
        why,
        tuple(statements),
        tuple(before),
        check,
        tuple(roles),
        silent,
        known_from_files,
    )


ROLE = "ord_r"
# the idempotent patterns of real schemas (Supabase's among them)
ROLE_DO = (
    f"DO $$ BEGIN CREATE ROLE {ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
)
ROLE_DO_IF = (
    f"DO $$\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN\n"
    f"    CREATE ROLE {ROLE} NOLOGIN;\n  END IF;\nEND\n$$"
)
CREATE_ROLE = f"CREATE ROLE {ROLE} NOLOGIN"
STAMP_FN = (
    "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN NEW.stamped := true; RETURN NEW; END $$"
)
STAMPED_TABLE = "CREATE TABLE t (id int, stamped boolean NOT NULL DEFAULT false)"
STAMP_TRIGGER = "CREATE TRIGGER t_stamp BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION stamp()"
FDW = "CREATE FOREIGN DATA WRAPPER ord_fdw"
SERVER = "CREATE SERVER ord_srv FOREIGN DATA WRAPPER ord_fdw"
EQ_FN = (
    "CREATE FUNCTION ord_eq(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2'"
)
HASH_FN = (
    "CREATE FUNCTION ord_hash(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT hashint4($1)'"
)
EQ_OP = "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = ord_eq)"
LIKE_SRC = "CREATE TABLE src (id int NOT NULL, e int)"
LIKE_DST = "CREATE TABLE dst (LIKE src INCLUDING ALL)"


def default_expr(table: str) -> str:
    """SQL: the default expression of the first defaulted column of ``table``."""
    return f"SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '{table}'::regclass"


def column_type(table: str, column: str) -> str:
    """SQL: the type of ``table.column`` as format_type shows it."""
    return (
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
        f"WHERE attrelid = '{table}'::regclass AND attname = '{column}'"
    )


def constraint_exists(table: str, name: str, contype: str) -> str:
    """SQL: ``table`` has constraint ``name`` of kind ``contype``."""
    return (
        f"SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '{table}'::regclass "
        f"AND conname = '{name}' AND contype = '{contype}')"
    )


def acl_has(catalog: str, acl: str, oid: str, grantee: str) -> str:
    """SQL: the object's own ACL names ``grantee`` (PUBLIC grants hide has_*_privilege)."""
    return (
        f"SELECT EXISTS (SELECT FROM {catalog} c, aclexplode(c.{acl}) a "
        f"WHERE c.oid = {oid} AND a.grantee = '{grantee}'::regrole)"
    )


# --------------------------------------------------------------------- what PostgreSQL checks

ROLES = [
    case(
        "role_do_then_grant",
        "a role created in a DO block, then GRANT ... TO it",
        [("z/zz.sql", ROLE_DO), ("b.sql", "CREATE TABLE t (id int)"),
         ("a.sql", f"GRANT SELECT ON t TO {ROLE}")],
        [(0, 2), (1, 2)],
        f"SELECT has_table_privilege('{ROLE}', 't', 'SELECT')",
        roles=[ROLE],
    ),
    case(
        "role_do_then_default_privileges",
        "a role created in a DO block, then ALTER DEFAULT PRIVILEGES ... TO it",
        [("z/zz.sql", ROLE_DO),
         ("a.sql", f"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {ROLE}")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_default_acl d, aclexplode(d.defaclacl) a "
        f"WHERE d.defaclobjtype = 'r' AND a.grantee = '{ROLE}'::regrole)",
        roles=[ROLE],
    ),
    case(
        "role_do_if_not_exists_then_owner_to",
        "a role created in an IF NOT EXISTS DO block, then ALTER TABLE ... OWNER TO it",
        [("z/zz.sql", ROLE_DO_IF), ("b.sql", "CREATE TABLE t (id int)"),
         ("a.sql", f"ALTER TABLE t OWNER TO {ROLE}")],
        [(0, 2), (1, 2)],
        f"SELECT pg_get_userbyid(relowner) = '{ROLE}' FROM pg_class WHERE oid = 't'::regclass",
        roles=[ROLE],
    ),
    case(
        "role_do_then_policy_to",
        "a role created in a DO block, then CREATE POLICY ... TO it",
        [("z/zz.sql", ROLE_DO), ("b.sql", "CREATE TABLE t (id int)"),
         ("a.sql", f"CREATE POLICY t_read ON t FOR SELECT TO {ROLE} USING (true)")],
        [(0, 2), (1, 2)],
        f"SELECT '{ROLE}'::regrole = ANY (polroles) FROM pg_policy WHERE polname = 't_read'",
        roles=[ROLE],
    ),
]  # fmt: skip

BODIES = [
    case(
        "sql_function_body_reads_table",
        "PostgreSQL checks a LANGUAGE sql body at creation: its tables come first",
        [("z/zz.sql", "CREATE TABLE t (id int)"),
         ("a.sql", "CREATE FUNCTION t_count() RETURNS bigint LANGUAGE sql "
                   "AS $$ SELECT count(*) FROM t $$")],
        [(0, 1)],
        "SELECT t_count() = 0",
    ),
    case(
        "begin_atomic_body_reads_table",
        "a BEGIN ATOMIC body is parsed and bound at creation: its tables come first",
        [("z/zz.sql", "CREATE TABLE t (id int)"),
         ("a.sql", "CREATE FUNCTION t_count() RETURNS bigint LANGUAGE sql\n"
                   "BEGIN ATOMIC\n  SELECT count(*) FROM t;\nEND")],
        [(0, 1)],
        "SELECT t_count() = 0",
    ),
    case(
        "sql_function_body_calls_function",
        "a LANGUAGE sql body calling another function needs it at creation",
        [("z/zz.sql", "CREATE FUNCTION ord_one() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
         ("a.sql", "CREATE FUNCTION ord_two() RETURNS int LANGUAGE sql "
                   "AS 'SELECT ord_one() + 1'")],
        [(0, 1)],
        "SELECT ord_two() = 2",
    ),
    case(
        "plpgsql_body_needs_nothing_first",
        "a plpgsql body is not checked at creation: its table may come later (no cycle with "
        "the table whose default calls it)",
        [("z/zz.sql", "CREATE FUNCTION t_count() RETURNS bigint LANGUAGE plpgsql "
                      "AS $$ BEGIN RETURN (SELECT count(*) FROM t); END $$"),
         ("a.sql", "CREATE TABLE t (id int, n bigint DEFAULT t_count())")],
        [(0, 1)],
        f"SELECT t_count() = 0 AND ({default_expr('t')}) = 't_count()'",
    ),
]  # fmt: skip

SEQUENCES = [
    case(
        "sequence_in_schema",
        "CREATE SEQUENCE s.q after CREATE SCHEMA s",
        [("z/zz.sql", "CREATE SCHEMA s"), ("a.sql", "CREATE SEQUENCE s.q")],
        [(0, 1)],
        "SELECT to_regclass('s.q') IS NOT NULL",
    ),
    case(
        "nextval_text_default",
        "DEFAULT nextval('q'): a string naming the sequence",
        [("z/zz.sql", "CREATE SEQUENCE q"),
         ("a.sql", "CREATE TABLE t (id bigint DEFAULT nextval('q'))")],
        [(0, 1)],
        f"SELECT ({default_expr('t')}) = 'nextval(''q''::regclass)'",
    ),
    case(
        "nextval_regclass_default",
        "DEFAULT nextval('s.q'::regclass), pg_dump's form",
        [("z/zz.sql", "CREATE SCHEMA s"), ("z/zz.sql", "CREATE SEQUENCE s.q"),
         ("a.sql", "CREATE TABLE t (id bigint DEFAULT nextval('s.q'::regclass))")],
        [(0, 1), (1, 2)],
        f"SELECT ({default_expr('t')}) = 'nextval(''s.q''::regclass)'",
    ),
    case(
        "nextval_set_default_pg_dump",
        "pg_dump's ALTER TABLE ONLY ... SET DEFAULT nextval('public.q'::regclass)",
        [("z/zz.sql", "CREATE SEQUENCE public.q"),
         ("b.sql", "CREATE TABLE public.t (id bigint NOT NULL)"),
         ("a.sql", "ALTER TABLE ONLY public.t ALTER COLUMN id "
                   "SET DEFAULT nextval('public.q'::regclass)")],
        [(0, 2), (1, 2)],
        f"SELECT ({default_expr('t')}) = 'nextval(''q''::regclass)'",
    ),
    case(
        "regclass_literal",
        "'t'::regclass names a relation in a string",
        [("z/zz.sql", "CREATE TABLE t (id int)"),
         ("a.sql", "CREATE VIEW v AS SELECT 't'::regclass AS rel")],
        [(0, 1)],
        "SELECT rel = 't'::regclass FROM v",
    ),
    case(
        "setval_text",
        "SELECT setval('q', 42), as in pg_dump's data: the string names the sequence",
        [("z/zz.sql", "CREATE SEQUENCE q"), ("a.sql", "SELECT setval('q', 42)")],
        [(0, 1)],
        "SELECT last_value = 42 FROM q",
    ),
    case(
        "sequence_owned_by",
        "ALTER SEQUENCE q OWNED BY t.id needs t",
        [("z/zz.sql", "CREATE TABLE t (id int)"), ("b.sql", "CREATE SEQUENCE q"),
         ("a.sql", "ALTER SEQUENCE q OWNED BY t.id")],
        [(0, 2), (1, 2)],
        "SELECT pg_get_serial_sequence('t', 'id') = 'public.q'",
    ),
    case(
        "serial_sequence_grant",
        "a serial column creates t_id_seq: a GRANT on it comes after the table",
        [("z/zz.sql", "CREATE TABLE t (id serial)"),
         ("a.sql", "GRANT USAGE ON SEQUENCE t_id_seq TO PUBLIC")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_class c, aclexplode(c.relacl) a "
        "WHERE c.oid = 't_id_seq'::regclass AND a.grantee = 0 AND a.privilege_type = 'USAGE')",
    ),
    case(
        "serial_sequence_alter",
        "ALTER SEQUENCE t_id_seq after the serial column that creates it",
        [("z/zz.sql", "CREATE TABLE t (id serial)"),
         ("a.sql", "ALTER SEQUENCE t_id_seq RESTART WITH 100")],
        [(0, 1)],
        "SELECT nextval('t_id_seq') = 100",
    ),
    case(
        "serial_sequence_nextval",
        "nextval('t_id_seq') of another table after the serial column that creates it",
        [("z/zz.sql", "CREATE TABLE t (id serial)"),
         ("a.sql", "CREATE TABLE u (id int DEFAULT nextval('t_id_seq'))")],
        [(0, 1)],
        f"SELECT ({default_expr('u')}) = 'nextval(''t_id_seq''::regclass)'",
    ),
    case(
        "identity_sequence_grant",
        "an identity column creates t_id_seq too",
        [("z/zz.sql", "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)"),
         ("a.sql", "GRANT USAGE ON SEQUENCE t_id_seq TO PUBLIC")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_class c, aclexplode(c.relacl) a "
        "WHERE c.oid = 't_id_seq'::regclass AND a.grantee = 0 AND a.privilege_type = 'USAGE')",
    ),
]  # fmt: skip

TABLE_MEMBERS = [
    case(
        "add_column_then_unique",
        "ALTER TABLE t ADD CONSTRAINT ... UNIQUE (e) after ADD COLUMN e",
        [("b.sql", "CREATE TABLE t (id int)"), ("z/zz.sql", "ALTER TABLE t ADD COLUMN e int"),
         ("a.sql", "ALTER TABLE t ADD CONSTRAINT t_e_key UNIQUE (e)")],
        [(0, 1), (1, 2)],
        constraint_exists("t", "t_e_key", "u"),
    ),
    case(
        "primary_key_using_index",
        "ADD CONSTRAINT ... PRIMARY KEY USING INDEX i after CREATE UNIQUE INDEX i",
        [("b.sql", "CREATE TABLE t (id int NOT NULL)"),
         ("z/zz.sql", "CREATE UNIQUE INDEX t_id_idx ON t (id)"),
         ("a.sql", "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx")],
        [(0, 1), (1, 2)],
        constraint_exists("t", "t_pkey", "p"),
    ),
    case(
        "replica_identity_using_index",
        "REPLICA IDENTITY USING INDEX i after CREATE UNIQUE INDEX i",
        [("b.sql", "CREATE TABLE t (id int NOT NULL)"),
         ("z/zz.sql", "CREATE UNIQUE INDEX t_id_idx ON t (id)"),
         ("a.sql", "ALTER TABLE t REPLICA IDENTITY USING INDEX t_id_idx")],
        [(0, 1), (1, 2)],
        "SELECT relreplident = 'i' FROM pg_class WHERE oid = 't'::regclass",
    ),
    case(
        "foreign_key_after_referenced_primary_key",
        "pg_dump adds primary and foreign keys by ALTER TABLE: the FK needs the PK",
        [("b.sql", "CREATE TABLE u (id int NOT NULL)"), ("b.sql", "CREATE TABLE t (u_id int)"),
         ("z/zz.sql", "ALTER TABLE ONLY u ADD CONSTRAINT u_pkey PRIMARY KEY (id)"),
         ("a.sql", "ALTER TABLE ONLY t ADD CONSTRAINT t_u_fk FOREIGN KEY (u_id) "
                   "REFERENCES u (id)")],
        [(0, 2), (1, 3), (2, 3)],
        constraint_exists("t", "t_u_fk", "f"),
    ),
    case(
        "index_on_added_column",
        "CREATE INDEX on a column added by ALTER TABLE",
        [("b.sql", "CREATE TABLE t (id int)"), ("z/zz.sql", "ALTER TABLE t ADD COLUMN e int"),
         ("a.sql", "CREATE INDEX t_e_idx ON t (e)")],
        [(0, 1), (1, 2)],
        "SELECT to_regclass('t_e_idx') IS NOT NULL",
    ),
    case(
        "comment_on_added_column",
        "COMMENT ON COLUMN t.e after ADD COLUMN e",
        [("b.sql", "CREATE TABLE t (id int)"), ("z/zz.sql", "ALTER TABLE t ADD COLUMN e int"),
         ("a.sql", "COMMENT ON COLUMN t.e IS 'added later'")],
        [(0, 1), (1, 2)],
        "SELECT col_description('t'::regclass, 2) = 'added later'",
    ),
    case(
        "comment_on_constraint",
        "COMMENT ON CONSTRAINT c ON t after the ALTER TABLE that adds c",
        [("b.sql", "CREATE TABLE t (id int)"),
         ("z/zz.sql", "ALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 0)"),
         ("a.sql", "COMMENT ON CONSTRAINT t_id_check ON t IS 'positive'")],
        [(0, 1), (1, 2)],
        "SELECT obj_description(oid, 'pg_constraint') = 'positive' FROM pg_constraint "
        "WHERE conname = 't_id_check'",
    ),
    case(
        "statistics_on_added_column",
        "CREATE STATISTICS on a column added by ALTER TABLE",
        [("b.sql", "CREATE TABLE t (id int)"), ("z/zz.sql", "ALTER TABLE t ADD COLUMN e int"),
         ("a.sql", "CREATE STATISTICS t_stats (dependencies) ON id, e FROM t")],
        [(0, 1), (1, 2)],
        "SELECT EXISTS (SELECT FROM pg_statistic_ext WHERE stxname = 't_stats')",
    ),
    case(
        "trigger_after_function_and_table",
        "CREATE TRIGGER after its function and its table",
        [("z/zz.sql", STAMP_FN), ("m.sql", STAMPED_TABLE), ("a.sql", STAMP_TRIGGER)],
        [(0, 2), (1, 2)],
        "SELECT EXISTS (SELECT FROM pg_trigger WHERE tgname = 't_stamp' "
        "AND tgrelid = 't'::regclass)",
    ),
    case(
        "enable_trigger_after_trigger",
        "ALTER TABLE t ENABLE ALWAYS TRIGGER trg after CREATE TRIGGER trg",
        [("b.sql", STAMP_FN), ("b.sql", STAMPED_TABLE), ("z/zz.sql", STAMP_TRIGGER),
         ("a.sql", "ALTER TABLE t ENABLE ALWAYS TRIGGER t_stamp")],
        [(0, 2), (1, 2), (2, 3)],
        "SELECT tgenabled = 'A' FROM pg_trigger WHERE tgname = 't_stamp'",
    ),
]  # fmt: skip

FOREIGN_DATA = [
    case(
        "server_after_wrapper",
        "CREATE SERVER after its foreign-data wrapper",
        [("z/zz.sql", FDW), ("a.sql", SERVER)],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w "
        "ON w.oid = s.srvfdw WHERE s.srvname = 'ord_srv' AND w.fdwname = 'ord_fdw')",
    ),
    case(
        "user_mapping_after_server_and_role",
        "CREATE USER MAPPING after its server and its role",
        [("z/zz.sql", FDW), ("z/zz.sql", SERVER), ("y.sql", CREATE_ROLE),
         ("a.sql", f"CREATE USER MAPPING FOR {ROLE} SERVER ord_srv")],
        [(0, 1), (1, 3), (2, 3)],
        "SELECT EXISTS (SELECT FROM pg_user_mappings "
        f"WHERE srvname = 'ord_srv' AND usename = '{ROLE}')",
        roles=[ROLE],
    ),
    case(
        "foreign_table_after_server",
        "CREATE FOREIGN TABLE after its server",
        [("z/zz.sql", FDW), ("z/zz.sql", SERVER),
         ("a.sql", "CREATE FOREIGN TABLE ft (id int) SERVER ord_srv")],
        [(0, 1), (1, 2)],
        "SELECT relkind = 'f' FROM pg_class WHERE oid = 'ft'::regclass",
    ),
    case(
        "server_after_extension_wrapper",
        "a server of postgres_fdw after CREATE EXTENSION postgres_fdw",
        [("z/zz.sql", "CREATE EXTENSION postgres_fdw"),
         ("a.sql", "CREATE SERVER ord_srv FOREIGN DATA WRAPPER postgres_fdw "
                   "OPTIONS (dbname 'elsewhere')")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_foreign_server WHERE srvname = 'ord_srv')",
    ),
]  # fmt: skip

OTHER_KINDS = [
    case(
        "publication_for_table",
        "CREATE PUBLICATION ... FOR TABLE t after t",
        [("z/zz.sql", "CREATE TABLE t (id int PRIMARY KEY)"),
         ("a.sql", "CREATE PUBLICATION ord_pub FOR TABLE t")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_publication_tables "
        "WHERE pubname = 'ord_pub' AND tablename = 't')",
    ),
    case(
        "publication_for_tables_in_schema",
        "CREATE PUBLICATION ... FOR TABLES IN SCHEMA s after s",
        [("z/zz.sql", "CREATE SCHEMA s"),
         ("a.sql", "CREATE PUBLICATION ord_pub FOR TABLES IN SCHEMA s")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_publication_namespace pn JOIN pg_publication p "
        "ON p.oid = pn.pnpubid WHERE p.pubname = 'ord_pub' AND pn.pnnspid = 's'::regnamespace)",
    ),
    case(
        "rule_after_its_tables",
        "CREATE RULE ... ON t DO INSTEAD on another table needs both",
        [("b.sql", "CREATE TABLE t (id int)"), ("z/zz.sql", "CREATE TABLE t_log (id int)"),
         ("a.sql", "CREATE RULE t_redirect AS ON INSERT TO t "
                   "DO INSTEAD INSERT INTO t_log (id) VALUES (NEW.id)")],
        [(0, 2), (1, 2)],
        "SELECT EXISTS (SELECT FROM pg_rules WHERE rulename = 't_redirect' "
        "AND tablename = 't')",
    ),
    case(
        "event_trigger_after_function",
        "CREATE EVENT TRIGGER after its function",
        [("z/zz.sql", "CREATE FUNCTION ord_on_ddl() RETURNS event_trigger LANGUAGE plpgsql "
                      "AS $$ BEGIN END $$"),
         ("a.sql", "CREATE EVENT TRIGGER ord_ddl ON ddl_command_end "
                   "EXECUTE FUNCTION ord_on_ddl()")],
        [(0, 1)],
        "SELECT evtfoid = 'ord_on_ddl'::regproc FROM pg_event_trigger "
        "WHERE evtname = 'ord_ddl'",
    ),
    case(
        "collation_of_column",
        'a column COLLATE "c1" after CREATE COLLATION c1',
        [("z/zz.sql", 'CREATE COLLATION ord_c FROM "C"'),
         ("a.sql", 'CREATE TABLE t (name text COLLATE "ord_c")')],
        [(0, 1)],
        "SELECT c.collname = 'ord_c' FROM pg_attribute a JOIN pg_collation c "
        "ON c.oid = a.attcollation WHERE a.attrelid = 't'::regclass AND a.attname = 'name'",
    ),
    case(
        "aggregate_after_its_functions",
        "CREATE AGGREGATE after its SFUNC, FINALFUNC and COMBINEFUNC",
        [("z/zz.sql", "CREATE FUNCTION ord_add(int, int) RETURNS int LANGUAGE sql "
                      "IMMUTABLE AS 'SELECT $1 + $2'"),
         ("y.sql", "CREATE FUNCTION ord_times_ten(int) RETURNS int LANGUAGE sql "
                   "IMMUTABLE AS 'SELECT $1 * 10'"),
         ("x.sql", "CREATE FUNCTION ord_combine(int, int) RETURNS int LANGUAGE sql "
                   "IMMUTABLE AS 'SELECT $1 + $2'"),
         ("a.sql", "CREATE AGGREGATE ord_sum(int) (SFUNC = ord_add, STYPE = int, "
                   "INITCOND = '0', FINALFUNC = ord_times_ten, COMBINEFUNC = ord_combine)")],
        [(0, 3), (1, 3), (2, 3)],
        "SELECT ord_sum(x) = 60 FROM generate_series(1, 3) x",
    ),
    case(
        "operator_after_function",
        "CREATE OPERATOR after its function",
        [("z/zz.sql", EQ_FN), ("a.sql", EQ_OP)],
        [(0, 1)],
        "SELECT 2 === 2",
    ),
    case(
        "operator_class_and_index",
        "an operator class after its operator and function; an index using it after it",
        [("z/zz.sql", EQ_FN), ("z/zz.sql", HASH_FN), ("y.sql", EQ_OP),
         ("c.sql", "CREATE TABLE t (id int)"),
         ("b.sql", "CREATE OPERATOR CLASS ord_hash_ops FOR TYPE int USING hash AS "
                   "OPERATOR 1 ===, FUNCTION 1 ord_hash(int)"),
         ("a.sql", "CREATE INDEX t_id_hash ON t USING hash (id ord_hash_ops)")],
        [(0, 2), (1, 4), (2, 4), (3, 5), (4, 5)],
        "SELECT o.opcname = 'ord_hash_ops' FROM pg_index x JOIN pg_opclass o "
        "ON o.oid = x.indclass[0] WHERE x.indexrelid = 't_id_hash'::regclass",
    ),
    case(
        "operator_family_members",
        "ALTER OPERATOR FAMILY ... ADD after the family, the operator and the function",
        [("z/zz.sql", EQ_FN), ("z/zz.sql", HASH_FN), ("y.sql", EQ_OP),
         ("m.sql", "CREATE OPERATOR FAMILY ord_fam USING hash"),
         ("a.sql", "ALTER OPERATOR FAMILY ord_fam USING hash ADD "
                   "OPERATOR 1 === (int, int), FUNCTION 1 ord_hash(int)")],
        [(0, 2), (1, 4), (2, 4), (3, 4)],
        "SELECT count(*) = 1 FROM pg_amop a JOIN pg_opfamily f ON f.oid = a.amopfamily "
        "WHERE f.opfname = 'ord_fam'",
    ),
    case(
        "cast_after_type_and_function",
        "CREATE CAST after its type and its function",
        [("z/zz.sql", "CREATE TYPE pair AS (a int, b int)"),
         ("y.sql", "CREATE FUNCTION pair_text(pair) RETURNS text LANGUAGE sql IMMUTABLE "
                   "AS $$ SELECT $1.a || ',' || $1.b $$"),
         ("a.sql", "CREATE CAST (pair AS text) WITH FUNCTION pair_text(pair)")],
        [(0, 1), (1, 2)],
        "SELECT (ROW(1, 2)::pair)::text = '1,2'",
    ),
    case(
        "text_search_configuration_literal",
        "to_tsvector('cfg', ...) in an index names a configuration in a string",
        [("z/zz.sql", "CREATE TEXT SEARCH CONFIGURATION ord_cfg (COPY = simple)"),
         ("b.sql", "CREATE TABLE t (body text)"),
         ("a.sql", "CREATE INDEX t_body_fts ON t USING gin (to_tsvector('ord_cfg', body))")],
        [(0, 2), (1, 2)],
        "SELECT pg_get_indexdef('t_body_fts'::regclass) LIKE '%ord_cfg%'",
    ),
]  # fmt: skip

EXTENSIONS = [
    case(
        "extension_type_column",
        "a column of type hstore after CREATE EXTENSION hstore",
        [("z/zz.sql", "CREATE EXTENSION hstore"), ("a.sql", "CREATE TABLE t (attrs hstore)")],
        [(0, 1)],
        f"SELECT ({column_type('t', 'attrs')}) = 'hstore'",
    ),
    case(
        "extension_in_schema_type_column",
        "a column of type ext.hstore after CREATE EXTENSION hstore SCHEMA ext",
        [("z/zz.sql", "CREATE SCHEMA ext"), ("m.sql", "CREATE EXTENSION hstore SCHEMA ext"),
         ("a.sql", "CREATE TABLE t (attrs ext.hstore)")],
        [(0, 1), (1, 2)],
        f"SELECT ({column_type('t', 'attrs')}) = 'ext.hstore'",
    ),
    case(
        "extension_operator_class_index",
        "an index using gin_trgm_ops after CREATE EXTENSION pg_trgm",
        [("z/zz.sql", "CREATE EXTENSION pg_trgm"), ("b.sql", "CREATE TABLE t (name text)"),
         ("a.sql", "CREATE INDEX t_name_trgm ON t USING gin (name gin_trgm_ops)")],
        [(0, 2), (1, 2)],
        "SELECT to_regclass('t_name_trgm') IS NOT NULL",
    ),
    case(
        "extension_exclusion_constraint",
        "a gist exclusion on an int column needs btree_gist",
        [("z/zz.sql", "CREATE EXTENSION btree_gist"),
         ("a.sql", "CREATE TABLE booking (room int, during tsrange, "
                   "EXCLUDE USING gist (room WITH =, during WITH &&))")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'booking'::regclass "
        "AND contype = 'x')",
    ),
    case(
        "extension_function_call",
        "a view calling similarity() after CREATE EXTENSION pg_trgm",
        [("z/zz.sql", "CREATE EXTENSION pg_trgm"),
         ("a.sql", "CREATE VIEW v AS SELECT similarity('word', 'words') AS sim")],
        [(0, 1)],
        "SELECT sim > 0 FROM v",
    ),
]  # fmt: skip

TYPES = [
    case(
        "unique_index_nulls_not_distinct",
        "CREATE UNIQUE INDEX ... NULLS NOT DISTINCT after its table",
        [("z/zz.sql", "CREATE TABLE t (e int)"),
         ("a.sql", "CREATE UNIQUE INDEX t_e_key ON t (e) NULLS NOT DISTINCT")],
        [(0, 1)],
        "SELECT indnullsnotdistinct FROM pg_index WHERE indexrelid = 't_e_key'::regclass",
    ),
    case(
        "domain_column",
        "a column of a domain type after CREATE DOMAIN",
        [("z/zz.sql", "CREATE DOMAIN posint AS int CHECK (VALUE > 0)"),
         ("a.sql", "CREATE TABLE t (n posint)")],
        [(0, 1)],
        f"SELECT ({column_type('t', 'n')}) = 'posint'",
    ),
    case(
        "domain_over_enum",
        "a domain over an enum after the enum",
        [("z/zz.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok')"),
         ("a.sql", "CREATE DOMAIN known_mood AS mood NOT NULL")],
        [(0, 1)],
        "SELECT typbasetype = 'mood'::regtype FROM pg_type WHERE typname = 'known_mood'",
    ),
    case(
        "composite_type_column",
        "a column of a composite type after CREATE TYPE ... AS (...)",
        [("z/zz.sql", "CREATE TYPE pair AS (a int, b int)"), ("a.sql", "CREATE TABLE t (p pair)")],
        [(0, 1)],
        f"SELECT ({column_type('t', 'p')}) = 'pair'",
    ),
    case(
        "enum_add_value_after_added_value",
        "ADD VALUE 'meh' AFTER 'sad' after the statement that created 'sad'",
        [("b.sql", "CREATE TYPE mood AS ENUM ('ok')"),
         ("z/zz.sql", "ALTER TYPE mood ADD VALUE 'sad' BEFORE 'ok'"),
         ("a.sql", "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'")],
        [(0, 1), (1, 2)],
        "SELECT string_agg(enumlabel::text, ',' ORDER BY enumsortorder) = 'sad,meh,ok' "
        "FROM pg_enum WHERE enumtypid = 'mood'::regtype",
    ),
]  # fmt: skip

PARTITIONS = [
    case(
        "partition_of",
        "CREATE TABLE ... PARTITION OF p after p",
        [("z/zz.sql", "CREATE TABLE p (id int) PARTITION BY RANGE (id)"),
         ("a.sql", "CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM (1) TO (10)")],
        [(0, 1)],
        "SELECT relispartition FROM pg_class WHERE oid = 'p_1'::regclass",
    ),
    case(
        "attach_partition",
        "ALTER TABLE p ATTACH PARTITION c after both",
        [("z/zz.sql", "CREATE TABLE p (id int) PARTITION BY RANGE (id)"),
         ("y.sql", "CREATE TABLE p_1 (id int)"),
         ("a.sql", "ALTER TABLE p ATTACH PARTITION p_1 FOR VALUES FROM (1) TO (10)")],
        [(0, 2), (1, 2)],
        "SELECT relispartition FROM pg_class WHERE oid = 'p_1'::regclass",
    ),
    case(
        "attach_partition_after_parent_add_column",
        "ATTACH PARTITION after the parent's ADD COLUMN (the columns must match)",
        [("b.sql", "CREATE TABLE p (id int) PARTITION BY RANGE (id)"),
         ("b.sql", "CREATE TABLE p_1 (id int, e int)"),
         ("z/zz.sql", "ALTER TABLE p ADD COLUMN e int"),
         ("a.sql", "ALTER TABLE p ATTACH PARTITION p_1 FOR VALUES FROM (1) TO (10)")],
        [(0, 2), (1, 3), (2, 3)],
        "SELECT relispartition FROM pg_class WHERE oid = 'p_1'::regclass",
    ),
    case(
        "index_attach_partition",
        "pg_dump's ALTER INDEX p_idx ATTACH PARTITION c_idx after both indexes; the index "
        "ON ONLY p after the partition (else the partition clones it, and the partition's "
        "own CREATE INDEX collides)",
        [("b.sql", "CREATE TABLE p (id int) PARTITION BY RANGE (id)"),
         ("z/zzz.sql", "CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM (1) TO (10)"),
         ("y.sql", "CREATE INDEX p_1_id_idx ON p_1 (id)"),
         ("z/zz.sql", "CREATE INDEX p_id_idx ON ONLY p (id)"),
         ("a.sql", "ALTER INDEX p_id_idx ATTACH PARTITION p_1_id_idx")],
        [(0, 1), (1, 2), (1, 3), (2, 4), (3, 4)],
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'p_id_idx'::regclass",
    ),
    case(
        "inherits",
        "CREATE TABLE ... INHERITS (p) after p",
        [("z/zz.sql", "CREATE TABLE p (id int)"),
         ("a.sql", "CREATE TABLE c (x int) INHERITS (p)")],
        [(0, 1)],
        "SELECT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = 'c'::regclass "
        "AND inhparent = 'p'::regclass)",
    ),
]  # fmt: skip

# ------------------------------------------- order-sensitive meaning: no error, another result

SILENT = [
    case(
        "default_privileges_before_tables_of_schema",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA s ... ON TABLES covers only tables (and views) "
        "created after it",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("z/zz.sql", f"ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO {ROLE}"),
         ("a.sql", "CREATE TABLE s.t (id int)"),
         ("b.sql", "CREATE VIEW s.v AS SELECT 1 AS one")],
        [(2, 3), (2, 4)],
        f"SELECT has_table_privilege('{ROLE}', 's.t', 'SELECT') "
        f"AND has_table_privilege('{ROLE}', 's.v', 'SELECT')",
        roles=[ROLE],
        silent=True,
    ),
    case(
        "default_privileges_before_sequences_of_schema",
        "... ON SEQUENCES covers only sequences created after it, serial ones included",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("z/zz.sql", f"ALTER DEFAULT PRIVILEGES IN SCHEMA s "
                      f"GRANT USAGE ON SEQUENCES TO {ROLE}"),
         ("a.sql", "CREATE SEQUENCE s.q"),
         ("b.sql", "CREATE TABLE s.t (id serial)")],
        [(2, 3), (2, 4)],
        f"SELECT has_sequence_privilege('{ROLE}', 's.q', 'USAGE') "
        f"AND has_sequence_privilege('{ROLE}', 's.t_id_seq', 'USAGE')",
        roles=[ROLE],
        silent=True,
    ),
    case(
        "default_privileges_before_functions_of_schema",
        "... ON FUNCTIONS covers only functions created after it",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("z/zz.sql", f"ALTER DEFAULT PRIVILEGES IN SCHEMA s "
                      f"GRANT EXECUTE ON FUNCTIONS TO {ROLE}"),
         ("a.sql", "CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1'")],
        [(2, 3)],
        acl_has("pg_proc", "proacl", "'s.f()'::regprocedure", ROLE),
        roles=[ROLE],
        silent=True,
    ),
    case(
        "default_privileges_before_types_of_schema",
        "... ON TYPES covers only types created after it",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("z/zz.sql", f"ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT USAGE ON TYPES TO {ROLE}"),
         ("a.sql", "CREATE TYPE s.mood AS ENUM ('ok')")],
        [(2, 3)],
        acl_has("pg_type", "typacl", "'s.mood'::regtype", ROLE),
        roles=[ROLE],
        silent=True,
    ),
    case(
        "default_privileges_before_every_table",
        "ALTER DEFAULT PRIVILEGES without IN SCHEMA covers tables of every schema",
        [("0.sql", CREATE_ROLE),
         ("z/zz.sql", f"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {ROLE}"),
         ("a.sql", "CREATE TABLE t (id int)")],
        [(1, 2)],
        f"SELECT has_table_privilege('{ROLE}', 't', 'SELECT')",
        roles=[ROLE],
        silent=True,
    ),
    case(
        "default_privileges_before_schemas",
        "ALTER DEFAULT PRIVILEGES ... ON SCHEMAS covers schemas created after it",
        [("0.sql", CREATE_ROLE),
         ("z/zz.sql", f"ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO {ROLE}"),
         ("a.sql", "CREATE SCHEMA s")],
        [(1, 2)],
        f"SELECT has_schema_privilege('{ROLE}', 's', 'USAGE')",
        roles=[ROLE],
        silent=True,
    ),
    case(
        "grant_on_all_tables_after_tables_of_schema",
        "GRANT ... ON ALL TABLES IN SCHEMA s covers only the tables (and views) that exist",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("z/v.sql", "CREATE VIEW s.v AS SELECT 1 AS one"),
         ("z/zz.sql", "CREATE TABLE s.t (id int)"),
         ("a.sql", f"GRANT SELECT ON ALL TABLES IN SCHEMA s TO {ROLE}")],
        [(2, 4), (3, 4)],
        f"SELECT has_table_privilege('{ROLE}', 's.t', 'SELECT') "
        f"AND has_table_privilege('{ROLE}', 's.v', 'SELECT')",
        roles=[ROLE],
        silent=True,
    ),
    case(
        "grant_on_all_sequences_after_sequences_of_schema",
        "GRANT ... ON ALL SEQUENCES IN SCHEMA s: after its sequences, serial ones included",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("y.sql", "CREATE SEQUENCE s.q"),
         ("z/zz.sql", "CREATE TABLE s.t (id serial)"),
         ("a.sql", f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA s TO {ROLE}")],
        [(2, 4), (3, 4)],
        f"SELECT has_sequence_privilege('{ROLE}', 's.q', 'USAGE') "
        f"AND has_sequence_privilege('{ROLE}', 's.t_id_seq', 'USAGE')",
        roles=[ROLE],
        silent=True,
    ),
    case(
        "grant_on_all_functions_after_functions_of_schema",
        "GRANT ... ON ALL FUNCTIONS IN SCHEMA s covers only the functions that exist",
        [("0.sql", "CREATE SCHEMA s"), ("0.sql", CREATE_ROLE),
         ("z/zz.sql", "CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
         ("a.sql", f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA s TO {ROLE}")],
        [(2, 3)],
        acl_has("pg_proc", "proacl", "'s.f()'::regprocedure", ROLE),
        roles=[ROLE],
        silent=True,
    ),
    case(
        "like_including_all_after_index",
        "LIKE src INCLUDING ALL copies the indexes src has at that moment",
        [("0.sql", LIKE_SRC), ("z/zz.sql", "CREATE INDEX src_e_idx ON src (e)"),
         ("a.sql", LIKE_DST)],
        [(1, 2)],
        "SELECT EXISTS (SELECT FROM pg_index WHERE indrelid = 'dst'::regclass)",
        silent=True,
    ),
    case(
        "like_including_all_after_added_constraint",
        "LIKE src INCLUDING ALL copies the CHECK constraints src has at that moment",
        [("0.sql", LIKE_SRC),
         ("z/zz.sql", "ALTER TABLE src ADD CONSTRAINT src_e_check CHECK (e > 0)"),
         ("a.sql", LIKE_DST)],
        [(1, 2)],
        "SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'dst'::regclass "
        "AND contype = 'c')",
        silent=True,
    ),
    case(
        "like_including_all_after_comment",
        "LIKE src INCLUDING ALL copies the column comments src has at that moment",
        [("0.sql", LIKE_SRC), ("z/zz.sql", "COMMENT ON COLUMN src.e IS 'the e'"),
         ("a.sql", LIKE_DST)],
        [(1, 2)],
        "SELECT col_description('dst'::regclass, 2) IS NOT DISTINCT FROM 'the e'",
        silent=True,
    ),
    case(
        "like_including_all_after_set_default",
        "LIKE src INCLUDING ALL copies the defaults src has at that moment",
        [("0.sql", LIKE_SRC), ("z/zz.sql", "ALTER TABLE src ALTER COLUMN e SET DEFAULT 7"),
         ("a.sql", LIKE_DST)],
        [(1, 2)],
        f"SELECT ({default_expr('dst')}) IS NOT DISTINCT FROM '7'",
        silent=True,
    ),
    case(
        "like_after_added_column",
        "LIKE src copies the columns src has at that moment",
        [("0.sql", LIKE_SRC), ("z/zz.sql", "ALTER TABLE src ADD COLUMN f int"),
         ("a.sql", LIKE_DST)],
        [(1, 2)],
        "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'dst'::regclass "
        "AND attname = 'f')",
        silent=True,
    ),
    case(
        "view_star_after_added_column",
        "SELECT * in a view is expanded once, at CREATE VIEW",
        [("0.sql", "CREATE TABLE t (id int)"), ("z/zz.sql", "ALTER TABLE t ADD COLUMN e int"),
         ("a.sql", "CREATE VIEW v AS SELECT * FROM t")],
        [(1, 2)],
        "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'v'::regclass "
        "AND attname = 'e')",
        silent=True,
    ),
    case(
        "insert_after_trigger",
        "rows inserted before a trigger exists never pass through it",
        [("0.sql", STAMP_FN), ("0.sql", STAMPED_TABLE), ("z/zz.sql", STAMP_TRIGGER),
         ("a.sql", "INSERT INTO t (id) VALUES (1)")],
        [(2, 3)],
        "SELECT stamped FROM t WHERE id = 1",
        silent=True,
    ),
    case(
        "insert_after_set_default",
        "rows inserted before ALTER COLUMN SET DEFAULT keep NULL",
        [("0.sql", "CREATE TABLE t (id int, e int)"),
         ("z/zz.sql", "ALTER TABLE t ALTER COLUMN e SET DEFAULT 7"),
         ("a.sql", "INSERT INTO t (id) VALUES (1)")],
        [(1, 2)],
        "SELECT e IS NOT DISTINCT FROM 7 FROM t WHERE id = 1",
        silent=True,
    ),
    # not silent: in the wrong order the duplicates go in and ADD CONSTRAINT raises
    case(
        "insert_after_unique_constraint",
        "ON CONFLICT DO NOTHING skips duplicates only once the constraint exists (else the "
        "duplicates go in and ADD CONSTRAINT fails)",
        [("0.sql", "CREATE TABLE t (id int)"),
         ("z/zz.sql", "ALTER TABLE t ADD CONSTRAINT t_id_key UNIQUE (id)"),
         ("a.sql", "INSERT INTO t (id) VALUES (1), (1) ON CONFLICT DO NOTHING")],
        [(1, 2)],
        "SELECT count(*) = 1 FROM t",
    ),
    case(
        "inherits_after_parent_add_column",
        "a child created before the parent's ADD COLUMN gets that column last, not in the "
        "parent's place",
        [("0.sql", "CREATE TABLE p (id int)"), ("z/zz.sql", "ALTER TABLE p ADD COLUMN e int"),
         ("a.sql", "CREATE TABLE c (x int) INHERITS (p)")],
        [(1, 2)],
        "SELECT array_agg(attname::text ORDER BY attnum) = '{id,e,x}' FROM pg_attribute "
        "WHERE attrelid = 'c'::regclass AND attnum > 0",
        silent=True,
    ),
]  # fmt: skip

# ------------------------------------------------------- what the files cannot tell: --strict

DYNAMIC = case(
    "dynamic_sql_in_do",
    "a table created by EXECUTE of a string computed at run time: only the server knows",
    [("z/zz.sql", "DO $$ DECLARE t text := 'dyn'; BEGIN EXECUTE 'CREATE TABLE ' || t || ' (id int)'; END $$"),
     ("a.sql", "CREATE VIEW v AS SELECT id FROM dyn")],
    [(0, 1)],
    "SELECT to_regclass('v') IS NOT NULL",
    known_from_files=False,
)  # fmt: skip

CASES: tuple[OrderCase, ...] = (
    *ROLES,
    *BODIES,
    *SEQUENCES,
    *TABLE_MEMBERS,
    *FOREIGN_DATA,
    *OTHER_KINDS,
    *EXTENSIONS,
    *TYPES,
    *PARTITIONS,
    *SILENT,
    DYNAMIC,
)
