"""Plan files: a diff written down, run later only on the schema it was made for.

``make_plan(sql_dir, database_url)`` diffs the files against the database (shadow apply, as
``schemactl diff``) and keeps what it compared: the fingerprint of the database's catalog
model BEFORE the change and of the desired model (the shadow's, stored whole too, so that a
clone can later be checked against it). ``write_plan`` / ``read_plan`` store it as
deterministic JSON; ``execute_plan`` runs it the way :func:`schemactl.diff.apply_diff` runs a
diff, after checking, in the same transaction and under apply's lock, that the target's
model still has the fingerprint the plan was made on, and records the run in the ledger
with the statements it ran.

Plan file layout (``format`` ``schemactl-plan``, ``version`` 1), keys sorted::

    {"format": "schemactl-plan", "version": 1, "schemactl_version": "...",
     "created_at": "2026-11-30T13:40:00Z", "target": "postgresql://app:***@db/prod",
     "sql_dir": "sql", "files": {"tables/t.sql": "<sha256>", ...},
     "scope": null | ["public", ...], "schemas": ["public", ...],
     "changes": [{"action", "kind", "name", "sql", "hazards", "destructive"}, ...],
     "statements": [...], "unsupported": [...], "warnings": [...], "destructive": [...],
     "source_fingerprint": "<sha256>", "desired_fingerprint": "<sha256>",
     "desired_model": {...catalog document...}, "plan_sha256": "<sha256>"}

``plan_sha256`` is the sha256 of the canonical JSON of every other key: a plan edited by
hand (a statement changed) or cut short is refused (exit 2) before anything connects.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import time
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from schemactl import __version__
from schemactl.config import DEFAULT_LOCK_TIMEOUT
from schemactl.core.catalog import CatalogModel
from schemactl.core.diff import Change, DiffResult
from schemactl.errors import SchemactlError, one_line

__all__ = [
    "FORMAT",
    "VERSION",
    "MigrationPlan",
    "PlanFileError",
    "StalePlanError",
    "check_target",
    "execute_plan",
    "make_plan",
    "plan",
    "plan_from_json",
    "plan_to_json",
    "read_plan",
    "write_plan",
]

FORMAT = "schemactl-plan"
VERSION = 1


class PlanFileError(SchemactlError):
    """A plan file cannot be read: missing, not JSON, cut short, edited, another version."""


class StalePlanError(SchemactlError):
    """The target's schema changed since the plan was made; nothing was changed (exit 2)."""


class LedgerUpToDate(Exception):
    """``execute_plan(..., kind="diff")``: under the lock, the ledger already holds the plan's
    files (another apply migrated the database first); nothing was run."""


@dataclass(frozen=True)
class MigrationPlan:
    """A diff of SQL files against one database, with the fingerprints of both sides."""

    result: DiffResult
    target: str  # masked URL of the database the plan was made for
    sql_dir: str
    files: dict[str, str]  # relpath -> sha256 of the SQL files the desired state came from
    schemas: tuple[str, ...]  # the managed schemas compared (those of either model)
    # the schemas the diff was read over (--schema, else the files' schemas and public);
    # None: every managed schema present
    scope: tuple[str, ...] | None
    source_fingerprint: str  # the target's catalog model before the change
    desired_fingerprint: str  # the shadow's: what the target's must be after it
    desired_model: str  # schemactl.core.catalog_json.dumps of the desired model
    created_at: str = ""
    schemactl_version: str = __version__
    # the hash a plan read from a file carried ("" for a plan made in this process)
    plan_sha256: str = field(default="", compare=False)
    # the desired model itself, for a plan made in this process (spares parsing desired_model)
    desired: CatalogModel | None = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------------------------------
# making a plan


