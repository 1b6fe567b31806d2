"""Where ``-- schemactl: renamed from x`` attaches (core/renames.py, no server)."""

from __future__ import annotations

from schemactl.core.renames import RenameHint, rename_hints
from schemactl.model import SqlFile


def hints(text: str) -> tuple[tuple[RenameHint, ...], tuple[str, ...]]:
    return rename_hints([SqlFile("s.sql", "sql/s.sql", text, "")])


def test_table_hint_before_or_on_the_create_line() -> None:
    found, warnings = hints(
        "-- schemactl: renamed from account\nCREATE TABLE app.customer (id int);\n"
        'CREATE TABLE "Order" ( -- schemactl: renamed from "Old Order"\n  id int\n);'
    )
    assert warnings == ()
    assert [(h.kind, h.schema, h.table, h.old, h.new, h.location) for h in found] == [
        ("table", "app", "customer", "account", "customer", "sql/s.sql:1"),
        ("table", "public", "Order", "Old Order", "Order", "sql/s.sql:3"),
    ]


def test_column_hint_on_its_line_or_the_line_before() -> None:
    found, warnings = hints(
        "CREATE TABLE t (\n"
        "    id int,\n"
        "    -- schemactl: renamed from Full_Name\n"
        "    display_name text,\n"
        "    b int, -- schemactl: renamed from a\n"
        "    c int\n"
        ");"
    )
    assert warnings == ()
    assert [(h.kind, h.old, h.new, h.location) for h in found] == [
        ("column", "full_name", "display_name", "sql/s.sql:3"),
        ("column", "a", "b", "sql/s.sql:5"),
    ]


def test_stray_and_malformed_hints_are_named() -> None:
    found, warnings = hints(
        "CREATE TABLE t (id int);\n\n-- schemactl: renamed from x\n\nSELECT 1;\n"
        "-- schemactl: renamed to y\nCREATE TABLE u (id int);"
    )
    assert found == ()
    assert warnings == (
        "sql/s.sql:6: rename hint not understood (write `-- schemactl: renamed from old_name`)",
        "sql/s.sql:3: rename hint ignored: it is neither on or just before a CREATE TABLE line "
        "nor on or just before a column of one",
    )


def test_files_without_the_marker_are_not_parsed() -> None:
    assert hints("CREATE TABLE broken (") == ((), ())


def test_a_column_rename_rewrites_only_that_identifier() -> None:
    from schemactl.core.diff_renames import _sub_identifier

    text = "CHECK (((old > 0) AND (x.old <> 'old'::text) AND public.old(old) AND (old)::old))"
    assert _sub_identifier(text, "old", "new") == (
        "CHECK (((new > 0) AND (x.old <> 'old'::text) AND public.old(new) AND (new)::old))"
    )
    assert _sub_identifier('("Old" + old)', "Old", "New") == '("New" + old)'


def test_a_table_rename_leaves_a_function_of_that_name_alone() -> None:
    from schemactl.core.catalog import (
        CatalogModel,
        Column,
        Comment,
        Constraint,
        Function,
        Grant,
        Policy,
        Table,
    )
    from schemactl.core.diff import diff_catalogs

    fn = Function("public", "acct", "", "f", "integer", "CREATE FUNCTION public.acct() ...")
    grant = Grant("FUNCTION", "public.acct()", None, "PUBLIC", "EXECUTE", False, "fn public.acct()")
    note = Comment("FUNCTION public.acct()", "counts", "fn public.acct()")
    cols = (Column("id", "integer"), Column("n", "integer"))

    def side(table: str) -> CatalogModel:
        return CatalogModel(
            tables={("public", table): Table("public", table, columns=cols)},
            functions={("public", "acct", ""): fn},
            grants=frozenset({grant}),
            comments={note.target: note},
            constraints={
                ("public", table, "pos"): Constraint(
                    "public", table, "pos", "c", "CHECK ((public.acct() > n))"
                )
            },
            policies={
                ("public", table, "p"): Policy("public", table, "p", using="(public.acct() > 0)")
            },
        )

    hint = RenameHint("table", "public", "customer", "acct", "customer", "sql/s.sql:1")
    result = diff_catalogs(side("acct"), side("customer"), renames=[hint])
    assert result.statements == ("ALTER TABLE public.acct RENAME TO customer",)
    assert result.warnings == ()
