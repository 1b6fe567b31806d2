"""Settings from ``[tool.schemactl]`` / ``schemactl.toml`` / ``SCHEMACTL_*`` / options.

Precedence, lowest first: defaults, ``[tool.schemactl]`` in ``pyproject.toml``,
``schemactl.toml`` (either file in the project directory), ``SCHEMACTL_*``
environment variables (``DATABASE_URL`` too, for the database URL), then
options given on the command line or as keyword arguments.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from schemactl.errors import ConfigError

AUTH_SHIM_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class Settings:
    """Every setting schemactl reads, with its default."""

    project_dir: Path = Path(".")
    sql_dir: Path = Path("sql")
    database_url: str | None = None
    lock_timeout: str = "5s"
    statement_timeout: str | None = None
    auth_shim: str = "auto"
    strict: bool = False
    # role that owns what apply creates (SET ROLE); None: the connecting role
    owner: str | None = None
    # where the embedded server keeps its data, relative to project_dir
    embedded_dir: Path = Path(".schemactl/pgdata")

    def resolve(self, path: Path) -> Path:
        """A path setting made absolute against the project directory."""
        return path if path.is_absolute() else self.project_dir / path


_PATH_KEYS = {"project_dir", "sql_dir", "embedded_dir"}
_BOOL_KEYS = {"strict"}


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
    if key == "auth_shim" and value not in AUTH_SHIM_MODES:
        raise ConfigError(
            f"{source}: auth_shim must be one of {', '.join(AUTH_SHIM_MODES)}, not {value!r}"
        )
    return None if value is None else str(value)


def _from_file(project_dir: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    pyproject = project_dir / "pyproject.toml"
    own = project_dir / "schemactl.toml"
    for path, table in ((pyproject, ("tool", "schemactl")), (own, ())):
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}", hint="fix the TOML syntax") from None
        for part in table:
            data = data.get(part, {}) if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            key = key.replace("-", "_")
            if key not in _KEYS:
                raise ConfigError(
                    f"{path}: unknown setting {key!r}",
                    hint=f"known settings: {', '.join(sorted(_KEYS - {'project_dir'}))}",
                )
            found[key] = _coerce(key, value, str(path))
    return found


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if env.get("DATABASE_URL"):
        found["database_url"] = env["DATABASE_URL"]
    for key in _KEYS - {"project_dir"}:
        name = f"SCHEMACTL_{key.upper()}"
        if name in env and env[name] != "":
            found[key] = _coerce(key, env[name], name)
    return found


_KEYS = {f.name for f in fields(Settings)}


def load_settings(
    project_dir: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings for a project directory; ``None`` overrides are ignored."""
    environ = os.environ if env is None else env
    root = Path(project_dir or environ.get("SCHEMACTL_PROJECT_DIR") or ".")
    settings = Settings(project_dir=root)
    settings = replace(settings, **_from_file(root))
    settings = replace(settings, **_from_env(environ))
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - _KEYS
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    given = {k: _coerce(k, v, f"option {k}") for k, v in given.items()}
    return replace(settings, **given)
