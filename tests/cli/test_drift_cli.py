"""`schemactl drift`: a database against a snapshot, exit 0 / 1 (real servers)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.prove import drift


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_drift_exit_codes_and_report(tmp_path: Path, schemactl_empty_db: str) -> None:
    url = schemactl_empty_db
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t VALUES (1)")
    snap = tmp_path / "schema.json"
    assert run("snapshot", "--database-url", url, "-o", str(snap))[0] == 0
    assert run("drift", "--database-url", url, "--snapshot", str(snap)) == (
        0,
        "no drift: the schemas are equal\n",
    )
    with psycopg.connect(url, autocommit=True) as conn:
        # rows and sequence values are no drift
        conn.execute("INSERT INTO public.t VALUES (2)")
        assert run("drift", "--database-url", url, "--snapshot", str(snap))[0] == 0
        conn.execute("CREATE INDEX t_hot ON public.t (id) WHERE id > 1")
        conn.execute("ALTER TABLE public.t ADD COLUMN note text")
    code, output = run("drift", "--database-url", url, "--snapshot", str(snap))
    assert code == 1, output
    assert "- public.t.note" in output and "- public.t_hot" in output
    code, output = run("drift", "--database-url", url, "--snapshot", str(snap), "--format", "json")
    assert code == 1
    data = json.loads(output)
    assert data["has_drift"] is True
    assert sorted(data["destructive"]) == ["drop column public.t.note"]
    # the library twin says the same
    result = drift(url, snap)
    assert result.has_drift and {c.name for c in result.changes} == {
        "public.t.note",
        "public.t_hot",
    }
    # the database was not touched
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM public.t").fetchone() == (2,)
        assert conn.execute("SELECT to_regclass('public.t_hot') IS NOT NULL").fetchone() == (True,)


def test_drift_input_errors(tmp_path: Path, schemactl_empty_db: str) -> None:
    missing = tmp_path / "none.json"
    code, output = run("drift", "--database-url", schemactl_empty_db, "--snapshot", str(missing))
    assert code == 2 and "cannot read the snapshot file" in output
    not_json = tmp_path / "schema.txt"
    not_json.write_text("x")
    code, output = run("drift", "--database-url", schemactl_empty_db, "--snapshot", str(not_json))
    assert code == 2 and "a snapshot is a file ending in .json" in output
