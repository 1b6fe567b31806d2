"""`schemactl apply` migrates a database that has a ledger: issue 6's edit -> diff -> apply loop.

On the real platform schema (sql/): apply it, add a column in a table file, `diff` shows it
(exit 1), `apply` adds it with the rows intact; drop a column from the files: `apply`
exits 3 and the column stays, `--dry-run` prints the drop, `--allow-destructive` runs it.
Every step is checked in the database, not only in the output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.testing.server import TestServer

REPO_SQL = Path(__file__).resolve().parents[2] / "sql"
COMPANIES = "tables/companies.sql"


def columns(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped ORDER BY attnum",
            (table,),
        ).fetchall()
    return [r[0] for r in rows]


def one(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_edit_diff_apply_loop_on_the_platform_schema(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    sql_dir = tmp_path / "sql"
    shutil.copytree(REPO_SQL, sql_dir)
    url = ("--database-url", schemactl_empty_db)
    shadow = ("--shadow-url", schemactl_server.admin_url)

    code, out, err = invoke("apply", str(sql_dir), *url)
    assert code == 0, err
    assert out.startswith("applied ")

    # rows first, then a column added in the files
    with psycopg.connect(schemactl_empty_db) as conn:
        conn.execute(
            "INSERT INTO public.companies (name, slug) VALUES ('Acme', 'acme'), ('Initech', 'ini')"
        )
    table = sql_dir / COMPANIES
    original = table.read_text()
    edited = original.replace(
        "  name TEXT NOT NULL,\n", "  name TEXT NOT NULL,\n  region TEXT DEFAULT 'eu',\n"
    )
    assert edited != original
    table.write_text(edited)

    code, out, err = invoke("diff", str(sql_dir), *url, *shadow)
    assert code == 1, out + err
    assert "+ public.companies.region" in out
    assert "region" not in columns(schemactl_empty_db, "public.companies")  # diff changes nothing

    code, out, err = invoke("apply", str(sql_dir), *url, *shadow)
    assert code == 0, err
    assert out.startswith(f"migrated {schemactl_empty_db}: 1 statements, 1 changes"), out
    assert "+ column public.companies.region" in out
    assert "region" in columns(schemactl_empty_db, "public.companies")
    assert (
        one(
            schemactl_empty_db,
            "SELECT string_agg(slug || ':' || region, ',' ORDER BY slug) FROM public.companies",
        )
        == "acme:eu,ini:eu"
    )
    assert (
        one(
            schemactl_empty_db,
            "SELECT string_agg(r.kind || ':' || s.statement, ' | ' ORDER BY r.id, s.position)"
            " FROM schemactl.runs r JOIN schemactl.run_statements s ON s.run_id = r.id",
        )
        == 'diff:ALTER TABLE "public"."companies" ADD COLUMN "region" text DEFAULT \'eu\'::text'
    )

    # the ledger holds the files now: apply is a no-op (no shadow diff)
    code, out, _ = invoke("apply", str(sql_dir), *url, *shadow)
    files = len(list(sql_dir.rglob("*.sql")))
    assert (code, out) == (
        0,
        f"{schemactl_empty_db} is up to date ({files} files, nothing to do)\n",
    )

    # a column dropped from the files: refused without consent, the column and its data stay
    table.write_text(original)  # region is gone from the files again
    code, out, err = invoke("apply", str(sql_dir), *url, *shadow)
    assert code == 3, out + err
    assert "1 destructive change(s): drop column public.companies.region" in err
    assert len(err.strip().splitlines()) == 2  # one line, one hint
    assert "region" in columns(schemactl_empty_db, "public.companies")

    code, out, err = invoke("apply", str(sql_dir), *url, *shadow, "--dry-run")
    assert code == 0, err
    assert 'ALTER TABLE "public"."companies" DROP COLUMN "region";' in out
    assert "region" in columns(schemactl_empty_db, "public.companies")

    code, out, err = invoke("apply", str(sql_dir), *url, *shadow, "--allow-destructive")
    assert code == 0, err
    assert "- column public.companies.region" in out
    assert "region" not in columns(schemactl_empty_db, "public.companies")
    assert one(schemactl_empty_db, "SELECT count(*) FROM public.companies") == 2
    assert one(schemactl_empty_db, "SELECT count(*) FROM schemactl.runs") == 3
    assert invoke("diff", str(sql_dir), *url, *shadow)[0] == 0
