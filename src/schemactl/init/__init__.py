"""``schemactl init``: scaffold a project for a schema of one's own.

Writes the ``sql/`` folders, the settings (``[tool.schemactl]`` appended to an existing
``pyproject.toml``, else ``schemactl.toml``), ``tests/test_rls.py`` on the pytest plugin's
fixtures, a CI workflow and a pre-commit config. With ``from_url`` the database's schema is
pulled into ``sql/`` first (:func:`schemactl.pull.pull_layout`). Nothing that exists is
overwritten: init refuses (exit 3) before writing anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from schemactl.errors import ConfigError, RefusedError
from schemactl.pull.layout import Layout

__all__ = ["SQL_FOLDERS", "InitResult", "init", "scaffold"]

SQL_FOLDERS = ("tables", "policies", "views", "functions", "types", "partitions")
WORKFLOW = ".github/workflows/schemactl.yml"
PRECOMMIT = ".pre-commit-config.yaml"
TEST_FILE = "tests/test_rls.py"

CONFIG = """[tool.schemactl]
# schemactl's settings (its README, "Configuration")
sql_dir = "sql"
"""


@dataclass(frozen=True)
class InitResult:
    """What init wrote, relative to the project directory."""

    project_dir: str
    written: tuple[str, ...]  # files, POSIX paths, in the order written
    folders: tuple[str, ...]  # sql/ folders created
    unsupported: tuple[str, ...] = ()  # with from_url: objects pull could not write


def _template(name: str) -> str:
    return (resources.files("schemactl.init") / "templates" / name).read_text(encoding="utf-8")


def _tables_without_rls(tree: Layout | None) -> list[str]:
    """Tables (not partitions) of the pulled tree whose files never enable RLS."""
    if tree is None:
        return []
    enabled = set()
    for text in tree.files.values():
        enabled |= set(re.findall(r"^ALTER TABLE (\S+) ENABLE ROW LEVEL SECURITY;", text, re.M))
    created = []
    for path, text in tree.files.items():
        if path.startswith("tables/"):
            created += re.findall(r"^CREATE (?:UNLOGGED )?TABLE (\S+) \($", text, re.M)
    return sorted(t for t in created if t not in enabled)


def _test_file(exempt: Iterable[str], *, example: bool) -> str:
    names = ", ".join(json.dumps(name) for name in exempt)
    tests = _template("test_notes_example.py.tmpl" if example else "test_own_example.py.tmpl")
    text = _template("test_rls.py.tmpl").replace("@@RLS_EXEMPT@@", names)
    text = text.replace("@@IMPORT_UUID@@", "import uuid\n\n" if example else "")
    assertions = "from schemactl.testing import assert_denied, assert_visible\n"
    text = text.replace("@@IMPORT_ASSERTIONS@@", assertions if example else "")
    return text.replace("@@EXAMPLE_TESTS@@", tests.lstrip("\n"))


def scaffold(root: Path, tree: Layout | None = None) -> dict[str, str]:
    """Every file init writes under ``root`` (POSIX path -> text), pulled SQL included.

    ``pyproject.toml`` maps to the text to append to it (only when it exists). Without a
    pulled ``tree``, ``sql/`` gets an example table (``notes``) with its policies and tests.
    """
    files: dict[str, str] = {}
    if (root / "pyproject.toml").exists():
        files["pyproject.toml"] = CONFIG
    else:
        files["schemactl.toml"] = CONFIG.replace("[tool.schemactl]\n", "")
    files[TEST_FILE] = _test_file(_tables_without_rls(tree), example=tree is None)
    files[WORKFLOW] = _template("schemactl.yml.tmpl")
    files[PRECOMMIT] = _template("pre-commit-config.yaml.tmpl")
    if tree is None:  # an example table to start from, with its policies and tests
        files["sql/tables/notes.sql"] = _template("notes_table.sql.tmpl")
        files["sql/policies/notes.sql"] = _template("notes_policies.sql.tmpl")
    for relpath, text in (tree.files if tree else {}).items():
        files[f"sql/{relpath}"] = text
    return files


def _conflicts(root: Path, files: dict[str, str]) -> list[str]:
    found = []
    for relpath in files:
        path = root / relpath
        if relpath == "pyproject.toml":
            text = path.read_text(encoding="utf-8")
            if re.search(r"^\s*\[tool\.schemactl\]", text, re.M):
                found.append("pyproject.toml [tool.schemactl]")
        elif path.exists() or path.is_symlink():
            found.append(relpath)
    sql_dir = root / "sql"
    if sql_dir.is_dir() and any(p.suffix == ".sql" for p in sql_dir.rglob("*.sql")):
        found.append("sql/ (holds .sql files)")
    return found


def init(project_dir: Path | str = ".", *, from_url: str | None = None) -> InitResult:
    """The library twin of ``schemactl init``: scaffold a project in ``project_dir``.

    With ``from_url`` the schema of that database is pulled into ``sql/``. Refuses
    (:class:`~schemactl.errors.RefusedError`, exit 3) when a file it would write exists,
    ``pyproject.toml`` already has ``[tool.schemactl]`` or ``sql/`` holds .sql files; then
    nothing is written.
    """
    from schemactl.config import checked_database_url
    from schemactl.db.connect import looks_like_dsn

    if looks_like_dsn(str(project_dir)) or looks_like_dsn(Path(project_dir).as_posix()):
        # it would become a directory named after the URL, password and all
        raise ConfigError(
            "DIRECTORY looks like a database URL, not a directory; nothing was written",
            hint="give the database as --from URL and DIRECTORY as a path",
        )
    root = Path(project_dir)
    for path in (root, root / "sql"):  # a file there gave a NotADirectoryError traceback
        if path.exists() and not path.is_dir():
            raise ConfigError(
                f"{path.as_posix()}: not a directory; nothing was written",
                hint="init a directory (new or existing), not a file",
            )
    tree = None
    if from_url is not None:
        checked_database_url(from_url, "--from")
        from schemactl.pull import pull_layout

        tree = pull_layout(from_url)
    files = scaffold(root, tree)
    conflicts = _conflicts(root, files)
    if conflicts:
        raise RefusedError(
            f"{root.as_posix()}: {', '.join(conflicts)} already exist(s); nothing was written",
            hint="init writes only new files: move those away, or init another directory",
        )
    folders = []
    for folder in SQL_FOLDERS:
        path = root / "sql" / folder
        if not path.is_dir():
            path.mkdir(parents=True)
            folders.append(f"sql/{folder}")
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if relpath == "pyproject.toml":
            before = path.read_text(encoding="utf-8")
            glue = (
                ""
                if before.endswith("\n\n") or not before
                else "\n"
                if before.endswith("\n")
                else "\n\n"
            )
            path.write_text(before + glue + text, encoding="utf-8")
        else:
            path.write_bytes(text.encode("utf-8"))
    return InitResult(
        root.as_posix(), tuple(files), tuple(folders), tree.unsupported if tree else ()
    )
