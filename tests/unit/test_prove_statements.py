"""prove's reading of statements (pure): the table each works on and the lock it takes."""

from __future__ import annotations

import pytest

from schemactl.core.catalog import Constraint
from schemactl.core.diff import ACCESS_EXCLUSIVE, SHARE_LOCK, Change
from schemactl.prove.clone import ForeignKey, parse_foreign_key
from schemactl.prove.run import lock_of, table_of


@pytest.mark.parametrize(
    ("statement", "table", "lock"),
    [
        ('ALTER TABLE "public"."t" ALTER COLUMN "c" SET NOT NULL', ("public", "t"),
         "ACCESS EXCLUSIVE"),
        ('ALTER TABLE ONLY "app"."Weird ""x"""  ADD COLUMN a int', ("app", 'Weird "x"'),
         "ACCESS EXCLUSIVE"),
        ("CREATE INDEX t_a ON public.t USING btree (a)", ("public", "t"), "SHARE"),
        ("CREATE UNIQUE INDEX CONCURRENTLY t_a ON public.t USING btree (a)", ("public", "t"),
         "SHARE UPDATE EXCLUSIVE"),
        ('ALTER TABLE "public"."t" VALIDATE CONSTRAINT "t_fk"', ("public", "t"),
         "SHARE UPDATE EXCLUSIVE"),
        ('ALTER TABLE "public"."t" ADD CONSTRAINT "t_fk" FOREIGN KEY (a) REFERENCES public.p(id)'
         " NOT VALID", ("public", "t"), "SHARE ROW EXCLUSIVE"),
        ('CREATE POLICY "p" ON "public"."t" FOR SELECT USING (true)', ("public", "t"),
         "ACCESS EXCLUSIVE"),
        ("CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION f()",
         ("public", "t"), "SHARE ROW EXCLUSIVE"),
        ("CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'", None, "none"),
        ("COMMENT ON TABLE public.t IS 'x'", None, "none"),
    ],
)  # fmt: skip
def test_table_and_lock_of_statements(
    statement: str, table: tuple[str, str] | None, lock: str
) -> None:
    assert table_of(statement) == table
    assert lock_of(statement, None) == lock


def test_the_change_hazard_decides_the_lock() -> None:
    statement = "CREATE INDEX t_a ON public.t USING btree (a)"
    assert lock_of(statement, Change("create", "index", "public.t_a", (statement,),
                                     (SHARE_LOCK,))) == "SHARE"  # fmt: skip
    assert lock_of(statement, Change("create", "index", "public.t_a", (statement,),
                                     (ACCESS_EXCLUSIVE,))) == "ACCESS EXCLUSIVE"  # fmt: skip


def test_foreign_keys_read_from_definitions() -> None:
    fk = Constraint("public", "t", "t_fk", "f",
                    'FOREIGN KEY (a, "B") REFERENCES auth.users(id, k) ON DELETE CASCADE')  # fmt: skip
    assert parse_foreign_key(fk) == ForeignKey(("public", "t"), ("a", '"B"'), "auth.users",
                                               ("id", "k"))  # fmt: skip
    assert parse_foreign_key(Constraint("public", "t", "c", "c", "CHECK ((a > 0))")) is None
