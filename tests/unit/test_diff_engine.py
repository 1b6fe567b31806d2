"""The pure diff: catalog models in, ordered changes and rendered SQL out (no server)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemactl.core.catalog import (
    CatalogModel,
    Column,
    Constraint,
    EnumType,
    Function,
    Grant,
    Index,
    Policy,
    Schema,
    Table,
    View,
)
from schemactl.core.diff import diff_catalogs, quote_ident, render, type_change_is_safe
from schemactl.core.diff_report import render_diff, result_as_data

T = Table("public", "t", columns=(Column("id", "integer", not_null=True), Column("n", "integer")))
U = Table("public", "u", columns=(Column("id", "integer"), Column("t_id", "integer")))
PK = Constraint("public", "t", "t_pkey", "p", "PRIMARY KEY (id)")
FK = Constraint("public", "u", "u_t_id_fkey", "f", "FOREIGN KEY (t_id) REFERENCES public.t(id)")


def model(**kinds: object) -> CatalogModel:
    base: dict[str, object] = {"schemas": {"public": Schema("public")}}
    base.update(kinds)
    return CatalogModel(**base)  # type: ignore[arg-type]


def test_quote_ident_matches_postgres() -> None:
    assert quote_ident("abc_1") == "abc_1"
    assert quote_ident("Mixed") == '"Mixed"'
    assert quote_ident("select") == '"select"'
    assert quote_ident("name") == "name"  # an unreserved keyword stays bare
    assert quote_ident('a"b') == '"a""b"'


def test_render_composes_without_a_connection() -> None:
    from psycopg import sql

    text = render("COMMENT ON {} IS {}", sql.Identifier("s", "T"), sql.Literal("it's"))
    assert text == "COMMENT ON \"s\".\"T\" IS 'it''s'"


@pytest.mark.parametrize(
    ("old", "new", "safe", "no_rewrite"),
    [
        ("integer", "bigint", True, False),
        ("bigint", "integer", False, False),
        ("character varying(10)", "character varying(20)", True, True),
        ("character varying(20)", "character varying(10)", False, False),
        ("character varying(10)", "text", True, True),
        ("text", "character varying(5)", False, False),
        ("numeric(10,2)", "numeric(12,2)", True, True),
        ("numeric(10,2)", "numeric(10,1)", False, False),
        ("text", "integer", False, False),
        ("integer[]", "bigint", False, False),
    ],
)
def test_type_change_safety(old: str, new: str, safe: bool, no_rewrite: bool) -> None:
    assert type_change_is_safe(old, new) == (safe, no_rewrite)


def test_equal_models_have_no_drift() -> None:
    m = model(tables={("public", "t"): T}, constraints={("public", "t", "t_pkey"): PK})
    result = diff_catalogs(m, m)
    assert result.changes == () and result.statements == () and not result.has_drift


def test_new_tables_constraints_in_dependency_order() -> None:
    source = model()
    target = model(
        tables={("public", "u"): U, ("public", "t"): T},
        constraints={("public", "u", "u_t_id_fkey"): FK, ("public", "t", "t_pkey"): PK},
    )
    result = diff_catalogs(source, target)
    statements = list(result.statements)
    create_t = statements.index('CREATE TABLE "public"."t" ("id" integer NOT NULL, "n" integer)')
    pk = statements.index('ALTER TABLE "public"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY (id)')
    fk = next(i for i, s in enumerate(statements) if "u_t_id_fkey" in s)
    assert create_t < pk < fk
    # a new table's foreign key is added valid at once: the table is empty
    assert "NOT VALID" not in statements[fk]
    assert not result.destructive


def test_foreign_key_on_existing_table_is_not_valid_then_validated() -> None:
    base = model(tables={("public", "t"): T, ("public", "u"): U},
                 constraints={("public", "t", "t_pkey"): PK})  # fmt: skip
    target = replace(base, constraints={**base.constraints, ("public", "u", "u_t_id_fkey"): FK})
    (change,) = diff_catalogs(base, target).changes
    assert change.sql == (
        'ALTER TABLE "public"."u" ADD CONSTRAINT "u_t_id_fkey" FOREIGN KEY (t_id) '
        "REFERENCES public.t(id) NOT VALID",
        'ALTER TABLE "public"."u" VALIDATE CONSTRAINT "u_t_id_fkey"',
    )
    assert "validation scan" in change.hazards


def test_dropped_column_is_destructive_and_runs_last() -> None:
    source = model(tables={("public", "t"): T},
                   policies={("public", "t", "p"): Policy("public", "t", "p", using="(n > 0)")})  # fmt: skip
    target = model(tables={("public", "t"): replace(T, columns=T.columns[:1])})
    result = diff_catalogs(source, target)
    assert [(c.action, c.kind) for c in result.changes] == [("drop", "policy"), ("drop", "column")]
    assert all(c.destructive for c in result.changes)
    assert result.statements[-1] == 'ALTER TABLE "public"."t" DROP COLUMN "n"'
    assert "data loss" in result.changes[-1].hazards


def test_column_type_change_rebuilds_dependent_views_in_order() -> None:
    v1 = View("public", "v1", "SELECT t.n FROM public.t", columns=(("n", "integer"),),
              depends_on=(("public", "t"),))  # fmt: skip
    v2 = View("public", "v2", "SELECT v1.n FROM public.v1", columns=(("n", "integer"),),
              depends_on=(("public", "v1"),))  # fmt: skip
    source = model(tables={("public", "t"): T}, views={("public", "v1"): v1, ("public", "v2"): v2})
    wide = replace(T, columns=(T.columns[0], Column("n", "bigint")))
    target = model(
        tables={("public", "t"): wide},
        views={
            ("public", "v1"): replace(v1, columns=(("n", "bigint"),)),
            ("public", "v2"): replace(v2, columns=(("n", "bigint"),)),
        },
    )
    result = diff_catalogs(source, target)
    s = list(result.statements)
    assert s[:2] == ['DROP VIEW "public"."v2"', 'DROP VIEW "public"."v1"']
    alter = s.index('ALTER TABLE "public"."t" ALTER COLUMN "n" TYPE bigint USING "n"::bigint')
    assert alter < s.index('CREATE VIEW "public"."v1" AS SELECT t.n FROM public.t')
    assert s.index('CREATE VIEW "public"."v1" AS SELECT t.n FROM public.t') < s.index(
        'CREATE VIEW "public"."v2" AS SELECT v1.n FROM public.v1'
    )
    assert not result.destructive  # integer -> bigint keeps every value


def test_view_with_appended_column_is_replaced() -> None:
    v = View("public", "v", "SELECT t.id FROM public.t", columns=(("id", "integer"),))
    wider = replace(v, definition="SELECT t.id, t.n FROM public.t",
                    columns=(("id", "integer"), ("n", "integer")))  # fmt: skip
    result = diff_catalogs(model(views={("public", "v"): v}), model(views={("public", "v"): wider}))
    assert result.statements == (
        'CREATE OR REPLACE VIEW "public"."v" AS SELECT t.id, t.n FROM public.t',
    )


def test_policy_alter_in_place_or_recreate() -> None:
    p = Policy("public", "t", "p", "SELECT", True, ("PUBLIC",), "(n > 0)")
    roles = replace(p, roles=("anon", "authenticated"), using="(n > 1)")
    (change,) = diff_catalogs(model(policies={("public", "t", "p"): p}),
                              model(policies={("public", "t", "p"): roles})).changes  # fmt: skip
    assert change.sql == (
        'ALTER POLICY "p" ON "public"."t" TO "anon", "authenticated" USING ((n > 1))',
    )
    command = replace(p, command="UPDATE")
    result = diff_catalogs(model(policies={("public", "t", "p"): p}),
                           model(policies={("public", "t", "p"): command}))  # fmt: skip
    assert [c.action for c in result.changes] == ["drop", "create"]
    assert not result.destructive  # the policy is recreated, not lost


def test_enum_label_added_where_it_belongs() -> None:
    e = EnumType("public", "mood", ("sad", "ok"))
    result = diff_catalogs(model(enums={("public", "mood"): e}),
                           model(enums={("public", "mood"): replace(e, labels=("low", "sad", "mid", "ok"))}))  # fmt: skip
    assert result.statements == (
        "ALTER TYPE \"public\".\"mood\" ADD VALUE IF NOT EXISTS 'low' BEFORE 'sad'",
        "ALTER TYPE \"public\".\"mood\" ADD VALUE IF NOT EXISTS 'mid' AFTER 'sad'",
    )
    t = Table("public", "t", columns=(Column("m", "public.mood", default="'ok'::public.mood"),))
    removed = diff_catalogs(
        model(enums={("public", "mood"): e}, tables={("public", "t"): t}),
        model(enums={("public", "mood"): replace(e, labels=("ok",))}, tables={("public", "t"): t}),
    )
    assert removed.statements == (
        'ALTER TYPE "public"."mood" RENAME TO "mood__schemactl_old"',
        'CREATE TYPE "public"."mood" AS ENUM (\'ok\')',
        'ALTER TABLE "public"."t" ALTER COLUMN "m" DROP DEFAULT',
        'ALTER TABLE "public"."t" ALTER COLUMN "m" TYPE "public"."mood" USING "m"::text::"public"."mood"',
        'ALTER TABLE "public"."t" ALTER COLUMN "m" SET DEFAULT \'ok\'::public.mood',
        'DROP TYPE "public"."mood__schemactl_old"',
    )
    assert [c.destructive for c in removed.changes] == [True, False]
    used = replace(
        model(enums={("public", "mood"): e}),
        functions={("public", "f", "m public.mood"): Function(
            "public", "f", "m public.mood", "f", "integer", "CREATE ...")},
    )  # fmt: skip
    refused = diff_catalogs(
        used, replace(used, enums={("public", "mood"): replace(e, labels=("ok",))})
    )
    assert refused.changes == () and refused.has_drift
    assert "public.mood" in refused.unsupported[0]


def test_new_function_without_public_execute_is_revoked() -> None:
    f = Function("public", "f", "", "f", "integer", "CREATE OR REPLACE FUNCTION public.f() ...")
    target = model(functions={("public", "f", ""): f})
    # the target has no grant rows for f: PUBLIC's default EXECUTE was revoked
    result = diff_catalogs(model(), replace(target, functions={("public", "f", ""): replace(
        f, definition="CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\n"
        "AS $function$select 1$function$")}))  # fmt: skip
    assert result.statements[-1] == "REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC"


def test_grants_diffed_per_privilege() -> None:
    t = model(tables={("public", "t"): T})
    g = Grant("TABLE", "public.t", None, "anon", "SELECT", False, "rel public.t")
    col = Grant("TABLE", "public.t", "n", "anon", "UPDATE", False, "col public.t.n")
    result = diff_catalogs(replace(t, grants=frozenset({g})), replace(t, grants=frozenset({col})))
    assert sorted(result.statements) == [
        'GRANT UPDATE (n) ON TABLE public.t TO "anon"',
        'REVOKE SELECT ON TABLE public.t FROM "anon"',
    ]


def test_index_on_partitioned_table_recurses() -> None:
    parent = Table("public", "m", columns=(Column("a", "integer"),), partition_key="RANGE (a)")
    idx = Index("public", "m_a_idx", ("public", "m"),
                "CREATE INDEX m_a_idx ON ONLY public.m USING btree (a)")  # fmt: skip
    result = diff_catalogs(model(tables={("public", "m"): parent}),
                           model(tables={("public", "m"): parent}, indexes={("public", "m_a_idx"): idx}))  # fmt: skip
    assert result.statements == ("CREATE INDEX m_a_idx ON public.m USING btree (a)",)
    assert result.changes[0].hazards == ("index build", "SHARE lock (blocks writes)")


def test_report_formats() -> None:
    source = model(tables={("public", "t"): T})
    target = model(tables={("public", "t"): replace(T, columns=T.columns[:1])},
                   unsupported=frozenset({("foreign table public.ft", "")}))  # fmt: skip
    result = diff_catalogs(source, target)
    text = render_diff(result, "text")
    assert "column:\n  - public.t.n  (DESTRUCTIVE; ACCESS EXCLUSIVE lock; data loss)" in text
    assert "  ? foreign table public.ft" in text
    assert "destructive changes need --allow-destructive" in text
    sql_text = render_diff(result, "sql")
    assert 'ALTER TABLE "public"."t" DROP COLUMN "n";' in sql_text
    assert "-- not handled by diff: foreign table public.ft" in sql_text
    data = result_as_data(result)
    assert data["unsupported"] == ["foreign table public.ft"]
    assert data["destructive"] == ["drop column public.t.n"]
    assert render_diff(diff_catalogs(source, source)) == "no drift: the schemas are equal\n"


def test_enum_labels_commit_before_the_transaction() -> None:
    from schemactl.core.diff import committed_first

    e = EnumType("public", "st", ("new", "done"))
    t = replace(T, columns=(*T.columns, Column("s", "public.st", default="'new'::public.st")))
    wanted = replace(
        t, columns=(*T.columns, Column("s", "public.st", default="'active'::public.st"))
    )
    result = diff_catalogs(
        model(enums={("public", "st"): e}, tables={("public", "t"): t}),
        model(enums={("public", "st"): replace(e, labels=("new", "active", "done"))},
              tables={("public", "t"): wanted}),
    )  # fmt: skip
    first, rest = committed_first(result)
    assert first == ("ALTER TYPE \"public\".\"st\" ADD VALUE IF NOT EXISTS 'active' AFTER 'new'",)
    assert rest == ('ALTER TABLE "public"."t" ALTER COLUMN "s" SET DEFAULT \'active\'::public.st',)
    lines = render_diff(result, "sql").splitlines()
    assert lines.index(first[0] + ";  -- commits on its own: a new label is usable only after") < (
        lines.index("BEGIN;")
    )


def test_retyped_column_rebuilds_policies_and_generated_columns() -> None:
    table = Table(
        "public", "t",
        columns=(Column("price", "integer"), Column("total", "integer", generated="(price * 2)")),
    )  # fmt: skip
    wider = replace(
        table,
        columns=(Column("price", "bigint"), Column("total", "bigint", generated="(price * 2)")),
    )
    policy = Policy("public", "t", "p", using="(price > 0)")
    result = diff_catalogs(
        model(tables={("public", "t"): table}, policies={("public", "t", "p"): policy}),
        model(tables={("public", "t"): wider}, policies={("public", "t", "p"): policy}),
    )
    s = list(result.statements)
    assert s[:2] == [
        'DROP POLICY "p" ON "public"."t"',
        'ALTER TABLE "public"."t" DROP COLUMN "total"',
    ]
    retype = s.index(
        'ALTER TABLE "public"."t" ALTER COLUMN "price" TYPE bigint USING "price"::bigint'
    )
    assert retype < s.index(
        'ALTER TABLE "public"."t" ADD COLUMN "total" bigint GENERATED ALWAYS AS ((price * 2)) STORED'
    )
    assert s[-1].startswith('CREATE POLICY "p" ON "public"."t"')
    assert not result.destructive


def test_foreign_keys_of_dropped_tables_go_first() -> None:
    d = Table("public", "d", columns=(Column("id", "integer"),))
    fk = Constraint("public", "e", "e_d_fkey", "f", "FOREIGN KEY (d) REFERENCES public.d(id)")
    source = model(tables={("public", "d"): d, ("public", "e"): replace(d, name="e")},
                   constraints={("public", "e", "e_d_fkey"): fk})  # fmt: skip
    result = diff_catalogs(source, model())
    assert result.statements == (
        'ALTER TABLE "public"."e" DROP CONSTRAINT "e_d_fkey"',
        'DROP TABLE "public"."d"',
        'DROP TABLE "public"."e"',
    )


def test_partition_attached_and_detached_keeping_rows() -> None:
    parent = Table("public", "m", columns=(Column("a", "integer"),), partition_key="RANGE (a)")
    alone = Table("public", "m1", columns=(Column("a", "integer"),))
    part = Table(
        "public", "m1", parent=("public", "m"), partition_bound="FOR VALUES FROM (0) TO (9)"
    )
    tables = {("public", "m"): parent}
    attach = diff_catalogs(
        model(tables={**tables, ("public", "m1"): alone}),
        model(tables={**tables, ("public", "m1"): part}),
    )
    assert attach.statements == (
        'ALTER TABLE "public"."m" ATTACH PARTITION "public"."m1" FOR VALUES FROM (0) TO (9)',
    )
    assert attach.changes[0].hazards == ("ACCESS EXCLUSIVE lock", "validation scan")
    detach = diff_catalogs(
        model(tables={**tables, ("public", "m1"): part}),
        model(tables={**tables, ("public", "m1"): alone}),
    )
    assert detach.statements == ('ALTER TABLE "public"."m" DETACH PARTITION "public"."m1"',)
    assert not detach.destructive


def test_default_privileges_for_another_role_keep_their_role() -> None:
    from schemactl.core.catalog import DefaultPrivilege

    mine = DefaultPrivilege(None, "app", "TABLES", "reader", "SELECT", False)
    theirs = DefaultPrivilege("writer", None, "FUNCTIONS", "PUBLIC", "EXECUTE", False, True)
    result = diff_catalogs(model(), model(default_privileges=frozenset({mine, theirs})))
    assert result.statements == (
        'ALTER DEFAULT PRIVILEGES IN SCHEMA "app" GRANT SELECT ON TABLES TO "reader"',
        'ALTER DEFAULT PRIVILEGES FOR ROLE "writer" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
    )


def test_concurrently_leaves_what_must_stay_in_the_transaction() -> None:
    from schemactl.core.diff import with_concurrently

    parted = Table("public", "p", columns=(Column("k", "integer"),), partition_key="RANGE (k)")
    uniq = Index(
        "public",
        "t_n_key",
        ("public", "t"),
        "CREATE UNIQUE INDEX t_n_key ON public.t USING btree (n)",
    )
    plain = Index(
        "public", "t_n_idx", ("public", "t"), "CREATE INDEX t_n_idx ON public.t USING btree (n)"
    )
    on_parted = Index(
        "public",
        "p_k_idx",
        ("public", "p"),
        "CREATE INDEX p_k_idx ON ONLY public.p USING btree (k)",
    )
    on_new = Index(
        "public", "u_id_idx", ("public", "u"), "CREATE INDEX u_id_idx ON public.u USING btree (id)"
    )
    fk = Constraint("public", "u", "u_n_fkey", "f", "FOREIGN KEY (t_id) REFERENCES public.t(n)")
    source = model(tables={("public", "t"): T, ("public", "p"): parted})
    target = model(
        tables={("public", "t"): T, ("public", "p"): parted, ("public", "u"): U},
        indexes={(i.schema, i.name): i for i in (uniq, plain, on_parted, on_new)},
        constraints={("public", "u", "u_n_fkey"): fk},
    )  # fmt: skip
    result = diff_catalogs(source, target, concurrently=True)
    # only the plain index on the existing, not partitioned table is built concurrently
    assert result.outside == ("CREATE INDEX CONCURRENTLY t_n_idx ON public.t USING btree (n)",)
    inside = result.statements[: -len(result.outside)]
    assert "CREATE UNIQUE INDEX t_n_key ON public.t USING btree (n)" in inside  # the new FK's
    assert "CREATE INDEX p_k_idx ON public.p USING btree (k)" in inside
    assert "CREATE INDEX u_id_idx ON public.u USING btree (id)" in inside
    assert with_concurrently(result) == result
    assert with_concurrently(diff_catalogs(source, target)) == result
    # an INVALID index of the database is dropped and built again
    broken = model(
        tables={("public", "t"): T}, indexes={("public", "t_n_idx"): replace(plain, valid=False)}
    )
    again = diff_catalogs(broken, model(tables={("public", "t"): T},
                                        indexes={("public", "t_n_idx"): plain}))  # fmt: skip
    assert again.statements == (
        'DROP INDEX "public"."t_n_idx"',
        "CREATE INDEX t_n_idx ON public.t USING btree (n)",
    )
