"""`schemactl pull`: refusals, --force, --dry-run, kinds it cannot write (exit codes, files)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from schemactl.cli import main

pytestmark = pytest.mark.db


def pull(*args: str) -> Result:
    return CliRunner().invoke(main, ["pull", *args])


@pytest.fixture
def database(schemactl_empty_db: str) -> str:
    with psycopg.connect(schemactl_empty_db, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL);"
            "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;"
            "CREATE POLICY own ON accounts USING (id > 0);"
        )
    return schemactl_empty_db


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_pull_writes_refuses_forces_and_dry_runs(database: str, tmp_path: Path) -> None:
    target = tmp_path / "sql"
    first = pull(str(target), "--database-url", database)
    assert first.exit_code == 0, first.output
    written = files(target)
    assert set(written) == {"tables/accounts.sql", "policies/accounts.sql"}
    assert f"{target.as_posix()}/tables/accounts.sql" in first.stdout.splitlines()
    assert b"CREATE POLICY own ON public.accounts" in written["policies/accounts.sql"]

    # a non-empty SQL dir: refused, nothing touched
    (target / "mine.sql").write_text("-- my own\n")
    (target / "README.md").write_text("notes\n")
    refused = pull(str(target), "--database-url", database)
    assert refused.exit_code == 3
    assert "already holds 3 .sql file(s)" in refused.stderr
    assert "nothing was written" in refused.stderr and "--force" in refused.stderr
    assert (target / "mine.sql").exists()

    # --dry-run lists, writes nothing (and is not refused)
    before = files(target)
    dry = pull(str(target), "--database-url", database, "--dry-run", "--force")
    assert dry.exit_code == 0, dry.output
    assert f"would remove {target.as_posix()}/mine.sql" in dry.stdout
    assert "would write 2 file(s)" in dry.stdout
    assert files(target) == before

    # --force: the pulled files replace the .sql files; other files stay
    forced = pull(str(target), "--database-url", database, "--force")
    assert forced.exit_code == 0, forced.output
    assert f"removed {target.as_posix()}/mine.sql" in forced.stdout
    assert files(target) == {**written, "README.md": b"notes\n"}


def test_kinds_pull_cannot_write_exit_1(database: str, tmp_path: Path) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("CREATE AGGREGATE total(integer) (sfunc = int4pl, stype = integer)")
    result = pull(str(tmp_path / "sql"), "--database-url", database)
    assert result.exit_code == 1
    assert (
        "schemactl: warning: not written (a kind pull cannot write): aggregate public.total(integer)"
        in result.stderr
    )
    assert "pull: 1 object(s) not written" in result.stderr
    assert (tmp_path / "sql" / "tables" / "accounts.sql").exists()  # the rest is written


def test_empty_url_is_an_error(tmp_path: Path) -> None:
    result = pull(str(tmp_path / "sql"), "--database-url", "")
    assert result.exit_code == 2
    assert "empty database URL from option --database-url" in result.stderr


def test_schema_option_pulls_only_that_schema(database: str, tmp_path: Path) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA app; CREATE TABLE app.items (id int)")
    result = pull(str(tmp_path / "sql"), "--database-url", database, "--schema", "app")
    assert result.exit_code == 0, result.output
    assert set(files(tmp_path / "sql")) == {"schemas/app.sql", "tables/app.items.sql"}
