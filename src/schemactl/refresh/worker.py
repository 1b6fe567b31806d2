"""``schemactl refresh worker``: refresh every scheduled view on time until told to stop.

One thread per view, each with its own session. Interval schedules are aligned to the
epoch, so several workers aim at the same instants; ``refresh_matview``'s advisory lock
keeps two refreshes of one view from overlapping, and its ``fresh_since`` makes the late
worker of a tick skip a view another worker has just refreshed. A failed refresh is
logged and retried after a jittered exponential backoff (0.5 s doubling, up to 30 s, or
up to the interval when that is shorter), reconnecting when the session is gone.
"""

from __future__ import annotations

import contextlib
import random
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

import psycopg

from schemactl.db.connect import connect
from schemactl.errors import SchemactlError
from schemactl.refresh.every import Every, next_run
from schemactl.refresh.runner import RefreshResult, log_failure, refresh_view

__all__ = ["BACKOFF_BASE", "BACKOFF_CAP", "Job", "backoff", "run_worker"]

BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0


@dataclass(frozen=True)
class Job:
    """One scheduled view."""

    view: str  # qualified
    every: Every


def backoff(failures: int, cap: float, rng: random.Random) -> float:
    """Seconds to wait after ``failures`` failures in a row: doubling, capped, jittered.

    "Equal jitter": half the delay is fixed, half random, so that workers which failed
    together do not retry together, and no retry comes right away.
    """
    delay = min(cap, BACKOFF_BASE * 2.0 ** (failures - 1))
    return delay / 2 + rng.uniform(0, delay / 2)


def _stamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _line(result: RefreshResult) -> str:
    if result.outcome == "refreshed":
        return (
            f"{_stamp(result.started_at)} {result.view} refreshed {result.method} in "
            f"{result.duration:.3f}s, {result.rows} rows"
        )
    return f"{_stamp(result.started_at)} {result.view} skipped: {result.reason}"


class _ViewLoop:
    def __init__(
        self,
        job: Job,
        url: str,
        settings: dict[str, str | None],
        stop: threading.Event,
        echo: Callable[[str], None],
    ) -> None:
        self.job = job
        self.url = url
        self.settings = settings
        self.stop = stop
        self.echo = echo
        self.conn: psycopg.Connection[Any] | None = None
        self.rng = random.Random()
        interval = job.every.seconds or 60
        self.cap = min(BACKOFF_CAP, max(float(interval), 2 * BACKOFF_BASE))
        # a refresh started after this much of a tick belongs to the tick: half the interval
        self.tolerance = timedelta(seconds=min(interval / 2, 30))

    def _session(self) -> psycopg.Connection[Any]:
        if self.conn is None or self.conn.closed or self.conn.broken:
            if self.conn is not None:
                with contextlib.suppress(psycopg.Error):
                    self.conn.close()
            self.conn = connect(
                self.url,
                lock_timeout=self.settings["lock_timeout"],
                statement_timeout=self.settings["statement_timeout"],
                application_name="schemactl refresh worker",
            )
        return self.conn

    def run(self) -> None:
        failures = 0
        due = datetime.now(UTC)  # the first refresh at start-up
        try:
            while not self.stop.is_set():
                wait = (due - datetime.now(UTC)).total_seconds()
                if wait > 0 and self.stop.wait(wait):
                    break
                tick = due
                try:
                    result = refresh_view(
                        self._session(), self.job.view, fresh_since=tick - self.tolerance
                    )
                except Exception as exc:  # a worker outlives any one failure
                    failures += 1
                    delay = backoff(failures, self.cap, self.rng)
                    message = exc.message if isinstance(exc, SchemactlError) else str(exc)
                    message = " ".join(message.split())
                    self.echo(
                        f"{_stamp()} {self.job.view} failed (attempt {failures}, retry in "
                        f"{delay:.1f}s): {message}"
                    )
                    self._log_failure(tick, message)
                    due = datetime.now(UTC) + timedelta(seconds=delay)
                    continue
                failures = 0
                self.echo(_line(result))
                due = next_run(self.job.every, max(datetime.now(UTC), tick))
        finally:
            if self.conn is not None:
                with contextlib.suppress(psycopg.Error):
                    self.conn.close()

    def _log_failure(self, started: datetime, message: str) -> None:
        # best effort: the failure may be that the server is gone
        with contextlib.suppress(SchemactlError, psycopg.Error):
            log_failure(self._session(), self.job.view, started, message)


def run_worker(
    jobs: list[Job],
    url: str,
    *,
    lock_timeout: str | None,
    statement_timeout: str | None,
    echo: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Refresh each job's view on its schedule until ``stop`` is set (or SIGTERM / SIGINT).

    Signal handlers are installed when called from the main thread; the refresh in flight
    is finished, then the function returns.
    """
    stop = stop or threading.Event()
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)
    settings = {"lock_timeout": lock_timeout, "statement_timeout": statement_timeout}
    echo_lock = threading.Lock()

    def one_line(line: str) -> None:  # whole lines, whichever thread writes
        with echo_lock:
            echo(line)

    loops = [_ViewLoop(job, url, settings, stop, one_line) for job in jobs]
    threads = [
        threading.Thread(target=loop.run, name=f"refresh {loop.job.view}", daemon=True)
        for loop in loops
    ]
    for thread in threads:
        thread.start()
    try:
        # join with a timeout: a signal is handled between two waits of the main thread
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