def make_plan(
    sql_dir: Path | str,
    database_url: str,
    *,
    shadow_url: str | None = None,
    schemas: Sequence[str] | None = None,
    auth_shim: str = "auto",
    display_root: Path | str | None = None,
    owners: bool = False,
    owner: str | None = None,
    concurrently: bool = False,
) -> MigrationPlan:
    """Diff ``sql_dir`` against ``database_url`` (as ``diff_files``) and keep the fingerprints.

    With ``concurrently`` the plan builds indexes on existing tables ``CONCURRENTLY`` and
    validates new constraints there after its transaction (``DiffResult.outside``).
    """
    from schemactl.core import catalog_json
    from schemactl.core.discover import discover, file_digests
    from schemactl.db.connect import mask_dsn
    from schemactl.diff import diff_files

    seen: list[tuple[CatalogModel, CatalogModel, tuple[str, ...] | None]] = []
    result = diff_files(
        sql_dir,
        database_url,
        shadow_url=shadow_url,
        schemas=schemas,
        auth_shim=auth_shim,
        display_root=display_root,
        owners=owners,
        owner=owner,
        on_models=lambda source, desired, scope: seen.append((source, desired, scope)),
        concurrently=concurrently,
    )
    # scope: the schemas the diff read (those the files use and public, unless --schema)
    source, desired, scope = seen[-1]
    files = file_digests(discover(Path(sql_dir), display_root=display_root or sql_dir))
    return MigrationPlan(
        result=result,
        target=mask_dsn(database_url),
        sql_dir=str(display_root or sql_dir),
        files=dict(sorted(files.items())),
        schemas=tuple(sorted(set(source.schemas) | set(desired.schemas))),
        scope=scope,
        source_fingerprint=catalog_json.fingerprint(source),
        desired_fingerprint=catalog_json.fingerprint(desired),
        desired_model=catalog_json.dumps(desired),
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        desired=desired,
    )


def plan(
    sql_dir: Path | str | None = None,
    *,
    database_url: str | None = None,
    shadow_url: str | None = None,
    schemas: Sequence[str] | None = None,
    owners: bool = False,
    concurrently: bool = False,
    project_dir: Path | str | None = None,
) -> MigrationPlan:
    """The library twin of ``schemactl plan``: a plan of the SQL dir against a database.

    The SQL dir and the database URL come from the arguments, else the environment and
    the config (as for ``diff`` and ``apply``); the shadow is built on the embedded server
    or on ``shadow_url``.
    """
    from schemactl.config import database_url_of, load_settings
    from schemactl.db.embedded import resolve_database_url

    settings = load_settings(project_dir, sql_dir=sql_dir, database_url=database_url)
    database_url_of(settings)  # an empty URL fails before anything starts
    return make_plan(
        settings.resolve(settings.sql_dir),
        resolve_database_url(settings),
        shadow_url=shadow_url,
        schemas=schemas,
        auth_shim=settings.auth_shim,
        display_root=settings.sql_dir,
        owners=owners,
        owner=settings.owner,
        concurrently=concurrently,
    )


# ---------------------------------------------------------------------------------------
# the file


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _encode(value: Any) -> Any:
    """Plain JSON data of a dataclass of the diff (tuples as lists, nested dataclasses too)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


# DiffResult fields the plan file writes at its top level; ``destructive`` is written as
# names and read back from the changes' flags
_RESULT_FIELDS = tuple(f.name for f in dataclasses.fields(DiffResult) if f.name != "destructive")


def _body(plan: MigrationPlan) -> dict[str, Any]:
    result = plan.result
    return {
        "format": FORMAT,
        "version": VERSION,
        "schemactl_version": plan.schemactl_version,
        "created_at": plan.created_at,
        "target": plan.target,
        "sql_dir": plan.sql_dir,
        "files": dict(sorted(plan.files.items())),
        "scope": list(plan.scope) if plan.scope is not None else None,
        "schemas": list(plan.schemas),
        **{name: _encode(getattr(result, name)) for name in _RESULT_FIELDS},
        "destructive": [f"{c.action} {c.kind} {c.name}" for c in result.destructive],
        "source_fingerprint": plan.source_fingerprint,
        "desired_fingerprint": plan.desired_fingerprint,
        "desired_model": json.loads(plan.desired_model),
    }


def plan_sha256(plan: MigrationPlan) -> str:
    """sha256 (hex) of the plan's canonical JSON, its own hash left out."""
    return hashlib.sha256(_canonical(_body(plan)).encode()).hexdigest()


def plan_to_json(plan: MigrationPlan) -> str:
    """The plan file's text: keys sorted, two-space indent, one trailing newline."""
    body = _body(plan)
    body["plan_sha256"] = hashlib.sha256(_canonical(body).encode()).hexdigest()
    return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_plan(plan: MigrationPlan, path: Path | str) -> None:
    """Write the plan file (a partial file is never left: written aside, then renamed)."""
    from schemactl.db.connect import refuse_dsn_as_path

    hint = "give the database as --database-url URL and the file as -o plan.json"
    refuse_dsn_as_path(path, "the plan file", hint)  # a file named after the password
    target = Path(path)
    aside = target.with_name(f".{target.name}.tmp")
    try:
        aside.write_text(plan_to_json(plan), encoding="utf-8")
        aside.replace(target)
    except OSError as exc:
        aside.unlink(missing_ok=True)
        raise PlanFileError(
            f"{path}: cannot write the plan file: {exc.strerror or exc}",
            hint="check the directory exists and is writable",
        ) from None


