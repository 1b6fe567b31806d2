"""Splitting files into statements and learning what each creates and references."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemactl.core.parse import parse_file
from schemactl.errors import ParseError
from schemactl.model import Namespace, ObjectRef, SqlFile, Statement

REPO_SQL = Path(__file__).resolve().parents[2] / "sql"


def parse(sql: str, relpath: str = "x.sql") -> tuple[Statement, ...]:
    return parse_file(SqlFile(relpath, f"sql/{relpath}", sql, "0" * 64))


def one(sql: str) -> Statement:
    statements = parse(sql)
    assert len(statements) == 1, [s.sql for s in statements]
    return statements[0]


def rel(name: str) -> ObjectRef:
    return ObjectRef(Namespace.RELATION, name)


def fn(name: str) -> ObjectRef:
    return ObjectRef(Namespace.FUNCTION, name)


def typ(name: str) -> ObjectRef:
    return ObjectRef(Namespace.TYPE, name)


def schema(name: str) -> ObjectRef:
    return ObjectRef(Namespace.SCHEMA, name)


def role(name: str) -> ObjectRef:
    return ObjectRef(Namespace.ROLE, name)


# ---------------------------------------------------------------------------- splitting


def test_split_keeps_semicolons_inside_strings_names_comments_and_dollar_quotes() -> None:
    text = (
        "CREATE TABLE a (s text DEFAULT 'x;y', e text DEFAULT E'it\\'s;', \"we;ird\" int);\n"
        "-- a comment; with a semicolon\n"
        "/* block; comment */\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n"
        "CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;\n"
        ";;\n"
        "  SELECT 1"  # the last statement needs no semicolon
    )
    statements = parse(text)
    assert [s.kind for s in statements] == [
        "CREATE TABLE",
        "CREATE FUNCTION",
        "CREATE FUNCTION",
        "SELECT",
    ]
    assert statements[0].sql.endswith('"we;ird" int)')
    assert statements[1].sql == "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$"
    assert statements[2].sql.endswith("$body$ BEGIN RETURN 1; END $body$")
    assert statements[3].sql == "SELECT 1"
    assert [s.index for s in statements] == [0, 1, 2, 3]


def test_offset_line_and_col_point_at_the_first_token() -> None:
    text = "-- header\n\n   CREATE TABLE t (id int);\n\tSELECT 1;"
    first, second = parse(text)
    assert (first.line, first.col) == (3, 4)
    assert text[first.offset :].startswith("CREATE TABLE t")
    assert (second.line, second.col) == (4, 2)
    assert first.location == "sql/x.sql:3:4"


def test_begin_atomic_body_keeps_its_semicolons() -> None:
    (st,) = parse(
        "CREATE FUNCTION h(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC\n"
        "  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END FROM t;\n"
        "END;"
    )
    assert st.kind == "CREATE FUNCTION"
    assert rel("public.t") in st.references


# ---------------------------------------------------------------------------- errors


def test_unparsable_statement_reports_file_line_col_of_the_token() -> None:
    text = (
        "CREATE TABLE fine (id int);\n\nCREATE TABLE broken (\n  id int,\n  name text oops here\n);"
    )
    with pytest.raises(ParseError) as info:
        parse(text, "tables/broken.sql")
    err = info.value
    assert (err.path, err.line, err.col) == ("sql/tables/broken.sql", 5, 13)
    assert err.message == 'sql/tables/broken.sql:5:13: syntax error at or near "oops"'  # the server's words
    assert "\n" not in err.message


def test_unterminated_string_reports_where_it_starts() -> None:
    with pytest.raises(ParseError) as info:
        parse("SELECT 1;\nCREATE TABLE u (s text DEFAULT 'abc);\n")
    assert (info.value.line, info.value.col) == (2, 32)
    assert "unterminated" in info.value.message


def test_broken_policy_expression_points_into_the_expression() -> None:
    with pytest.raises(ParseError) as info:
        parse("CREATE POLICY p ON t\n  USING (id = );")
    assert (info.value.line, info.value.col) == (2, 15)
    assert 'syntax error at or near ")"' in info.value.message


def test_malformed_command_is_a_parse_error_not_a_crash() -> None:
    with pytest.raises(ParseError, match=r'sql/x.sql:1:17: syntax error at or near "USING"'):
        parse("CREATE POLICY p USING (true);")


# ---------------------------------------------------------------------------- tables, indexes, views


def test_create_table_references_fk_targets_types_and_qualified_defaults() -> None:
    st = one(
        "CREATE TABLE Accounts (\n"
        "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n"
        '  org_id uuid REFERENCES "Orgs"(id),\n'
        "  owner uuid REFERENCES auth.users(id),\n"
        "  status account_status,\n"
        "  kind private.kind[],\n"
        "  score int DEFAULT private.default_score(),\n"
        "  FOREIGN KEY (org_id, id) REFERENCES memberships (org_id, account_id)\n"
        ")"
    )
    assert st.kind == "CREATE TABLE"
    assert st.creates[0] == rel("public.accounts")
    assert ObjectRef(Namespace.COLUMN, "public.accounts.org_id") in st.creates
    assert ObjectRef(Namespace.KEY, "public.accounts()") in st.creates  # the primary key
    assert {
        rel("public.Orgs"),
        rel("auth.users"),
        schema("auth"),
        rel("public.memberships"),
        typ("private.kind"),
        fn("private.default_score"),
        schema("private"),
    } <= set(st.references)
    assert typ("public.account_status") in st.optional_references
    assert rel("public.accounts") not in st.references  # no self-edge


def test_partition_of_and_like_reference_the_parent() -> None:
    part = one(
        "CREATE TABLE ev_2025 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')"
    )
    assert part.creates == (rel("public.ev_2025"), ObjectRef(Namespace.PARTITION, "public.ev_2025"))
    assert part.references == (rel("public.ev"),)
    assert part.alters == (rel("public.ev"),)  # the parent gains a partition
    default = one("CREATE TABLE ev_default PARTITION OF private.ev DEFAULT")
    assert set(default.references) == {rel("private.ev"), schema("private")}
    like = one("CREATE TABLE copy (LIKE original INCLUDING ALL)")
    assert like.references == (rel("public.original"),)


def test_create_index_lives_in_the_schema_of_its_table() -> None:
    st = one(
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY private.t USING btree (a, b)"
    )
    assert st.kind == "CREATE INDEX"
    assert st.creates == (rel("private.i"), ObjectRef(Namespace.KEY, "private.t(a,b)"))
    assert set(st.references) == {rel("private.t"), schema("private")}
    expr = one("CREATE INDEX j ON t (lower(x)) WHERE private.active(x)")
    assert expr.creates == (rel("public.j"),)
    assert {rel("public.t"), fn("private.active")} <= set(expr.references)
    unnamed = one("CREATE INDEX ON t (x)")
    assert unnamed.creates == (rel("public.t_x_idx"),)  # the name PostgreSQL chooses
    assert unnamed.references == (rel("public.t"),)


def test_materialized_view_references_joins_lateral_and_subqueries_not_ctes() -> None:
    st = one(
        "CREATE MATERIALIZED VIEW stats AS\n"
        "WITH recent AS (SELECT * FROM events WHERE at > now() - interval '1 day')\n"
        "SELECT p.id, (SELECT count(*) FROM members m WHERE m.p = p.id) AS n\n"
        "FROM projects p\n"
        "LEFT JOIN recent r ON r.project_id = p.id\n"
        "LEFT JOIN LATERAL (SELECT * FROM telemetry t WHERE t.p = p.id LIMIT 1) x ON true"
    )
    assert st.kind == "CREATE MATERIALIZED VIEW"
    assert st.creates == (rel("public.stats"),)
    assert set(st.references) == {
        rel("public.events"),
        rel("public.members"),
        rel("public.projects"),
        rel("public.telemetry"),
    }


def test_view_with_options_that_sqlglot_rejects_is_retried_without_them() -> None:
    st = one("CREATE VIEW v WITH (security_barrier, security_invoker = true) AS SELECT * FROM t")
    assert st.kind == "CREATE VIEW"
    assert st.sql.startswith("CREATE VIEW v WITH (security_barrier")  # executed as written
    assert st.creates == (rel("public.v"),)
    assert st.references == (rel("public.t"),)


def test_alter_table_add_constraint_references_target_and_fk_table() -> None:
    st = one("ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id)")
    assert st.kind == "ALTER TABLE"
    assert set(st.references) == {rel("public.a"), rel("public.b")}


def test_alter_table_owner_falls_back_and_still_names_the_table() -> None:
    st = one("ALTER TABLE a OWNER TO app")
    assert st.kind == "ALTER TABLE"
    assert st.references == (rel("public.a"),)
    assert role("app") in st.optional_references


def test_dml_references_tables_and_qualified_calls() -> None:
    st = one("INSERT INTO audit (who) SELECT auth.uid() FROM accounts")
    assert st.kind == "INSERT"
    assert {rel("public.audit"), rel("public.accounts"), fn("auth.uid")} <= set(st.references)
    cron = one("SELECT cron.schedule('x', '* * * * *', 'select 1')")
    assert set(cron.references) == {schema("cron"), fn("cron.schedule")}


def test_unqualified_calls_are_optional_and_builtin_types_are_dropped() -> None:
    st = one("CREATE TABLE t (id uuid, n int DEFAULT my_default())")
    assert fn("public.my_default") in st.optional_references
    assert typ("public.uuid") not in st.optional_references
    assert all(r.namespace is not Namespace.FUNCTION for r in st.references)


# ---------------------------------------------------------------------------- sqlglot's Commands


def test_create_policy() -> None:
    st = one(
        'CREATE POLICY "Members read" ON public.projects AS RESTRICTIVE FOR SELECT\n'
        "  TO authenticated, service_role\n"
        "  USING (company_id IN (SELECT private.company_ids()) AND owner = (SELECT auth.uid()))\n"
        "  WITH CHECK (EXISTS (SELECT 1 FROM members m WHERE m.user_id = auth.uid()))"
    )
    assert st.kind == "CREATE POLICY"
    assert st.creates == (ObjectRef(Namespace.POLICY, "public.projects.Members read"),)
    assert {
        rel("public.projects"),
        fn("private.company_ids"),
        schema("private"),
        fn("auth.uid"),
        schema("auth"),
        rel("public.members"),
    } == set(st.references)
    assert {role("authenticated"), role("service_role")} <= set(st.optional_references)
    assert ObjectRef(Namespace.COLUMN, "public.projects.company_id") in st.optional_references


def test_enable_and_force_rls() -> None:
    enable, force, no_force, disable = parse(
        "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n"
        "ALTER TABLE IF EXISTS private.keys FORCE ROW LEVEL SECURITY;\n"
        "ALTER TABLE ONLY accounts NO FORCE ROW LEVEL SECURITY;\n"
        "ALTER TABLE accounts DISABLE ROW LEVEL SECURITY;"
    )
    assert (enable.kind, force.kind, no_force.kind, disable.kind) == (
        "ENABLE RLS",
        "FORCE RLS",
        "NO FORCE RLS",
        "DISABLE RLS",
    )
    assert enable.references == (rel("public.accounts"),)
    # IF EXISTS: a dependency only if some file creates the table
    assert set(force.optional_references) == {rel("private.keys"), schema("private")}
    assert no_force.references == (rel("public.accounts"),)
    assert enable.creates == force.creates == ()


def test_create_extension() -> None:
    st = one("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions CASCADE")
    assert st.kind == "CREATE EXTENSION"
    assert st.creates == (ObjectRef(Namespace.EXTENSION, "pgcrypto"),)
    assert st.references == (schema("extensions"),)


def test_create_role() -> None:
    st = one("CREATE ROLE app_reader NOLOGIN IN ROLE authenticated")
    assert st.kind == "CREATE ROLE"
    assert st.creates == (role("app_reader"),)
    assert st.optional_references == (role("authenticated"),)


def test_create_domain() -> None:
    st = one("CREATE DOMAIN private.email AS citext CHECK (VALUE ~ '@' AND private.valid(VALUE))")
    assert st.kind == "CREATE DOMAIN"
    assert st.creates == (typ("private.email"),)
    assert {schema("private"), fn("private.valid")} <= set(st.references)
    assert typ("public.citext") in st.optional_references


def test_alter_default_privileges() -> None:
    st = one(
        "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA private, api "
        "GRANT SELECT ON TABLES TO authenticated"
    )
    assert st.kind == "ALTER DEFAULT PRIVILEGES"
    assert set(st.references) == {schema("private"), schema("api")}
    assert {role("owner"), role("authenticated")} == set(st.optional_references)


def test_do_block_creates_what_its_body_creates() -> None:
    st = one(
        "DO $$ BEGIN\n"
        "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN\n"
        "    CREATE ROLE anon NOLOGIN;\n"
        "  END IF;\n"
        "  PERFORM private.setup();\n"
        "END $$"
    )
    assert st.kind == "DO"
    assert st.creates == (role("anon"),)  # read with PostgreSQL's PL/pgSQL parser
    assert set(st.references) == {fn("private.setup"), schema("private")}  # runs now


def test_refresh_materialized_view() -> None:
    st = one("REFRESH MATERIALIZED VIEW CONCURRENTLY private.stats WITH DATA")
    assert st.kind == "REFRESH MATERIALIZED VIEW"
    assert set(st.references) == {rel("private.stats"), schema("private")}


def test_create_function_with_set_and_security_definer() -> None:
    st = one(
        "CREATE OR REPLACE FUNCTION private.company_ids(roles text[], kind private.kind)\n"
        "RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''\n"
        "AS $$ SELECT cm.company_id FROM public.company_members cm\n"
        "      WHERE cm.user_id = (SELECT auth.uid()) AND cm.role = ANY (roles) $$"
    )
    assert st.kind == "CREATE FUNCTION"
    assert st.creates[0] == fn("private.company_ids")
    assert {
        schema("private"),
        typ("private.kind"),
        rel("public.company_members"),
        fn("auth.uid"),
    } <= set(st.references)


def test_plpgsql_body_gives_no_references() -> None:
    st = one(
        "CREATE FUNCTION refresh_stats() RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN REFRESH MATERIALIZED VIEW CONCURRENTLY stats; END; $$"
    )
    assert st.creates[0] == fn("public.refresh_stats")
    assert st.references == ()


def test_function_returning_a_table_row_type() -> None:
    st = one(
        "CREATE FUNCTION me() RETURNS public.profiles LANGUAGE sql AS 'SELECT * FROM profiles'"
    )
    # a qualified type must exist; the graph resolves it to the table's row type
    assert typ("public.profiles") in st.references
    assert rel("public.profiles") in st.references


def test_create_trigger_references_table_and_function() -> None:
    st = one(
        "CREATE TRIGGER touch BEFORE UPDATE OF name ON private.accounts\n"
        "FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION private.touch()"
    )
    assert st.kind == "CREATE TRIGGER"
    assert st.creates == (ObjectRef(Namespace.TRIGGER, "private.accounts.touch"),)
    assert {rel("private.accounts"), fn("private.touch")} <= set(st.references)


def test_schema_type_sequence() -> None:
    create_schema, enum, composite, seq = parse(
        "CREATE SCHEMA IF NOT EXISTS private AUTHORIZATION owner;\n"
        "CREATE TYPE status AS ENUM ('a', 'b');\n"
        "CREATE TYPE pair AS (a int, b private.kind);\n"
        "CREATE SEQUENCE private.seq OWNED BY private.t.id;"
    )
    assert create_schema.creates == (schema("private"),)
    assert create_schema.optional_references == (role("owner"),)
    assert enum.creates[0] == typ("public.status")
    assert ObjectRef(Namespace.ENUM_LABEL, "public.status.b") in enum.creates
    assert typ("private.kind") in composite.references
    assert seq.creates == (rel("private.seq"),)
    assert rel("private.t") in seq.references


def test_grant_and_revoke_reference_their_objects_and_roles() -> None:
    table, columns, function, schema_usage, all_in, membership = parse(
        "GRANT SELECT, INSERT ON accounts, private.keys TO authenticated;\n"
        "GRANT SELECT (id, name) ON TABLE accounts TO anon;\n"
        "REVOKE ALL ON FUNCTION private.f(uuid) FROM PUBLIC;\n"
        "GRANT USAGE ON SCHEMA private TO authenticated, service_role;\n"
        "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA private TO authenticated;\n"
        "GRANT authenticated TO app;"
    )
    assert table.kind == "GRANT" and function.kind == "REVOKE"
    assert {rel("public.accounts"), rel("private.keys")} <= set(table.references)
    assert columns.references == (rel("public.accounts"),)
    assert role("anon") in columns.optional_references
    assert ObjectRef(Namespace.COLUMN, "public.accounts.name") in columns.optional_references
    assert fn("private.f") in function.references
    assert function.optional_references == ()  # PUBLIC is not a role
    assert schema_usage.references == (schema("private"),)
    assert all_in.references == (schema("private"),)
    assert set(membership.optional_references) == {role("authenticated"), role("app")}


def test_comment_references_the_commented_object() -> None:
    table, column, policy = parse(
        "COMMENT ON TABLE accounts IS 'x';\n"
        "COMMENT ON COLUMN private.accounts.name IS 'y';\n"
        "COMMENT ON POLICY \"read\" ON accounts IS 'z';"
    )
    assert table.kind == "COMMENT"
    assert table.references == (rel("public.accounts"),)
    assert rel("private.accounts") in column.references
    assert ObjectRef(Namespace.POLICY, "public.accounts.read") in policy.optional_references
    assert rel("public.accounts") in policy.references


def test_unknown_commands_never_crash() -> None:
    statements = parse(
        "CREATE AGGREGATE private.agg (int) (sfunc = int4pl, stype = int);\n"
        "SET search_path = public;\n"
        "DROP TABLE IF EXISTS old, private.older CASCADE;\n"
        "ALTER FUNCTION private.f() OWNER TO postgres;\n"
        "SECURITY LABEL ON TABLE t IS 'x';"
    )
    kinds = [s.kind for s in statements]
    assert kinds == ["CREATE AGGREGATE", "SET", "DROP TABLE", "ALTER FUNCTION", "SECURITY"]
    assert statements[0].creates == (fn("private.agg"),)
    assert rel("private.older") in statements[2].optional_references
    assert fn("private.f") in statements[3].references


def test_identifiers_over_63_bytes_are_one_name_with_their_truncation_and_warned() -> None:
    long = "t_" + "x" * 70
    create, index = parse(f"CREATE TABLE {long} (id int);\nCREATE INDEX i ON {long[:63]} (id);")
    assert create.creates[0] == rel(f"public.{long[:63]}")
    assert rel(f"public.{long[:63]}") in index.references
    assert create.warnings == (
        f'sql/x.sql:1:14: identifier {long[:20]}... is 72 bytes; PostgreSQL truncates it to 63: "{long[:63]}"',
    )
    assert index.warnings == ()
    # multi-byte: the cut never splits a character, and a quoted name keeps its case
    wide = '"' + "Ä" * 40 + '"'
    (st,) = parse(f"CREATE TABLE {wide} ()")
    assert st.creates[0] == rel("public." + "Ä" * 31)
    assert "80 bytes" in st.warnings[0]


def test_overloads_are_told_apart_by_argument_count() -> None:
    one_arg, no_arg = parse(
        "CREATE FUNCTION api.overdue(d date, n int DEFAULT 10) RETURNS int LANGUAGE sql\n"
        "  AS $$ SELECT n $$;\n"
        "CREATE FUNCTION api.overdue() RETURNS int LANGUAGE sql\n"
        "  BEGIN ATOMIC SELECT api.overdue(current_date); END;"
    )
    assert {fn("api.overdue/1"), fn("api.overdue/2")} <= set(one_arg.creates)
    assert fn("api.overdue/0") in no_arg.creates
    # the body calls the 1-argument overload: not itself
    assert fn("api.overdue/1") in no_arg.optional_references


def test_casts_extensions_and_event_triggers_know_what_they_wait_for() -> None:
    cast, use, ext, trigger = parse(
        "CREATE CAST (units.temperature AS numeric) WITH INOUT;\n"
        "CREATE VIEW v AS SELECT t::numeric FROM readings;\n"
        "CREATE EXTENSION earthdistance;\n"
        "CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION audit.log_ddl();"
    )
    assert ObjectRef(Namespace.CAST, "(* AS numeric)") in cast.creates
    assert ObjectRef(Namespace.CAST, "(* AS numeric)") in use.optional_references
    assert ObjectRef(Namespace.EXTENSION, "cube") in ext.optional_references
    assert trigger.executes  # every later DDL statement runs its function


def test_unchecked_parse_builds_the_same_trees_as_pglast() -> None:
    """core.parse.parse_sql skips pglast's per-attribute checks: same nodes, same types."""
    import pglast
    from pglast import ast

    from schemactl.core.parse import parse_sql

    text = "\n".join(p.read_text() for p in sorted(REPO_SQL.rglob("*.sql")))
    fast, checked = parse_sql(text), pglast.parse_sql(text)
    assert len(fast) == len(checked) > 200
    assert all(a.stmt == b.stmt for a, b in zip(fast, checked, strict=True))
    assert ast.Node.__setattr__ is not object.__setattr__  # the check is back on


def test_keys_added_to_only_a_table_wait_for_its_partitions() -> None:
    only, plain, check = parse(
        "ALTER TABLE ONLY metrics ADD CONSTRAINT metrics_pkey PRIMARY KEY (id);\n"
        "ALTER TABLE metrics ADD CONSTRAINT metrics_u UNIQUE (id);\n"
        "ALTER TABLE ONLY metrics ADD CONSTRAINT positive CHECK (id > 0);"
    )
    assert rel("public.metrics") in only.after_all  # partitions attached first
    assert plain.after_all == ()
    assert check.after_all == ()
