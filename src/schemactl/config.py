"""Settings from ``[tool.schemactl]`` / ``schemactl.toml`` / ``SCHEMACTL_*`` / options.

Precedence, lowest first: defaults, ``[tool.schemactl]`` in ``pyproject.toml``,
``schemactl.toml`` (either file in the project directory), ``SCHEMACTL_*``
environment variables (``DATABASE_URL`` too, for the database URL), then
options given on the command line or as keyword arguments.

A setting in a file is checked for its TOML type (a list is never turned into a
string) and an error names the file and the line (``schemactl.toml:2: unknown
setting 'sql_dri' (did you mean 'sql_dir'?)``).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from schemactl.errors import ConfigError

AUTH_SHIM_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class PartitionConfig:
    """``[tool.schemactl.partitions.<table>]``: how ``schemactl partitions`` manages a table."""

    table: str  # as written: "agent_telemetry" or "public.agent_telemetry"
    interval: str = "month"  # day, week, month
    premake: int = 3  # periods created ahead of the current one
    retention: str | None = None  # e.g. "13 months": the default of prune --older-than
    default_partition: bool = True  # a DEFAULT partition (made if missing), guarded by a CHECK
    source: str = field(default="", compare=False)  # "pyproject.toml:12"


# PostgreSQL lock_timeout during apply and diff, unless set: the one place it is written
DEFAULT_LOCK_TIMEOUT = "5s"


@dataclass(frozen=True)
class Settings:
    """Every setting schemactl reads, with its default."""

    project_dir: Path = Path(".")
    sql_dir: Path = Path("sql")
    database_url: str | None = None
    lock_timeout: str = DEFAULT_LOCK_TIMEOUT
    # how long apply waits for another apply's lock (the advisory lock), apart from
    # lock_timeout, which bounds the waits of the statements for table locks
    lock_wait: str = "60s"
    # how often apply rolls back and starts again when a statement's lock wait times out
    lock_retries: int = 0
    statement_timeout: str | None = None
    auth_shim: str = "auto"
    strict: bool = False
    # role that owns what apply creates (SET ROLE); None: the connecting role
    owner: str | None = None
    # where the embedded server keeps its data, relative to project_dir
    embedded_dir: Path = Path(".schemactl/pgdata")
    # the schemas diff compares (files vs database); None: those the files create or put
    # objects in, plus public (schemactl.core.scope.file_schemas)
    schemas: tuple[str, ...] | None = None
    # [tool.schemactl.partitions.<table>] tables, in file order (schemactl partitions)
    partitions: tuple[PartitionConfig, ...] = ()
    # materialized views refreshed on a schedule, view -> schedule text ("10s", "5m",
    # "*/5 * * * *"): [tool.schemactl.refresh.<view>] every = "10s" (schemactl refresh)
    refresh: Mapping[str, str] = field(default_factory=dict)
    # where each setting that is not a default came from ("--database-url", "DATABASE_URL",
    # "schemactl.toml:3"), so that a message about a value can name its source
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def resolve(self, path: Path) -> Path:
        """A path setting made absolute against the project directory."""
        return path if path.is_absolute() else self.project_dir / path


_PATH_KEYS = {"project_dir", "sql_dir", "embedded_dir"}
_BOOL_KEYS = {"strict"}
_DURATION_KEYS = {"lock_timeout", "lock_wait", "statement_timeout"}
_COUNT_KEYS = {"lock_retries"}
_LIST_KEYS = {"schemas"}
# tables of tables, set in files only (no SCHEMACTL_* variable, no option)
_TABLE_KEYS = {"refresh"}
# partitions is a table of tables, read by _partitions_from_toml (files only)
_KEYS = {f.name for f in fields(Settings)} - {"sources", "partitions"}
# project_dir is where the files are looked for, not something they can set
_FILE_KEYS = _KEYS - {"project_dir"}
_EXAMPLES = {
    "sql_dir": '"sql"',
    "database_url": '"postgresql://app@db.example.com:5432/app"',
    "lock_timeout": f'"{DEFAULT_LOCK_TIMEOUT}"',
    "lock_wait": '"60s"',
    "lock_retries": "3",
    "statement_timeout": '"30s"',
    "auth_shim": '"auto"',
    "strict": "true",
    "owner": '"app_owner"',
    "embedded_dir": '".schemactl/pgdata"',
    "schemas": '["app", "public"]',
    "refresh": '[refresh.project_realtime_stats] every = "10s"',
}


def _coerce(key: str, value: Any, source: str) -> Any:
    if key in _PATH_KEYS:
        return Path(str(value))
    if key in _BOOL_KEYS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{source}: {key} must be true or false, not {value!r}")
    if key in _COUNT_KEYS:
        return _count(key, value, source)
    if key in _TABLE_KEYS:
        return dict(value)
    if key in _LIST_KEYS:
        return _names(key, value, source)
    if key == "auth_shim" and value not in AUTH_SHIM_MODES:
        raise ConfigError(
            f"{source}: auth_shim must be one of {', '.join(AUTH_SHIM_MODES)}, not {value!r}"
        )
    return None if value is None else str(value)


def _names(key: str, value: Any, source: str) -> tuple[str, ...]:
    """A list of names (``schemas``): a TOML array of strings, or comma-separated text."""
    items = [part.strip() for part in value.split(",")] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
        raise ConfigError(
            f"{source}: {key} must be a list of names", hint=f"write it as {key} = {_EXAMPLES[key]}"
        )
    names = tuple(dict.fromkeys(items))
    if not names or any(not name.strip() for name in names):
        raise ConfigError(
            f"{source}: {key} has an empty name" if names else f"{source}: {key} is empty",
            hint=f"write it as {key} = {_EXAMPLES[key]}, or remove the line for the default",
        )
    return names


def _count(key: str, value: Any, source: str) -> int:
    """A whole number >= 0 (``lock_retries``), from an int or its decimal text."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[0-9]{1,6}", text):
            raise ConfigError(
                f"{source}: {key} must be a whole number >= 0, not {value!r}",
                hint=f"write it as {key} = {_EXAMPLES[key]}",
            )
        number = int(text)
    if not 0 <= number <= 1000:
        raise ConfigError(
            f"{source}: {key} must be between 0 and 1000, not {number}",
            hint=f"write it as {key} = {_EXAMPLES[key]}",
        )
    return number


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _from_toml(key: str, value: Any, where: str) -> Any:
    """A value read from a TOML file, refused unless its type is the setting's own."""
    if key in _BOOL_KEYS:
        wanted = "true or false"
        ok = isinstance(value, bool)
    elif key in _COUNT_KEYS:
        wanted = "an integer"
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif key in _DURATION_KEYS:
        # an integer is milliseconds, as PostgreSQL reads a unitless timeout
        wanted = 'a duration such as "5s" (or an integer of milliseconds)'
        ok = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    elif key in _LIST_KEYS:
        wanted = "an array of strings"
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:
        wanted = "a string"
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(
            f"{where}: {key} must be {wanted}, not {_toml_type(value)}",
            hint=f"write it as {key} = {_EXAMPLES[key]}",
        )
    if key in _PATH_KEYS and not value.strip():
        raise ConfigError(
            f"{where}: {key} is empty",
            hint=f"write it as {key} = {_EXAMPLES[key]}, or remove the line for the default",
        )
    return _coerce(key, value, where)


