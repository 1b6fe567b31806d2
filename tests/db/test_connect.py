"""The connection layer: masking, connect errors, session timeouts, server errors located."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from schemactl import errors
from schemactl.db.connect import connect, database_error, mask_dsn, server_version_num
from schemactl.model import SqlFile, Statement


@pytest.mark.parametrize(
    ("dsn", "masked"),
    [
        ("postgresql://app:s3cret@db/x", "postgresql://app:***@db/x"),
        (
            "postgres://app:s3cret@db:6543/x?sslmode=require",
            "postgres://app:***@db:6543/x?sslmode=require",
        ),
        ("POSTGRESQL://app:p%40ss@db/x", "POSTGRESQL://app:***@db/x"),
        ("postgresql://app@db/x", "postgresql://app@db/x"),
        (
            "postgresql://db/x?user=a&password=zz&sslmode=require",
            "postgresql://db/x?user=a&password=***&sslmode=require",
        ),
        (
            "postgresql://postgres:@/postgres?host=/tmp/pg",
            "postgresql://postgres@/postgres?host=/tmp/pg",
        ),
        ("host=db user=app password=s3cret dbname=x", "host=db user=app password=*** dbname=x"),
        ("host=db password = 's3 cr\\'et' dbname=x", "host=db password = *** dbname=x"),
        ("password=s3cret", "password=***"),
        ("host=db dbname=x", "host=db dbname=x"),
    ],
)
def test_mask_dsn(dsn: str, masked: str) -> None:
    assert mask_dsn(dsn) == masked
    assert "s3" not in mask_dsn(dsn)


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://app:hunter2@127.0.0.1:1/x",
        "host=127.0.0.1 port=1 user=app password=hunter2 dbname=x",
        # malformed: libpq echoes the string it choked on
        "host=127.0.0.1 password=hunter2 broken",
    ],
)
def test_connect_error_is_one_masked_line(dsn: str) -> None:
    with pytest.raises(errors.ConnectError) as info:
        connect(dsn, connect_timeout=2)
    text = info.value.format()
    assert "hunter2" not in text
    assert info.value.message.startswith(("cannot connect to ", "invalid database URL "))
    assert "\n" not in info.value.message
    assert info.value.hint is not None and "DATABASE_URL" in info.value.hint
    assert info.value.exit_code == errors.EXIT_INPUT


def test_connect_sets_session_timeouts(schemactl_empty_db: str) -> None:
    with connect(
        schemactl_empty_db, lock_timeout="750ms", statement_timeout="2min", application_name="t-x"
    ) as conn:
        # the settings survive the transaction they were set in (session level, committed)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        conn.rollback()
        row = conn.execute(
            "SELECT current_setting('lock_timeout'), current_setting('statement_timeout'),"
            " current_setting('application_name')"
        ).fetchone()
        assert row == ("750ms", "2min", "t-x")
        assert not conn.autocommit
    with connect(schemactl_empty_db, lock_timeout=None, autocommit=True) as conn:
        assert conn.autocommit
        assert conn.execute("SELECT current_setting('lock_timeout')").fetchone() == ("0",)


def test_connect_rejects_a_bad_timeout(schemactl_empty_db: str) -> None:
    with pytest.raises(errors.ConfigError, match="lock_timeout"):
        connect(schemactl_empty_db, lock_timeout="soon")


def test_server_version_num(schemactl_empty_db: str) -> None:
    with connect(schemactl_empty_db) as conn:
        expected = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
        assert expected is not None
        assert server_version_num(conn) == expected[0]
        assert server_version_num(conn) >= 150000


def _statement(text: str, sql: str, *, path: str = "sql/tables/x.sql") -> Statement:
    offset = text.index(sql)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Statement(
        file=SqlFile(relpath="tables/x.sql", display=path, text=text, sha256="0"),
        index=0,
        offset=offset,
        line=line,
        col=col,
        sql=sql,
        kind="CREATE TABLE",
    )


def _fail(url: str, sql: str, **kw: Any) -> psycopg.Error:
    with connect(url, **kw) as conn:
        try:
            conn.execute(sql)  # type: ignore[call-overload]
        except psycopg.Error as exc:
            return exc
    raise AssertionError(f"{sql!r} did not fail")


def test_database_error_points_at_file_line_col(schemactl_empty_db: str) -> None:
    text = "-- header\n\nCREATE TABLE a (id int);\nCREATE VIEW b AS\n  SELECT id\n    FROM transfer"
    st = _statement(text, "CREATE VIEW b AS\n  SELECT id\n    FROM transfer")
    err = database_error(_fail(schemactl_empty_db, st.sql), st)
    assert isinstance(err, errors.ApplyError)
    # the server points at "transfer": line 6, column 10 of the file
    assert err.message == 'sql/tables/x.sql:6:10: relation "transfer" does not exist'
    assert err.sqlstate == "42P01"


def test_database_error_without_position_uses_the_statement(schemactl_empty_db: str) -> None:
    text = "\n\n   SELECT 1/0"
    st = _statement(text, "SELECT 1/0")
    err = database_error(_fail(schemactl_empty_db, st.sql), st)
    assert err.message == "sql/tables/x.sql:3:4: division by zero"
    assert err.sqlstate == "22012"


def test_database_error_keeps_detail_and_hint(schemactl_empty_db: str) -> None:
    sql = (
        "CREATE TEMP TABLE p (id int PRIMARY KEY);"
        " CREATE TEMP TABLE c (p int REFERENCES p);"
        " INSERT INTO c VALUES (1)"
    )
    err = database_error(_fail(schemactl_empty_db, sql))
    assert type(err) is errors.DatabaseError
    assert err.sqlstate == "23503"
    assert err.detail is not None and "is not present in table" in err.detail
    assert "  detail: " in err.format()


def test_lock_timeout_becomes_lock_timeout_error(schemactl_empty_db: str) -> None:
    with connect(schemactl_empty_db, autocommit=True) as setup:
        setup.execute("CREATE TABLE busy (id int)")
    holder = connect(schemactl_empty_db)
    try:
        holder.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
        st = _statement("ALTER TABLE busy ADD COLUMN x int", "ALTER TABLE busy ADD COLUMN x int")
        exc = _fail(schemactl_empty_db, st.sql, lock_timeout="100ms")
    finally:
        holder.close()
    err = database_error(exc, st)
    assert isinstance(err, errors.LockTimeoutError)
    assert err.sqlstate == "55P03"
    assert err.message.startswith("sql/tables/x.sql:1:1: ")
    assert err.hint is not None and "lock_timeout" in err.hint


def test_statement_timeout_hint(schemactl_empty_db: str) -> None:
    st = _statement("SELECT pg_sleep(5)", "SELECT pg_sleep(5)")
    exc = _fail(schemactl_empty_db, st.sql, statement_timeout="50ms")
    err = database_error(exc, st)
    assert isinstance(err, errors.ApplyError)
    assert err.sqlstate == "57014"
    assert err.hint is not None and "statement_timeout" in err.hint
