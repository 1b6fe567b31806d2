"""core.catalog_json: deterministic bytes, exact round trip, one-line refusals (no server)."""

from __future__ import annotations

import json

import pytest

from schemactl.core.catalog import (
    CatalogModel,
    Column,
    Comment,
    Constraint,
    DefaultPrivilege,
    Domain,
    DomainCheck,
    EnumType,
    Extension,
    Grant,
    Ownership,
    Policy,
    Schema,
    Sequence,
    Table,
)
from schemactl.core.catalog_json import CatalogFileError, dumps, fingerprint, loads
from schemactl.errors import EXIT_INPUT


def sample() -> CatalogModel:
    return CatalogModel(
        schemas={"public": Schema("public"), "app": Schema("app")},
        extensions={
            "pgcrypto": Extension("pgcrypto", "public", "1.3", ("1.3",)),
            "x": Extension("x", "public", "1", None),
        },
        enums={("app", "mood"): EnumType("app", "mood", ("sad", "ok", "happy"))},
        domains={
            ("app", "pos"): Domain(
                "app",
                "pos",
                "integer",
                "1",
                True,
                None,
                (DomainCheck("c", "CHECK ((VALUE > 0))", False),),
            )
        },
        sequences={
            ("app", "s"): Sequence(
                "app", "s", owned_by=("app", "t", "id"), maximum=9223372036854775807, last_value=41
            )
        },
        tables={
            ("app", "t"): Table(
                "app",
                "t",
                (
                    Column("id", "bigint", True, identity="a"),
                    Column('é "q"', "text", collation='"C"'),
                ),
                parent=("app", "p"),
                options=("fillfactor=70",),
            )
        },
        constraints={
            ("app", "t", "t_pkey"): Constraint("app", "t", "t_pkey", "p", "PRIMARY KEY (id)")
        },
        policies={("app", "t", "p"): Policy("app", "t", "p", roles=("a", "b"), using="true")},
        grants=frozenset(
            {
                Grant("TABLE", "app.t", None, "PUBLIC", "SELECT", False, "rel app.t"),
                Grant("TABLE", "app.t", "id", "x", "UPDATE", True, "rel app.t"),
            }
        ),
        default_privileges=frozenset(
            {DefaultPrivilege(None, "app", "TABLES", "x", "SELECT", False, True)}
        ),
        comments={"TABLE app.t": Comment("TABLE app.t", "line\nbreak", "rel app.t")},
        owners={"rel app.t": Ownership("TABLE app.t", "owner")},
        unsupported=frozenset({("rule r on app.t", "CREATE RULE ..."), ("base type x", "")}),
    )


def fields_of(model: CatalogModel) -> dict[str, object]:
    """Every field, the ones ``==`` ignores too."""
    return {
        "seq": [(s, s.last_value) for s in model.sequences.values()],
        "grants": sorted((repr(g), g.owner_key) for g in model.grants),
        "comments": [(c, c.owner_key) for c in model.comments.values()],
    }


def test_round_trip_is_exact() -> None:
    model = sample()
    again = loads(dumps(model))
    assert again == model
    assert fields_of(again) == fields_of(model)
    assert isinstance(again.tables[("app", "t")].columns, tuple)
    assert isinstance(next(iter(again.constraints)), tuple)
    assert dumps(again) == dumps(model)


def test_same_model_same_bytes_whatever_the_insertion_order() -> None:
    model = sample()
    reordered = CatalogModel(
        **{
            **model.__dict__,
            "schemas": dict(reversed(model.schemas.items())),
            "extensions": dict(reversed(model.extensions.items())),
        }
    )
    assert dumps(reordered) == dumps(model)
    assert fingerprint(reordered) == fingerprint(model)


def test_fingerprint_follows_equality() -> None:
    model = sample()
    # a sequence's current value is data: not part of the fingerprint
    seq = model.sequences[("app", "s")]
    moved = CatalogModel(
        **{
            **model.__dict__,
            "sequences": {("app", "s"): Sequence(**{**seq.__dict__, "last_value": 99})},
        }
    )
    assert fingerprint(moved) == fingerprint(model)
    assert dumps(moved) != dumps(model)
    other = CatalogModel(**{**model.__dict__, "schemas": {"public": Schema("public")}})
    assert fingerprint(other) != fingerprint(model)
    assert json.loads(dumps(model))["fingerprint"] == fingerprint(model)
    assert len(fingerprint(model)) == 64


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: "{not json", "not JSON"),
        (lambda d: json.dumps({**d, "format": "other"}), "not a schemactl catalog snapshot"),
        (lambda d: json.dumps({**d, "version": 99}), "version 99, this schemactl reads 1"),
        (lambda d: json.dumps({**d, "model": {**d["model"], "extra": []}}), "unknown field"),
        (
            lambda d: json.dumps(
                {**d, "model": {k: v for k, v in d["model"].items() if k != "tables"}}
            ),
            "missing field 'tables'",
        ),
        (
            lambda d: json.dumps({**d, "model": {**d["model"], "schemas": [["a"]]}}),
            "[key, value] pair",
        ),
        (
            lambda d: json.dumps({**d, "model": {**d["model"], "schemas": [["a", {"name": 1}]]}}),
            "model.schemas[0].name: expected a string",
        ),
        (lambda d: json.dumps({**d, "fingerprint": "0" * 64}), "does not match its fingerprint"),
        (lambda d: json.dumps(d)[:-40], "not JSON"),
    ],
)
def test_corrupted_or_foreign_files_are_one_line_input_errors(edit, expected) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(dumps(sample()))
    with pytest.raises(CatalogFileError) as info:
        loads(edit(document), source="schema.json")
    error = info.value
    assert error.exit_code == EXIT_INPUT
    assert expected in error.message
    assert error.message.startswith("schema.json: ")
    assert "\n" not in error.format().splitlines()[0]
    assert "schemactl snapshot" in (error.hint or "")