# TOML keys as they appear in a file: bare, "basic" or 'literal', dotted with spaces around
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE_LINE = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]\s*(?:#.*)?$")
_ARRAY_TABLE_LINE = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, dotted))


def line_of(text: str, keys: tuple[str, ...]) -> int | None:
    """The 1-based line of TOML ``text`` that defines the dotted key ``keys``.

    tomllib gives no positions, so the text is scanned: table headers set the current
    table, ``key = value`` lines define ``table + key``. Without a line of its own (in an
    inline table, say) the line of the closest enclosing table or key is given; None when
    nothing matches. Lines inside multi-line strings are not mistaken for keys.
    """
    table: tuple[str, ...] | None = ()
    best: tuple[int, int] | None = None  # (length of the matched prefix, line)
    open_string: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if open_string is not None:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        defined: tuple[str, ...] | None
        if match := _ARRAY_TABLE_LINE.match(line):
            table = None  # an array of tables holds no setting of ours
            continue
        if match := _TABLE_LINE.match(line):
            table = defined = _key_parts(match[1])
        elif (match := _KEY_LINE.match(line)) and table is not None:
            defined = table + _key_parts(match[1])
            for quotes in ('"""', "'''"):
                if match[2].count(quotes) % 2 == 1:
                    open_string = quotes
        else:
            continue
        if defined == keys:
            return number
        if keys[: len(defined)] == defined and (best is None or len(defined) > best[0]):
            best = (len(defined), number)
    return best[1] if best else None


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _toml_syntax_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match is None:
        return ConfigError(f"{path}: {message}", hint="fix the TOML syntax")
    if match[1]:
        line, col = int(match[1]), int(match[2])
    else:  # at the end of the document: just after its last character
        end = len(text.rstrip())
        line = text.count("\n", 0, end) + 1
        col = end - (text.rfind("\n", 0, end) + 1) + 1
    return ConfigError(
        f"{path}:{line}:{col}: {message[: match.start()]}", hint="fix the TOML syntax"
    )


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read: {exc.strerror or exc}",
            hint="make it readable by the user running schemactl",
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise ConfigError(
            f"{path}:{line}:{col}: not valid UTF-8", hint="save it as UTF-8"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_syntax_error(path, text, exc) from None


def _where(path: Path, text: str, keys: tuple[str, ...]) -> str:
    line = line_of(text, keys)
    return f"{path}" if line is None else f"{path}:{line}"


def _from_file(project_dir: Path) -> tuple[dict[str, Any], dict[str, str]]:
    found: dict[str, Any] = {}
    sources: dict[str, str] = {}
    pyproject = project_dir / "pyproject.toml"
    own = project_dir / "schemactl.toml"
    table_of: tuple[tuple[Path, tuple[str, ...]], ...] = (
        (pyproject, ("tool", "schemactl")),
        (own, ()),
    )
    for path, table in table_of:
        if not path.is_file():
            continue
        text, data = _read_toml(path)
        for raw_key, value in _settings_table(path, text, data, table).items():
            where = _where(path, text, (*table, raw_key))
            key = raw_key.replace("-", "_")
            if key == "partitions":
                found[key] = _partitions_from_toml(path, text, (*table, raw_key), value)
                sources[key] = where
                continue
            if key not in _FILE_KEYS:
                raise _unknown_setting(where, raw_key)
            if key == "refresh":
                found[key] = _refresh_schedules(path, text, value, (*table, raw_key))
                sources[key] = where
                for view in found[key]:  # each schedule's own line, for messages about it
                    sources[f"refresh.{view}"] = _where(path, text, (*table, raw_key, view))
                continue
            found[key] = _from_toml(key, value, where)
            sources[key] = where
    return found, sources


def _settings_table(
    path: Path, text: str, data: dict[str, Any], table: tuple[str, ...]
) -> dict[str, Any]:
    """The table of ``data`` at ``table`` (empty when missing); anything else is an error."""
    node = data
    for depth, part in enumerate(table, 1):
        if part not in node:
            return {}
        if not isinstance(node[part], dict):
            name = ".".join(table[:depth])
            raise ConfigError(
                f"{_where(path, text, table[:depth])}: {name} must be a table of settings, "
                f"not {_toml_type(node[part])}",
                hint=f"write the settings under [{'.'.join(table)}], one per line",
            )
        node = node[part]
    return node


def _refresh_schedules(
    path: Path, text: str, value: Any, table: tuple[str, ...]
) -> dict[str, str]:
    """``[refresh.<view>] every = "10s"`` tables: view -> schedule, each schedule checked."""
    from schemactl.refresh.every import parse_every

    example = 'write it as [tool.schemactl.refresh.project_realtime_stats] every = "10s"'
    if not isinstance(value, dict):
        raise ConfigError(
            f"{_where(path, text, table)}: refresh must be a table of views, "
            f"not {_toml_type(value)}",
            hint=example,
        )
    schedules: dict[str, str] = {}
    for view, entry in value.items():
        where = _where(path, text, (*table, view))
        if not view.strip():
            raise ConfigError(f"{where}: refresh: empty view name", hint=example)
        if not isinstance(entry, dict):
            raise ConfigError(
                f"{where}: refresh.{view} must be a table, not {_toml_type(entry)}", hint=example
            )
        unknown = sorted(set(entry) - {"every"})
        if unknown:
            raise ConfigError(
                f"{_where(path, text, (*table, view, unknown[0]))}: unknown setting "
                f"refresh.{view}.{unknown[0]} (a view's only setting is 'every')",
                hint=example,
            )
        if "every" not in entry:
            raise ConfigError(f"{where}: refresh.{view} has no 'every'", hint=example)
        every = entry["every"]
        where = _where(path, text, (*table, view, "every"))
        if not isinstance(every, str):
            raise ConfigError(
                f"{where}: refresh.{view}.every must be a string, not {_toml_type(every)}",
                hint=example,
            )
        try:
            parse_every(every)
        except ValueError as exc:
            raise ConfigError(f"{where}: refresh.{view}.every: {exc}", hint=example) from None
        schedules[view] = every
    return schedules


_PARTITION_KEYS = {
    "interval": '"month"',
    "premake": "3",
    "retention": '"13 months"',
    "default_partition": "true",
}


def _partitions_from_toml(
    path: Path, text: str, keys: tuple[str, ...], value: Any
) -> tuple[PartitionConfig, ...]:
    """``[tool.schemactl.partitions.<table>]`` tables, each key checked (file:line errors)."""
    from schemactl.partitions.periods import INTERVALS, parse_retention

    example = '[tool.schemactl.partitions.agent_telemetry] with interval = "month"'
    if not isinstance(value, dict):
        raise ConfigError(
            f"{_where(path, text, keys)}: partitions must be a table of tables, "
            f"not {_toml_type(value)}",
            hint=f"write one table per partitioned table: {example}",
        )
    configs = []
    for table, options in value.items():
        where = _where(path, text, (*keys, table))
        if not isinstance(options, dict):
            raise ConfigError(
                f"{where}: partitions.{table} must be a table of settings, "
                f"not {_toml_type(options)}",
                hint=f"write it as {example}",
            )
        if not table.strip():
            raise ConfigError(f"{where}: empty table name", hint=f"write it as {example}")
        given: dict[str, Any] = {}
        for raw, item in options.items():
            key = raw.replace("-", "_")
            at = _where(path, text, (*keys, table, raw))
            if key not in _PARTITION_KEYS:
                close = difflib.get_close_matches(key, sorted(_PARTITION_KEYS), n=1)
                suggestion = f" (did you mean {close[0]!r}?)" if close else ""
                raise ConfigError(
                    f"{at}: unknown setting {raw!r} of partitions.{table}{suggestion}",
                    hint=f"known: {', '.join(sorted(_PARTITION_KEYS))}",
                )
            hint = f"write it as {key} = {_PARTITION_KEYS[key]}"
            if key == "interval":
                if not isinstance(item, str) or item not in INTERVALS:
                    shown = repr(item) if isinstance(item, str) else _toml_type(item)
                    raise ConfigError(
                        f"{at}: interval must be one of {', '.join(INTERVALS)}, not {shown}",
                        hint=hint,
                    )
            elif key == "premake":
                if not isinstance(item, int) or isinstance(item, bool):
                    raise ConfigError(
                        f"{at}: premake must be an integer, not {_toml_type(item)}", hint=hint
                    )
                if not 0 <= item <= 1000:
                    raise ConfigError(
                        f"{at}: premake must be between 0 and 1000, not {item}", hint=hint
                    )
            elif key == "retention":
                if not isinstance(item, str):
                    raise ConfigError(
                        f"{at}: retention must be a string, not {_toml_type(item)}", hint=hint
                    )
                try:
                    parse_retention(item)
                except ValueError as exc:
                    raise ConfigError(f"{at}: retention {exc}", hint=hint) from None
            elif not isinstance(item, bool):
                raise ConfigError(
                    f"{at}: default_partition must be true or false, not {_toml_type(item)}",
                    hint=hint,
                )
            given[key] = item
        configs.append(PartitionConfig(table=table, source=where, **given))
    return tuple(configs)


def _unknown_setting(where: str, key: str) -> ConfigError:
    known = sorted(_FILE_KEYS | {"partitions"})
    close = difflib.get_close_matches(key.replace("-", "_"), known, n=1)
    suggestion = f" (did you mean {close[0]!r}?)" if close else ""
    return ConfigError(
        f"{where}: unknown setting {key!r}{suggestion}",
        hint=f"known settings: {', '.join(known)}",
    )


def _from_env(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    found: dict[str, Any] = {}
    sources: dict[str, str] = {}
    # An empty URL is kept (not read as "unset"): an unset shell variable in CI must not
    # quietly send the schema to the embedded server. See database_url_of().
    if "DATABASE_URL" in env:
        found["database_url"] = env["DATABASE_URL"]
        sources["database_url"] = "DATABASE_URL"
    for key in _FILE_KEYS - _TABLE_KEYS:
        name = f"SCHEMACTL_{key.upper()}"
        if name in env and (env[name] != "" or key == "database_url"):
            found[key] = _coerce(key, env[name], name)
            sources[key] = name
    return found, sources


def _option_name(key: str) -> str:
    return "SQL_DIR" if key == "sql_dir" else "--" + key.replace("_", "-")


def load_settings(
    project_dir: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings for a project directory; ``None`` overrides are ignored."""
    environ = os.environ if env is None else env
    root = Path(project_dir or environ.get("SCHEMACTL_PROJECT_DIR") or ".")
    from_files, file_sources = _from_file(root)
    from_env, env_sources = _from_env(environ)
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - _KEYS
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    given = {k: _coerce(k, v, _option_name(k)) for k, v in given.items()}
    sources = {**file_sources, **env_sources, **{k: _option_name(k) for k in given}}
    return Settings(project_dir=root, **{**from_files, **from_env, **given, "sources": sources})


def database_url_of(settings: Settings) -> str | None:
    """The database URL to connect to, or None for the embedded server.

    An explicitly empty URL (``--database-url ""``, ``DATABASE_URL=``, ``database_url =
    ""``) is an error rather than "no URL": in CI it is an unset shell variable, and the
    schema would quietly go to the embedded server instead of the database meant.
    """
    return checked_database_url(
        settings.database_url, settings.sources.get("database_url", "database_url")
    )


def checked_database_url(url: str | None, source: str) -> str | None:
    """``url`` unless it was given but is empty (or blank): then a ConfigError naming ``source``.

    ``source`` is an option (``--database-url``), an environment variable
    (``DATABASE_URL``) or a file and line (``schemactl.toml:3``).
    """
    if url is None or url.strip():
        return url
    example = "postgresql://user@host:5432/dbname"
    if source.startswith("--"):
        origin = f"option {source}"
        todo = (
            f"pass a URL such as {example} (is the shell variable you meant unset?), "
            "or leave the option out to use the embedded server"
        )
    elif ":" in source or source.endswith(".toml"):
        origin = source
        todo = f"set database_url to a URL such as {example}, or remove the line"
    else:
        origin = f"environment variable {source}"
        todo = f"set {source} to a URL such as {example}, or unset it (unset {source})"
    raise ConfigError(f"empty database URL from {origin}", hint=todo)
