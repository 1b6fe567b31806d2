"""Shared pieces of the benchmarks: the server, scratch databases, timing, results.

The server is ``$SCHEMACTL_BENCH_DSN`` (a server URL, its user a superuser) when set, else a
private embedded PostgreSQL 18 in a temporary data directory, deleted at exit. Every
measurement that changes a database gets a fresh scratch database, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from schemactl.db.connect import connect, mask_dsn, server_version_num
from schemactl.testing.server import create_database, drop_database, unique_name, url_for

ENV_DSN = "SCHEMACTL_BENCH_DSN"
ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
SCHEMACTL = ROOT / ".venv" / "bin" / "schemactl"


@dataclass(frozen=True)
class BenchServer:
    """The server every benchmark of one run talks to."""

    admin_url: str  # a database the superuser connects to (never dropped)
    kind: str  # "dsn" | "embedded"
    version: str  # server_version, e.g. "15.20 (Debian 15.20-0+deb12u1)"
    version_num: int
    psql: Path  # the psql that matches the server

    def url_for(self, dbname: str) -> str:
        """URL of database ``dbname`` on this server, as the admin user."""
        return url_for(self.admin_url, dbname)

    def describe(self) -> dict[str, Any]:
        """JSON-friendly description (DSN masked)."""
        return {
            "kind": self.kind,
            "url": mask_dsn(self.admin_url),
            "version": self.version,
            "version_num": self.version_num,
            "psql": str(self.psql),
        }


def _server(admin_url: str, kind: str, psql: Path) -> BenchServer:
    with connect(admin_url, autocommit=True, lock_timeout=None) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        assert row is not None
        return BenchServer(
            admin_url=admin_url,
            kind=kind,
            version=str(row[0]),
            version_num=server_version_num(conn),
            psql=psql,
        )


@contextmanager
def open_bench_server() -> Iterator[BenchServer]:
    """``$SCHEMACTL_BENCH_DSN`` with the system psql, else an embedded PG 18 with its own psql."""
    dsn = os.environ.get(ENV_DSN)
    if dsn:
        system_psql = shutil.which("psql")
        if system_psql is None:
            raise SystemExit(f"{ENV_DSN} is set but no psql is on PATH")
        yield _server(dsn, "dsn", Path(system_psql))
        return

    from schemactl.db import embedded

    # Default server settings (fsync on), unlike the test suite's tuned throwaway server:
    # the figures should be those of a stock server. Both sides of every ratio pay the same.
    tmp = Path(tempfile.mkdtemp(prefix="schemactl-bench-pg-"))
    data_dir = tmp / "pgdata"
    try:
        embedded.start_server(data_dir, cleanup_mode="delete")
        url = embedded.running_url(data_dir)
        if url is None:
            raise SystemExit(f"embedded server in {data_dir} did not start")
        yield _server(url, "embedded", embedded.bin_path() / "psql")
    finally:
        embedded.stop_server(data_dir)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def scratch_database(server: BenchServer, prefix: str = "bench") -> Iterator[str]:
    """A fresh empty database (its URL), dropped at exit whatever happened."""
    name = unique_name(prefix)
    with connect(server.admin_url, autocommit=True, lock_timeout=None) as admin:
        create_database(admin, name)
    try:
        yield server.url_for(name)
    finally:
        with connect(server.admin_url, autocommit=True, lock_timeout=None) as admin:
            drop_database(admin, name)


def timed(func: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def summary(samples: list[float]) -> dict[str, Any]:
    """Median, min, max and the raw samples (seconds)."""
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "samples": samples,
    }


def verdict(ratio: float, target: float) -> str:
    """PASS when ``ratio`` is at most ``target``."""
    return "PASS" if ratio <= target else "FAIL"


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the table."""
    print(message, file=sys.stderr, flush=True)


def write_results(name: str, data: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.json``; its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def admin_connection(url: str) -> psycopg.Connection[Any]:
    """An autocommit superuser session without schemactl's timeouts."""
    return connect(url, autocommit=True, lock_timeout=None, application_name="schemactl-bench")