class _Bad(Exception):
    """What is wrong with a plan document (becomes one PlanFileError line)."""


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"{key!r} must be a list of strings")
    return tuple(value)


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _Bad(f"{key!r} must be a string")
    return value


@functools.cache
def _hints(tp: type) -> dict[str, Any]:
    return typing.get_type_hints(tp)


def _decode(tp: Any, value: Any, where: str) -> Any:
    """``value`` (JSON data) as type ``tp`` of the diff's dataclasses; :class:`_Bad` if not."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(inner, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise _Bad(f"{where} must be a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise _Bad(f"{where} must have {len(args)} items")
        return tuple(
            _decode(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, dict):
            raise _Bad(f"{where} must be an object")
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        unknown = sorted(set(value) - names)
        if unknown:
            raise _Bad(f"{where} has unknown key {unknown[0]!r}")
        try:
            return tp(**{k: _decode(hints[k], v, f"{where}.{k}") for k, v in value.items()})
        except TypeError:
            raise _Bad(f"{where} lacks a key of {tp.__name__}") from None
    if tp in (str, bool, int) and type(value) is tp:
        return value
    raise _Bad(f"{where} must be {getattr(tp, '__name__', tp)}")


def plan_from_json(text: str, source: str = "plan file") -> MigrationPlan:
    """Read a plan file's text; :class:`PlanFileError` (exit 2) naming ``source`` if bad."""
    hint = "make the plan again with `schemactl plan -o FILE` (a plan file is never edited)"
    try:
        data = json.loads(text)
    except ValueError as exc:
        detail = "empty" if not text.strip() else f"not valid JSON ({exc})"
        raise PlanFileError(f"{source}: not a schemactl plan file: {detail}", hint=hint) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanFileError(
            f'{source}: not a schemactl plan file (no "format": "{FORMAT}")', hint=hint
        )
    if data.get("version") != VERSION:
        raise PlanFileError(
            f"{source}: plan file version {one_line(repr(data.get('version')))} is not "
            f"supported (this schemactl {__version__} reads version {VERSION})",
            hint="make the plan again with this schemactl: `schemactl plan -o FILE`",
        )
    stored_hash = data.get("plan_sha256")
    body = {k: v for k, v in data.items() if k != "plan_sha256"}
    if stored_hash != hashlib.sha256(_canonical(body).encode()).hexdigest():
        raise PlanFileError(
            f"{source}: the plan file was changed after it was made (plan_sha256 does not "
            "match its content); nothing was run",
            hint=hint,
        )
    try:
        from schemactl.core import catalog_json

        hints = _hints(DiffResult)
        missing = [name for name in ("changes", "statements") if name not in data]
        if missing:
            raise _Bad(f"{missing[0]!r} is missing")
        fields = {
            name: _decode(hints[name], data[name], name)
            for name in _RESULT_FIELDS
            if name in data  # a field the diff gained since: its default
        }
        files = data.get("files")
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise _Bad("'files' must map paths to sha256 strings")
        scope = data.get("scope")
        model = data.get("desired_model")
        if not isinstance(model, dict):
            raise _Bad("'desired_model' must be an object")
        desired_model = json.dumps(model, sort_keys=True)
        catalog_json.loads(desired_model, source=f"{source}: desired_model")
        changes: tuple[Change, ...] = fields["changes"]
        result = DiffResult(**fields, destructive=tuple(c for c in changes if c.destructive))
        return MigrationPlan(
            result=result,
            target=_string(data, "target"),
            sql_dir=_string(data, "sql_dir"),
            files=dict(files),
            schemas=_strings(data.get("schemas"), "schemas"),
            scope=None if scope is None else _strings(scope, "scope"),
            source_fingerprint=_string(data, "source_fingerprint"),
            desired_fingerprint=_string(data, "desired_fingerprint"),
            desired_model=desired_model,
            created_at=_string(data, "created_at"),
            schemactl_version=_string(data, "schemactl_version"),
            plan_sha256=str(stored_hash),
        )
    except _Bad as exc:
        raise PlanFileError(f"{source}: not a valid plan file: {exc}", hint=hint) from None


