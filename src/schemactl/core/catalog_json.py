"""A :class:`~schemactl.core.catalog.CatalogModel` as deterministic JSON, and back (pure).

``dumps(model)`` gives the same bytes for equal models: keys sorted, every dict written as a
list of ``[key, value]`` pairs sorted by key, every set sorted by its elements' JSON. Every
field is written, those left out of equality too (``Grant.owner_key``,
``Sequence.last_value``), so ``loads(dumps(m))`` is ``m`` field for field.

``fingerprint(model)`` is the sha256 (hex) of the model's canonical JSON with the fields
left out of equality omitted: equal models (``==``) have equal fingerprints, and a
sequence's current value (data, not schema) never changes it. The document carries it,
and :func:`loads` checks it, so a file edited by hand or cut short is refused.

Document layout (``version`` 1)::

    {"fingerprint": "<sha256>", "format": "schemactl-catalog", "model": {...}, "version": 1}
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
import typing
from typing import Any, Union, get_args, get_origin, get_type_hints

from schemactl.core import catalog
from schemactl.core.catalog import CatalogModel
from schemactl.errors import SchemactlError

__all__ = ["FORMAT", "VERSION", "CatalogFileError", "dumps", "fingerprint", "loads"]

FORMAT = "schemactl-catalog"
VERSION = 1


class CatalogFileError(SchemactlError):
    """A snapshot file is not a catalog document schemactl can read (exit 2)."""


def _encode(value: Any, *, compared_only: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _encode(getattr(value, f.name), compared_only=compared_only)
            for f in dataclasses.fields(value)
            if f.compare or not compared_only
        }
    if isinstance(value, dict):
        return [
            [_encode(k, compared_only=compared_only), _encode(v, compared_only=compared_only)]
            for k, v in sorted(value.items(), key=lambda item: item[0])
        ]
    if isinstance(value, (frozenset, set)):
        items = [_encode(v, compared_only=compared_only) for v in value]
        return sorted(items, key=_canonical)
    if isinstance(value, tuple):
        return [_encode(v, compared_only=compared_only) for v in value]
    return value


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _body(model: CatalogModel, *, compared_only: bool) -> Any:
    return _encode(model, compared_only=compared_only)


def fingerprint(model: CatalogModel) -> str:
    """sha256 hex of ``model``'s canonical JSON (fields compared by ``==`` only)."""
    return hashlib.sha256(_canonical(_body(model, compared_only=True)).encode()).hexdigest()


def dumps(model: CatalogModel) -> str:
    """``model`` as a deterministic JSON document (same model, same text), ending in a newline."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "fingerprint": fingerprint(model),
        "model": _body(model, compared_only=False),
    }
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


class _Bad(Exception):
    """Where in the document a value does not fit its field (a path like model.tables[3])."""


@functools.cache
def _hints(tp: type) -> dict[str, Any]:
    return get_type_hints(tp, vars(catalog))


def _decode(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, dict):
            raise _Bad(f"{where}: expected an object")
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        unknown = sorted(set(value) - names)
        if unknown:
            raise _Bad(f"{where}: unknown field {unknown[0]!r}")
        missing = sorted(names - set(value))
        if missing:
            raise _Bad(f"{where}: missing field {missing[0]!r}")
        return tp(**{n: _decode(hints[n], value[n], f"{where}.{n}") for n in names})
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(inner, value, where)
    if origin in (tuple, dict, frozenset) and not isinstance(value, list):
        raise _Bad(f"{where}: expected a list")
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise _Bad(f"{where}: expected {len(args)} items, found {len(value)}")
        return tuple(
            _decode(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
    if origin is frozenset:
        (inner,) = get_args(tp)
        return frozenset(_decode(inner, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        key_type, value_type = get_args(tp)
        out = {}
        for i, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise _Bad(f"{where}[{i}]: expected a [key, value] pair")
            out[_decode(key_type, pair[0], f"{where}[{i}]")] = _decode(
                value_type, pair[1], f"{where}[{i}]"
            )
        return out
    if tp is bool:
        if not isinstance(value, bool):
            raise _Bad(f"{where}: expected true or false")
        return value
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad(f"{where}: expected an integer")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _Bad(f"{where}: expected a string")
        return value
    raise _Bad(f"{where}: no reader for {tp!r}")  # pragma: no cover - a new field type


def loads(text: str, *, source: str = "catalog file") -> CatalogModel:
    """The model :func:`dumps` wrote; :class:`CatalogFileError` (exit 2) for anything else.

    ``source`` names the file in the one-line error. A document of another format or
    version, a field that does not fit, or a fingerprint that does not match the content
    is refused.
    """
    hint = "write it again with `schemactl snapshot -o FILE`"
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise CatalogFileError(f"{source}: not JSON ({exc})", hint=hint) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogFileError(f"{source}: not a schemactl catalog snapshot", hint=hint)
    version = document.get("version")
    if version != VERSION:
        raise CatalogFileError(
            f"{source}: catalog snapshot version {version!r}, this schemactl reads {VERSION}",
            hint=hint + " with this version of schemactl",
        )
    try:
        model = typing.cast(CatalogModel, _decode(CatalogModel, document.get("model"), "model"))
    except _Bad as exc:
        raise CatalogFileError(f"{source}: corrupted catalog snapshot: {exc}", hint=hint) from None
    except (TypeError, ValueError) as exc:
        raise CatalogFileError(f"{source}: corrupted catalog snapshot: {exc}", hint=hint) from None
    expected = document.get("fingerprint")
    if expected != fingerprint(model):
        raise CatalogFileError(
            f"{source}: corrupted catalog snapshot: its content does not match its fingerprint",
            hint=hint,
        )
    return model
