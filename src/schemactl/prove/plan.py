"""Prove a plan file (``schemactl prove``) and check a proof before a plan runs (``--require-proof``)."""

from __future__ import annotations

from pathlib import Path

from schemactl.prove.run import Proof, check_proof, proof_to_json, prove_diff, read_proof

__all__ = ["prove", "require_proof", "write_proof"]


def prove(
    plan_file: Path | str,
    database_url: str | None = None,
    *,
    rows: int | None = 1000,
    clone_url: str | None = None,
    clone_on_target: bool = False,
    allow_destructive: bool = False,
    project_dir: Path | str | None = None,
) -> Proof:
    """The library twin of ``schemactl prove``: the plan of ``plan_file`` tried on a clone.

    The target is ``database_url`` (else the environment's / config's / the embedded
    server's); it must still have the schema the plan was made on. ``rows`` per table
    are copied to the clone (None: every row); the clone lives on ``clone_url``'s server
    (default: the embedded server), or with ``clone_on_target`` on the target's own server
    (same version, so the timings are that server's; a new database there, never the
    target), and is always dropped.
    """
    from schemactl.core import catalog_json
    from schemactl.diff.planfile import plan_sha256, read_plan
    from schemactl.errors import ConfigError
    from schemactl.prove.snapshot import resolve_url

    if clone_on_target and clone_url is not None:
        raise ConfigError("give --clone-url or --clone-on-target, not both")
    plan = read_plan(plan_file)
    desired = catalog_json.loads(plan.desired_model, source=f"{plan_file}: desired_model")
    target = resolve_url(database_url, project_dir)
    if clone_on_target:
        clone_url = target  # CREATE DATABASE over a session on the target's database
    return prove_diff(
        plan.result,
        desired,
        target,
        schemas=plan.scope,
        known_schemas=plan.schemas,
        plan_sha256=plan.plan_sha256 or plan_sha256(plan),
        expected_fingerprint=plan.source_fingerprint,
        clone_url=clone_url,
        rows=rows,
        allow_destructive=allow_destructive,
    )


def write_proof(proof: Proof, path: Path | str) -> None:
    """Write the proof file (keys sorted)."""
    from schemactl.db.connect import refuse_dsn_as_path
    from schemactl.errors import ConfigError

    hint = "give the database as --database-url URL and the file as -o proof.json"
    refuse_dsn_as_path(path, "the proof file", hint)  # a file named after the password
    try:
        Path(path).write_text(proof_to_json(proof), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the proof: {exc.strerror}") from None


def require_proof(
    plan_file: Path | str,
    proof_file: Path | str,
    database_url: str | None = None,
    *,
    project_dir: Path | str | None = None,
) -> None:
    """Refuse (exit 3) unless ``proof_file`` proved ``plan_file`` on the target as it is now.

    The proof must be of this plan (its plan_sha256), made on the schema the plan was made
    on, with success; and the target must still have that schema.
    """
    import psycopg

    from schemactl.db.connect import connect, database_error
    from schemactl.diff.planfile import plan_sha256, read_plan, target_fingerprint
    from schemactl.prove.snapshot import resolve_url

    plan = read_plan(plan_file)
    proof = read_proof(proof_file)
    conn = connect(resolve_url(database_url, project_dir), lock_timeout=None)
    try:
        now = target_fingerprint(conn, plan)
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()
    check_proof(plan.plan_sha256 or plan_sha256(plan), plan.source_fingerprint, proof, now)
