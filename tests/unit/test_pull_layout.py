"""The pure part of pull: where objects go, how statements are formatted (no server)."""

from __future__ import annotations

from schemactl.core.catalog import CatalogModel, Column, Constraint, Policy, Table
from schemactl.pull.layout import (
    FRESH_DATABASE,
    OTHER_FILE,
    format_statement,
    layout,
    merged_grants,
)


def test_formatting_changes_only_whitespace_and_needless_quotes() -> None:
    statement = (
        'CREATE TABLE "public"."t" ("id" integer DEFAULT nextval(\'"public"."s"\'::regclass), '
        '"Mixed" text DEFAULT \'a, b\', "select" text, CONSTRAINT c CHECK (("id" > 0)))'
    )
    assert format_statement(statement) == (
        "CREATE TABLE public.t (\n"
        '  id integer DEFAULT nextval(\'"public"."s"\'::regclass),\n'
        "  \"Mixed\" text DEFAULT 'a, b',\n"
        '  "select" text,\n'
        "  CONSTRAINT c CHECK ((id > 0))\n"
        ")"
    )
    policy = 'CREATE POLICY "p" ON "public"."t" AS PERMISSIVE FOR ALL TO "r" USING ((a = \' TO \'))'
    assert format_statement(policy) == (
        "CREATE POLICY p ON public.t\n  AS PERMISSIVE\n  FOR ALL\n  TO r\n  USING ((a = ' TO '))"
    )
    assert format_statement('SELECT U&"d\\0061t"') == 'SELECT U&"d\\0061t"'
    body = 'CREATE OR REPLACE FUNCTION "public".f()\n AS $f$ SELECT \'"x"\' $f$'
    assert format_statement(body) == body  # function bodies as the server renders them


def test_grants_to_one_role_on_one_object_merge() -> None:
    statements = [
        "GRANT SELECT (a) ON TABLE public.t TO r",
        "CREATE INDEX i ON public.t (a)",
        "GRANT SELECT (b) ON TABLE public.t TO r",
        "GRANT INSERT ON TABLE public.t TO r",
        "GRANT INSERT ON TABLE public.t TO r WITH GRANT OPTION",
        "REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC",
    ]
    assert merged_grants(statements) == [
        "GRANT SELECT (a, b), INSERT ON TABLE public.t TO r",
        "CREATE INDEX i ON public.t (a)",
        "GRANT INSERT ON TABLE public.t TO r WITH GRANT OPTION",
        "REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC",
    ]


def test_layout_places_objects_and_is_deterministic() -> None:
    table = Table("public", "t", (Column("id", "integer", not_null=True),), rls_enabled=True)
    model = CatalogModel(
        schemas=dict(FRESH_DATABASE.schemas),
        grants=FRESH_DATABASE.grants,
        comments=dict(FRESH_DATABASE.comments),
        tables={("public", "t"): table},
        constraints={
            ("public", "t", "t_pkey"): Constraint("public", "t", "t_pkey", "p", "PRIMARY KEY (id)")
        },
        policies={("public", "t", "p"): Policy("public", "t", "p", using="true")},
        unsupported=frozenset({("rule r on public.t", "")}),
    )
    first, second = layout(model), layout(model)
    assert first == second
    assert list(first.files) == ["policies/t.sql", "tables/t.sql"]
    assert OTHER_FILE not in first.files
    assert first.files["tables/t.sql"].startswith(
        "CREATE TABLE public.t (\n  id integer NOT NULL\n);"
    )
    assert "ADD CONSTRAINT t_pkey PRIMARY KEY (id);" in first.files["tables/t.sql"]
    assert first.files["policies/t.sql"].startswith(
        "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;\n\nCREATE POLICY p ON public.t"
    )
    assert first.unsupported == ("rule r on public.t",)
    assert layout(FRESH_DATABASE).files == {}  # a fresh database: nothing to write
