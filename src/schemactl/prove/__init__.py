"""Trust a migration before production sees it: snapshots, drift checks, and proofs of plans.

``snapshot(url)`` reads the typed catalog model of a database (written with
:mod:`schemactl.core.catalog_json`); ``drift(url, path)`` compares a database with a
snapshot; ``prove`` applies a plan to a throwaway clone and checks state, data and time.
"""

from __future__ import annotations

from schemactl.prove.run import Proof, check_proof, proof_to_json, prove_diff, read_proof
from schemactl.prove.snapshot import drift, schema_only, snapshot, write_snapshot

__all__ = [
    "Proof",
    "check_proof",
    "drift",
    "proof_to_json",
    "prove_diff",
    "read_proof",
    "schema_only",
    "snapshot",
    "write_snapshot",
]
