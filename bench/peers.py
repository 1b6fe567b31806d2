"""The peer tools of the diff benchmark, installed on first use outside the project's venv.

- migra (PyPI) in its own venv, ``bench/.venv-peers``: it needs SQLAlchemy < 2 and psycopg2,
  which must not meet the project's own pins. The set below is one that works (Python 3.11).
- Supabase's pg-delta (npm ``@supabase/pg-delta``) in ``bench/.npm-peers`` with npm; its
  ``latest`` tag is an empty 0.0.0 placeholder, so a release is pinned.

Both directories are git-ignored. :func:`ensure_migra` and :func:`ensure_pgdelta` never raise:
a peer that cannot be installed comes back with ``error`` set, so the benchmark can say so
and still measure the others.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MIGRA_VENV = BENCH / ".venv-peers"
PGDELTA_DIR = BENCH / ".npm-peers"

MIGRA_REQUIREMENTS = (
    "migra==3.0.1663481299",
    "schemainspect==3.1.1663587362",
    "sqlbag==0.1.1617247075",
    "sqlalchemy==1.4.54",  # migra and schemainspect break on SQLAlchemy 2
    "psycopg2-binary==2.9.13",
)
PGDELTA_PACKAGE = "@supabase/pg-delta@1.0.0-alpha.34"


@dataclass(frozen=True)
class Peer:
    """A peer tool: the command that runs it, its version, or why it is not there."""

    name: str
    command: tuple[str, ...] = ()
    version: str = ""
    error: str = ""

    @property
    def available(self) -> bool:
        """True when the tool is installed and can be run."""
        return not self.error


def _run(command: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def _last_lines(done: subprocess.CompletedProcess[str], n: int = 3) -> str:
    lines = (done.stderr or done.stdout).strip().splitlines()
    return " | ".join(lines[-n:]) or f"exit {done.returncode}"


def _base_python() -> str:
    # the interpreter the project's venv was made from: a venv of a venv works too, but
    # this keeps the peers' venv independent of the project's
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_migra() -> Peer:
    """migra in ``bench/.venv-peers`` (created and installed when missing)."""
    migra = MIGRA_VENV / "bin" / "migra"
    pip = MIGRA_VENV / "bin" / "pip"
    try:
        if not migra.exists():
            if not pip.exists():
                done = _run([_base_python(), "-m", "venv", str(MIGRA_VENV)])
                if done.returncode != 0:
                    return Peer("migra", error=f"python -m venv failed: {_last_lines(done)}")
            done = _run([str(pip), "install", "-q", "--disable-pip-version-check",
                         *MIGRA_REQUIREMENTS])  # fmt: skip
            if done.returncode != 0 or not migra.exists():
                return Peer("migra", error=f"pip install failed: {_last_lines(done)}")
        done = _run([str(MIGRA_VENV / "bin" / "python"), "-c",
                     "import importlib.metadata as m; print(m.version('migra'))"])  # fmt: skip
        if done.returncode != 0:
            return Peer("migra", error=f"migra does not import: {_last_lines(done)}")
        return Peer("migra", (str(migra),), done.stdout.strip())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Peer("migra", error=f"cannot install migra: {exc}")


def ensure_pgdelta() -> Peer:
    """pg-delta's ``pgdelta`` in ``bench/.npm-peers`` (npm install when missing)."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        return Peer("pg-delta", error="node/npm not on PATH (pg-delta needs Node 20)")
    package_json = PGDELTA_DIR / "node_modules" / "@supabase" / "pg-delta" / "package.json"
    main_js = PGDELTA_DIR / "node_modules" / "@supabase" / "pg-delta" / "dist" / "cli" / "main.js"
    try:
        if not main_js.exists():
            PGDELTA_DIR.mkdir(parents=True, exist_ok=True)
            done = _run([npm, "install", "--prefix", str(PGDELTA_DIR), "--no-audit", "--no-fund",
                         "--loglevel=error", PGDELTA_PACKAGE])  # fmt: skip
            if done.returncode != 0 or not main_js.exists():
                return Peer("pg-delta", error=f"npm install failed: {_last_lines(done)}")
        import json

        version = json.loads(package_json.read_text(encoding="utf-8")).get("version", "")
        # node runs the CLI directly (no npx, no shell wrapper): one process to measure
        return Peer("pg-delta", (node, str(main_js)), str(version))
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return Peer("pg-delta", error=f"cannot install pg-delta: {exc}")
