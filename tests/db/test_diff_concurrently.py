"""``concurrently``: indexes built CONCURRENTLY and validations after the commit (issue 6).

The proof that a step ran outside the transaction is behaviour: CREATE INDEX CONCURRENTLY
fails inside a transaction block, and when a concurrent step fails, what the transaction
did is committed while the failed index stays behind INVALID (pg_index.indisvalid), which
the next diff drops and rebuilds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemactl.core.diff import INVALID_REBUILT
from schemactl.core.diff_report import render_diff
from schemactl.diff import apply_diff, diff_files
from schemactl.errors import DatabaseError
from schemactl.testing.server import TestServer

pytestmark = pytest.mark.db

BEFORE = """
CREATE TABLE account (id int PRIMARY KEY, email text, score int);
CREATE TABLE payment (id int PRIMARY KEY, account_id int, amount int);
"""

AFTER = """
CREATE TABLE account (id int PRIMARY KEY, email text, score int, region text);
CREATE INDEX account_email_idx ON account (email);
CREATE INDEX account_region_idx ON account (region);
CREATE TABLE payment (
    id int PRIMARY KEY,
    account_id int CONSTRAINT payment_account_fk REFERENCES account (id),
    amount int CONSTRAINT payment_amount_positive CHECK (amount > 0)
);
CREATE TABLE refund (id int PRIMARY KEY, payment_id int);
CREATE INDEX refund_payment_idx ON refund (payment_id);
"""


def _write(sql_dir: Path, text: str) -> Path:
    sql_dir.mkdir(exist_ok=True)
    (sql_dir / "schema.sql").write_text(text, encoding="utf-8")
    return sql_dir


def _one(url: str, query: str, *params: Any) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(query.encode(), params or None).fetchone()
        return row[0] if row else None


def _valid(url: str, index: str) -> bool | None:
    found = _one(url, "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", index)
    return None if found is None else bool(found)


def _load(url: str, text: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


def test_indexes_and_validations_run_after_the_commit(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    _load(
        url,
        BEFORE + "INSERT INTO account VALUES (1, 'a@x', 5), (2, 'b@x', 7);"
        "INSERT INTO payment VALUES (1, 1, 10), (2, 2, 20);",
    )
    sql_dir = _write(tmp_path / "sql", AFTER)
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url, concurrently=True)
    assert set(result.outside) == {
        "CREATE INDEX CONCURRENTLY account_email_idx ON public.account USING btree (email)",
        # the column is added in the transaction; the index is built after it committed
        "CREATE INDEX CONCURRENTLY account_region_idx ON public.account USING btree (region)",
        'ALTER TABLE "public"."payment" VALIDATE CONSTRAINT "payment_account_fk"',
        'ALTER TABLE "public"."payment" VALIDATE CONSTRAINT "payment_amount_positive"',
    }
    assert result.statements[-len(result.outside) :] == result.outside
    inside = result.statements[: -len(result.outside)]
    # a new table's index stays in the transaction: nobody can be using the table yet
    assert "CREATE INDEX refund_payment_idx ON public.refund USING btree (payment_id)" in inside
    assert any(s.endswith("ADD CONSTRAINT \"payment_account_fk\" FOREIGN KEY (account_id) "
                          "REFERENCES public.account(id) NOT VALID") for s in inside)  # fmt: skip
    text = render_diff(result, "text")
    assert "SHARE UPDATE EXCLUSIVE lock (reads and writes go on)" in text
    sql_text = render_diff(result, "sql")
    assert sql_text.index("COMMIT;") < sql_text.index("CREATE INDEX CONCURRENTLY")

    apply_diff(result, url)
    for index in ("account_email_idx", "account_region_idx", "refund_payment_idx"):
        assert _valid(url, index) is True, index
    validated = _one(
        url,
        "SELECT array_agg(conname::text || '=' || convalidated::text ORDER BY conname)"
        " FROM pg_constraint WHERE conrelid = 'payment'::regclass AND contype IN ('f', 'c')",
    )
    assert validated == ["payment_account_fk=true", "payment_amount_positive=true"]
    assert _one(url, "SELECT count(*) FROM payment") == 2
    again = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url, concurrently=True)
    assert not again.has_drift, again.statements


def test_a_failed_concurrent_build_is_rebuilt_by_the_next_diff(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    _load(url, BEFORE + "INSERT INTO account VALUES (1, 'same@x', 1), (2, 'same@x', 2);")
    sql_dir = _write(
        tmp_path / "sql",
        BEFORE.replace("score int)", "score int, region text)")
        + "CREATE UNIQUE INDEX account_email_key ON account (email);",
    )
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url)
    assert result.outside == ()  # without concurrently everything is one transaction
    with pytest.raises(DatabaseError) as failed:
        apply_diff(result, url, concurrently=True)  # the keyword turns the result concurrent
    assert "were committed" in failed.value.message
    assert failed.value.sqlstate == "23505"
    # the transactional part (the new column) committed before the index build failed
    assert _one(url, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'account'::regclass"
                     " AND attname = 'region'") == 1  # fmt: skip
    assert _valid(url, "account_email_key") is False

    _load(url, "UPDATE account SET email = 'other@x' WHERE id = 2;")
    retry = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url, concurrently=True)
    assert retry.statements == (
        'DROP INDEX "public"."account_email_key"',
        "CREATE UNIQUE INDEX CONCURRENTLY account_email_key ON public.account USING btree (email)",
    )
    assert INVALID_REBUILT in next(c for c in retry.changes if c.action == "create").hazards
    apply_diff(retry, url)
    assert _valid(url, "account_email_key") is True
    assert not diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url).has_drift


def test_a_failed_validation_leaves_the_constraint_not_valid_then_validates(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    _load(url, BEFORE + "INSERT INTO payment VALUES (1, NULL, -5);")
    sql_dir = _write(
        tmp_path / "sql",
        BEFORE.replace("amount int)", "amount int CONSTRAINT positive CHECK (amount > 0))"),
    )
    result = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url, concurrently=True)
    with pytest.raises(DatabaseError) as failed:
        apply_diff(result, url)
    assert failed.value.sqlstate == "23514"
    assert _one(url, "SELECT convalidated FROM pg_constraint WHERE conname = 'positive'") is False
    _load(url, "UPDATE payment SET amount = 5;")
    retry = diff_files(sql_dir, url, shadow_url=schemactl_server.admin_url, concurrently=True)
    assert (
        retry.statements
        == retry.outside
        == ('ALTER TABLE "public"."payment" VALIDATE CONSTRAINT "positive"',)
    )
    apply_diff(retry, url)
    assert _one(url, "SELECT convalidated FROM pg_constraint WHERE conname = 'positive'") is True