def read_plan(path: Path | str) -> MigrationPlan:
    """Read the plan file at ``path`` (errors name the file, exit 2)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PlanFileError(
            f"{path}: cannot read the plan file: {exc.strerror or exc}",
            hint="give the file `schemactl plan -o FILE` wrote",
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanFileError(
            f"{path}: not a schemactl plan file: not UTF-8 text",
            hint="give the file `schemactl plan -o FILE` wrote",
        ) from None
    return plan_from_json(text, str(path))


# ---------------------------------------------------------------------------------------
# running a plan


@dataclass(frozen=True)
class PlanRun:
    """What :func:`execute_plan` ran."""

    target: str
    statements: tuple[str, ...]
    changes: tuple[Change, ...]
    seconds: float


def target_fingerprint(conn: psycopg.Connection[Any], plan: MigrationPlan) -> str:
    """The fingerprint of the target's model, read as the plan's diff read it.

    Over the plan's scope (the schemas its diff was read over: ``--schema``, else those the
    files use and ``public``); a plan without one (every managed schema) reads a managed
    schema created on the target since too: its objects change the model.
    Partitions ``schemactl partitions ensure`` made are left out as
    :func:`schemactl.diff.read_models` leaves them out (against the plan's desired model).
    """
    from schemactl.core import catalog_json
    from schemactl.db.introspect import introspect, list_schemas, managed_schemas
    from schemactl.partitions import managed_tables_of
    from schemactl.partitions.drift import without_managed

    present = set(list_schemas(conn)) | set(plan.schemas)
    model = introspect(conn, managed_schemas(present, plan.scope))
    desired = plan.desired or catalog_json.loads(
        plan.desired_model, source="the plan's desired model"
    )
    return catalog_json.fingerprint(without_managed(model, managed_tables_of(conn), desired))


def _stale(target: str, plan: MigrationPlan) -> StalePlanError:
    return StalePlanError(
        f"{target}: the schema changed since the plan was made (its catalog fingerprint "
        f"is no longer {plan.source_fingerprint[:12]}); nothing was changed",
        hint="make a new plan against the database as it is now (`schemactl plan -o FILE`), "
        "review it, then apply that",
    )


def check_target(plan: MigrationPlan, database_url: str) -> None:
    """:class:`StalePlanError` unless the target's schema is the one ``plan`` was made on."""
    from schemactl.db.connect import connect, database_error, mask_dsn

    conn = connect(database_url, lock_timeout=None)
    try:
        if target_fingerprint(conn, plan) != plan.source_fingerprint:
            raise _stale(mask_dsn(database_url), plan)
    except psycopg.Error as exc:
        raise database_error(exc) from None
    finally:
        conn.close()


def execute_plan(
    plan: MigrationPlan,
    database_url: str,
    *,
    allow_destructive: bool = False,
    lock_timeout: str | None = DEFAULT_LOCK_TIMEOUT,
    statement_timeout: str | None = None,
    owner: str | None = None,
    kind: str = "plan",
    lock_wait: str | None = "60s",
) -> PlanRun:
    """Run ``plan`` on ``database_url`` if its schema is still the one the plan was made on.

    Under apply's advisory lock (another apply is waited for up to ``lock_wait``), in the
    transaction of the statements: the target's model
    is read again and its fingerprint compared with the plan's (:class:`StalePlanError`,
    exit 2, nothing changed, if it differs); then the statements run as
    :func:`schemactl.diff.apply_diff` runs them (destructive changes refused, exit 3,
    unless ``allow_destructive``; unsupported ones always), as ``owner`` if given, and the
    run is written to the ledger (``kind`` ``plan`` or ``diff``, the statements, the
    files' digests) before the commit. With ``kind`` ``diff`` (apply's own migration), a
    ledger that already holds the plan's files raises :class:`LedgerUpToDate` instead.
    """
    from schemactl.db.apply import read_ledger, record_migration
    from schemactl.db.connect import mask_dsn
    from schemactl.diff import apply_diff

    started = time.perf_counter()
    target = mask_dsn(database_url)

    def before(conn: psycopg.Connection[Any], first: bool) -> None:
        if first and kind == "diff" and read_ledger(conn) == plan.files:
            raise LedgerUpToDate
        if first and target_fingerprint(conn, plan) != plan.source_fingerprint:
            raise _stale(target, plan)
        if owner:
            from schemactl.db.apply import become_owner

            become_owner(conn, owner)

    def after(conn: psycopg.Connection[Any]) -> None:
        record_migration(
            conn,
            sql_dir=plan.sql_dir,
            digests=plan.files,
            statements=plan.result.statements,
            kind=kind,
            plan_sha256=plan.plan_sha256 or plan_sha256(plan),
        )

    apply_diff(
        plan.result,
        database_url,
        allow_destructive=allow_destructive,
        lock_timeout=lock_timeout,
        statement_timeout=statement_timeout,
        before=before,
        after=after,
        lock_wait=lock_wait,
    )
    return PlanRun(
        target=target,
        statements=plan.result.statements,
        changes=plan.result.changes,
        seconds=time.perf_counter() - started,
    )
