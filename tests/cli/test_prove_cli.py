"""The plan -> prove -> apply loop through the CLI, and apply --require-proof's refusals."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from click.testing import CliRunner

from schemactl.cli import main
from schemactl.testing.server import TestServer


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def load(url: str, text: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


def nullable(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT NOT attnotnull FROM pg_attribute"
            " WHERE attrelid = 'public.transfers'::regclass AND attname = 'agent_id'"
        ).fetchone()
    assert row is not None
    return bool(row[0])


def make_plan(tmp_path: Path, url: str, server: TestServer, sql_text: str) -> Path:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir(exist_ok=True)
    (sql_dir / "transfers.sql").write_text(sql_text)
    plan = tmp_path / "plan.json"
    code, output = run(
        "plan", str(sql_dir), "--database-url", url, "--shadow-url", server.admin_url,
        "-o", str(plan),
    )  # fmt: skip
    assert code == 0, output
    return plan


OLD = "CREATE TABLE transfers (id int PRIMARY KEY, agent_id int);\n"
NEW = "CREATE TABLE transfers (id int PRIMARY KEY, agent_id int NOT NULL, note text);\n"


def test_plan_prove_apply_loop(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    load(url, OLD + "INSERT INTO transfers SELECT g, g FROM generate_series(1, 2000) g")
    plan = make_plan(tmp_path, url, schemactl_server, NEW)
    proof = tmp_path / "proof.json"
    clone = ("--clone-url", schemactl_server.admin_url)
    code, output = run("prove", str(plan), "--database-url", url, *clone, "-o", str(proof))
    assert code == 0, output
    assert "state: the clone's schema equals the desired one (0 differences)" in output
    assert "transfers  count: 1000 -> 1000" in output
    assert "ACCESS EXCLUSIVE on transfers" in output
    assert output.rstrip().endswith(f"proof written to {proof}")
    data = json.loads(proof.read_text())
    assert data["ok"] is True and data["format"] == "schemactl-proof"
    assert data["plan_sha256"] == json.loads(plan.read_text())["plan_sha256"]
    assert data["target_fingerprint"] == json.loads(plan.read_text())["source_fingerprint"]
    assert [s["target_rows"] for s in data["statements"]] == [2000, 2000]
    # --full copies every row
    code, output = run("prove", str(plan), "--database-url", url, *clone, "--full",
                       "-o", str(tmp_path / "full.json"))  # fmt: skip
    assert code == 0 and "transfers  count: 2000 -> 2000" in output
    # the clone on the database's own server: a database next to it, dropped after
    code, output = run("prove", str(plan), "--database-url", url, "--clone-on-target",
                       "-o", str(tmp_path / "there.json"))  # fmt: skip
    assert code == 0, output
    assert f"clone on {url}" in output
    with psycopg.connect(schemactl_server.admin_url) as admin:
        left = admin.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemactl\\_prove\\_%'"
        ).fetchone()
    assert left == (0,)
    code, output = run("prove", str(plan), "--database-url", url, "--clone-on-target", *clone)
    assert code == 2 and "give --clone-url or --clone-on-target, not both" in output
    # nothing was written to the database by prove
    assert nullable(url)
    code, output = run("apply", "--plan", str(plan), "--require-proof", str(proof),
                       "--database-url", url)  # fmt: skip
    assert code == 0, output
    assert not nullable(url)


def test_require_proof_refusals(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    url = schemactl_empty_db
    load(url, OLD + "INSERT INTO transfers SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE g END"
         " FROM generate_series(1, 21) g")  # fmt: skip
    plan = make_plan(tmp_path, url, schemactl_server, NEW)
    proof = tmp_path / "proof.json"
    clone = ("--clone-url", schemactl_server.admin_url)
    code, output = run("prove", str(plan), "--database-url", url, *clone, "-o", str(proof))
    assert code == 1, output
    assert "FAILED: NOT NULL on transfers.agent_id: 3 rows are NULL" in output
    assert 'in: ALTER TABLE "public"."transfers" ALTER COLUMN "agent_id" SET NOT NULL' in output
    assert json.loads(proof.read_text())["ok"] is False
    apply = ("apply", "--plan", str(plan), "--database-url", url, "--require-proof")
    code, output = run(*apply, str(proof))
    assert code == 3 and "the proof failed: NOT NULL on transfers.agent_id: 3 rows" in output
    assert nullable(url)
    # a proof of another plan
    load(url, "UPDATE transfers SET agent_id = 0 WHERE agent_id IS NULL")
    other = tmp_path / "other"
    other.mkdir()
    other_plan = make_plan(other, url, schemactl_server, NEW.replace("note text", "memo text"))
    good = tmp_path / "good.json"
    assert run("prove", str(other_plan), "--database-url", url, *clone, "-o", str(good))[0] == 0
    code, output = run(*apply, str(good))
    assert code == 3 and "the proof is of another plan" in output
    # the database changed since the plan and its proof
    load(url, "CREATE INDEX transfers_agent ON transfers (agent_id)")
    code, output = run("apply", "--plan", str(other_plan), "--database-url", url,
                       "--require-proof", str(good))  # fmt: skip
    assert code == 3 and "changed since the plan was made" in output
    code, output = run("prove", str(other_plan), "--database-url", url, *clone)
    assert code == 2 and "the schema changed since the plan was made" in output
    assert nullable(url)
    # a proof needs a plan; a file that is no proof
    code, output = run("apply", "--database-url", url, "--require-proof", str(good))
    assert code == 2 and "--require-proof goes with --plan FILE" in output
    code, output = run(*apply, str(plan))
    assert code == 2 and "not a schemactl proof file" in output


def test_concurrently_plan_runs_its_outside_steps(
    tmp_path: Path, schemactl_empty_db: str, schemactl_server: TestServer
) -> None:
    """A plan made with --concurrently: its CREATE INDEX CONCURRENTLY runs after the
    transaction on the clone, as apply runs it, and fails there over duplicates."""
    url = schemactl_empty_db
    load(url, OLD + "INSERT INTO transfers SELECT g, g % 40 FROM generate_series(1, 80) g")
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "t.sql").write_text(
        OLD + "CREATE UNIQUE INDEX transfers_agent ON transfers (agent_id);\n"
    )
    plan = tmp_path / "plan.json"
    code, output = run("plan", str(sql_dir), "--database-url", url, "--shadow-url",
                       schemactl_server.admin_url, "--concurrently", "-o", str(plan))  # fmt: skip
    assert code == 0, output
    assert json.loads(plan.read_text())["outside"] == [
        "CREATE UNIQUE INDEX CONCURRENTLY transfers_agent ON public.transfers USING btree (agent_id)"
    ]
    proof = tmp_path / "proof.json"
    code, output = run("prove", str(plan), "--database-url", url, "--clone-url",
                       schemactl_server.admin_url, "--full", "-o", str(proof))  # fmt: skip
    assert code == 1, output
    assert "FAILED: UNIQUE on transfers (agent_id): 80 rows share a value with another" in output
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('public.transfers_agent')").fetchone() == (None,)
    # without the duplicates it is proved, with the lock CONCURRENTLY takes
    load(url, "DELETE FROM transfers WHERE id > 40")
    code, output = run("plan", str(sql_dir), "--database-url", url, "--shadow-url",
                       schemactl_server.admin_url, "--concurrently", "-o", str(plan))  # fmt: skip
    assert code == 0, output
    code, output = run("prove", str(plan), "--database-url", url, "--clone-url",
                       schemactl_server.admin_url, "-o", str(proof))  # fmt: skip
    assert code == 0, output
    assert "SHARE UPDATE EXCLUSIVE on transfers" in output
