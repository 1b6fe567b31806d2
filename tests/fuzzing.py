"""Strategies and checks of the fuzz tests: mutated SQL bytes, hostile config values.

``tests/unit/test_fuzz_inputs.py`` runs the commands that need no server on what these
strategies draw, ``tests/cli/test_fuzz_apply.py`` runs ``apply`` (dry run and real) on a
smaller sample. Every run must end with a documented exit code and, on failure, one line on
stderr (plus at most a ``detail`` and a ``hint`` line), never a traceback.
"""

from __future__ import annotations

import datetime
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import Result
from hypothesis import strategies as st

from schemactl.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_REFUSED

DOCUMENTED_EXIT_CODES = frozenset({EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_REFUSED})
CONTINUATION = ("  detail: ", "  hint: ")


def examples(default: int) -> int:
    """``$SCHEMACTL_FUZZ_EXAMPLES`` scaled to this test's share (CI default: ``default``)."""
    wanted = os.environ.get("SCHEMACTL_FUZZ_EXAMPLES", "").strip()
    if not wanted:
        return default
    # the server-backed tests run a fifth of the examples the server-free ones do
    return max(1, int(wanted) * default // 200)


# A small valid schema touching what the parser and the refusals look at: quoting, dollar
# quotes, PL/pgSQL and SQL bodies, DO blocks, policies, comments with non-ASCII text.
BASE_SCHEMA: dict[str, str] = {
    "types/status.sql": "CREATE TYPE status AS ENUM ('open', 'closed');\n",
    "tables/accounts.sql": (
        "-- accounts: one row per customer (ça marche)\n"
        "CREATE TABLE accounts (\n"
        "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        "  name text NOT NULL CHECK (name <> ''),\n"
        "  state status NOT NULL DEFAULT 'open',\n"
        '  "Quoted Col" int\n'
        ");\n"
        "COMMENT ON TABLE accounts IS 'it''s the \"accounts\" table; $$ inside';\n"
        "CREATE INDEX accounts_name_idx ON accounts (lower(name));\n"
    ),
    "functions/touch.sql": (
        "CREATE FUNCTION touch(n int) RETURNS int\n"
        "LANGUAGE plpgsql AS $body$\n"
        "DECLARE x int := n;\n"
        "BEGIN\n"
        "  IF x > 0 THEN RETURN x + 1; END IF;\n"
        "  RAISE NOTICE 'négatif: %', x;\n"
        "  RETURN 0;\n"
        "END\n"
        "$body$;\n"
        "CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
    ),
    "policies/accounts.sql": (
        "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n"
        "CREATE POLICY accounts_read ON accounts FOR SELECT\n"
        "  USING (state = 'open' AND touch(length(name)) > 0);\n"
    ),
    "views/open_accounts.sql": (
        "CREATE VIEW open_accounts AS\n"
        "  SELECT id, name FROM accounts WHERE state = 'open' /* block */ ;\n"
        "DO $$ BEGIN PERFORM one(); END $$;\n"
        "INSERT INTO accounts (name) VALUES (E'tab\\there'), (U&'d\\0061t\\+000061');\n"
    ),
}

# Byte strings that tend to reach corners: quotes, dollar quotes, NUL, bytes that are not
# UTF-8 or start a multi-byte sequence, a BOM, comment markers, psql meta-commands, line
# ends of every kind, statements apply refuses, deep nesting.
INJECTIONS: tuple[bytes, ...] = (
    b"'", b'"', b"$$", b"$x$", b"$1abc", b"\x00", b"\xff", b"\xc3", b"\xe2\x82",
    b"\xef\xbb\xbf", b"\xed\xa0\x80", b"/*", b"*/", b"--", b";", b"(", b")", b",", b"\\",
    b"\\i other.sql\n", b"\\.\n", b"\r", b"\r\n", b"\n", b"\xe2\x80\xa8", b"\x0b", b"\x0c",
    b"E'\\", b"U&'\\", b"BEGIN;", b"COMMIT;\n", b"SET ROLE nobody;", b"SET search_path = x;",
    b"COPY accounts FROM stdin;\n1\tx\n\\.\n", b"VACUUM;", b"::", b"%s", b"{", b"\t",
    b"(" * 300, b"ARRAY[" * 50, b"a" * 70, "é".encode() * 40, b"-- noqa: RLS001\n",
)  # fmt: skip

_POSITION = st.integers(min_value=0, max_value=1 << 20)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), _POSITION, st.integers(0, 7)),
    st.tuples(st.just("insert"), _POSITION, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("inject"), _POSITION, st.sampled_from(INJECTIONS)),
    st.tuples(st.just("delete"), _POSITION, st.integers(1, 64)),
    st.tuples(st.just("duplicate"), _POSITION, st.integers(1, 64)),
    st.tuples(st.just("truncate"), _POSITION),
)


def mutate(data: bytes, mutation: tuple[Any, ...]) -> bytes:
    """``data`` with one mutation applied (positions wrap around the data's length)."""
    kind, position = mutation[0], mutation[1] % (len(data) + 1)
    if kind == "flip":
        if not data:
            return data
        position %= len(data)
        return data[:position] + bytes([data[position] ^ (1 << mutation[2])]) + data[position + 1 :]
    if kind in ("insert", "inject"):
        return data[:position] + bytes(mutation[2]) + data[position:]
    if kind == "delete":
        return data[:position] + data[position + mutation[2] :]
    if kind == "duplicate":
        return (
            data[:position]
            + data[position : position + mutation[2]] * 2
            + data[position + mutation[2] :]
        )
    if kind == "truncate":
        return data[:position]
    raise AssertionError(kind)


# odd but legal file names (no "/" and no NUL, which no file system takes)
ODD_NAMES = ("a\nb.sql", "é.sql", " space .sql", "-dash.sql", ".hidden.sql", "x\tz.sql", "a\\b.sql")


@dataclass(frozen=True)
class MutatedSchema:
    """What hypothesis drew: which file, which mutations, maybe a new name for it."""

    target: int
    mutations: tuple[tuple[Any, ...], ...]
    rename: str | None

    def files(self) -> dict[str, bytes]:
        names = sorted(BASE_SCHEMA)
        chosen = names[self.target % len(names)]
        files = {name: BASE_SCHEMA[name].encode() for name in names}
        data = files.pop(chosen)
        for mutation in self.mutations:
            data = mutate(data, mutation)
        if self.rename is not None:
            chosen = str(Path(chosen).parent / self.rename)
        files[chosen] = data
        return files

    def write(self, sql_dir: Path) -> None:
        for rel, data in self.files().items():
            path = sql_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


MUTATED_SCHEMAS = st.builds(
    MutatedSchema,
    target=st.integers(0, len(BASE_SCHEMA) - 1),
    mutations=st.lists(MUTATION, min_size=1, max_size=4).map(tuple),
    rename=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(ODD_NAMES)),
)


# ------------------------------------------------------------------------- config

SETTINGS = (
    "sql_dir", "database_url", "lock_timeout", "lock_wait", "lock_retries", "statement_timeout",
    "auth_shim", "strict",
    "owner", "embedded_dir", "schemas",
)  # fmt: skip
# what a hostile value can be: every TOML type, empty and huge, odd unicode
_TEXT = st.text(max_size=30)
_SCALARS = st.one_of(
    _TEXT,
    st.sampled_from(["", " ", "auto", "always", "never", "5s", "0", "-1", "1e99", "true", "∞"]),
    st.integers(min_value=-(1 << 70), max_value=1 << 70),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(max_value=datetime.datetime(9999, 1, 1)),
    st.dates(),
)
TOML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3),
    ),
    max_leaves=5,
)
# keys: the real ones, their dashed spelling, near misses and anything
TOML_KEYS = st.one_of(
    st.sampled_from(SETTINGS),
    st.sampled_from([k.replace("_", "-") for k in SETTINGS]),
    st.sampled_from(["sql_dri", "databaseurl", "Strict", "tool", "schemactl", "partitions"]),
    st.sampled_from(["refresh"]),
    st.text(min_size=1, max_size=12),
)
# the tables of tables: [partitions.<table>] and [refresh.<view>], names odd and plain
PARTITION_KEYS = ("interval", "premake", "retention", "default_partition")
TABLE_NAMES = st.one_of(
    st.sampled_from(["agent_telemetry", "public.t", "a.b.c", "", " ", '"x"', "é", "T", "t;--"]),
    st.text(min_size=0, max_size=10),
)
SCHEDULES = st.sampled_from(
    ["10s", "0s", "-5m", "7m", "1h", "*/5 * * * *", "0 0 0 * * *", "every day", "61 * * * *",
     "1e99s", "99999999999999999999s", "5 m", "*/0 * * * *", "1-2/3 * * * *"]
)  # fmt: skip
PARTITION_VALUES = st.one_of(
    st.sampled_from(["day", "week", "month", "quarter", "13 months", "0 days", "-1 year",
                     "1 fortnight", "999999999999 years", 3, 0, -1, 1001, True]),
    TOML_VALUES,
)  # fmt: skip
PARTITION_TABLES = st.dictionaries(
    TABLE_NAMES,
    st.dictionaries(
        st.one_of(st.sampled_from(PARTITION_KEYS), st.sampled_from(["premak", "every"])),
        PARTITION_VALUES,
        max_size=4,
    ),
    max_size=2,
)
REFRESH_TABLES = st.dictionaries(
    TABLE_NAMES,
    st.dictionaries(
        st.sampled_from(["every", "evry", "interval"]),
        st.one_of(SCHEDULES, SCHEDULES, TOML_VALUES),
        max_size=2,
    ),
    max_size=2,
)


def toml_value(value: Any) -> str:
    """``value`` as a TOML value (inline tables and arrays included)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise AssertionError(type(value))


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def safe_path(value: Any) -> bool:
    """A path setting the fuzz may use: never outside the project (no walking /)."""
    if not isinstance(value, str):
        return True
    parts = Path(value).parts
    return not (value.startswith(("/", "~")) or ".." in parts or "\x00" in value)


@st.composite
def config_files(draw: st.DrawFn) -> dict[str, bytes]:
    """schemactl.toml and/or pyproject.toml with hostile settings, sometimes with mutated bytes."""
    settings = draw(st.dictionaries(TOML_KEYS, TOML_VALUES, max_size=5))
    settings = {k: v for k, v in settings.items() if not (k.endswith("dir") and not safe_path(v))}
    body = "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in settings.items())
    # [partitions.<table>] / [refresh.<view>] tables after the plain settings
    tables = [
        ("partitions", draw(PARTITION_TABLES)),
        ("refresh", draw(REFRESH_TABLES)),
    ]
    where = draw(st.sampled_from(["schemactl.toml", "pyproject.toml", "both"]))
    files: dict[str, bytes] = {}
    if where in ("schemactl.toml", "both"):
        files["schemactl.toml"] = (body + _table_sections((), tables)).encode()
    if where in ("pyproject.toml", "both"):
        header = draw(
            st.sampled_from(["[tool.schemactl]\n", "[tool]\nschemactl = 1\n", "[tool]\n"])
        )
        sections = _table_sections(("tool", "schemactl"), tables)
        files["pyproject.toml"] = (header + body + sections).encode()
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(files)))
        for mutation in draw(st.lists(MUTATION, min_size=1, max_size=3)):
            files[name] = mutate(files[name], mutation)
    return files


def _table_sections(
    prefix: tuple[str, ...], tables: list[tuple[str, dict[str, dict[str, Any]]]]
) -> str:
    """``[prefix.kind.name]`` sections with their keys, names quoted as TOML strings."""
    out = []
    for kind, entries in tables:
        for name, keys in entries.items():
            dotted = ".".join([*prefix, kind, toml_string(name)])
            out.append(f"[{dotted}]\n")
            out.extend(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in keys.items())
    return "".join(out)


# environment values: no NUL (the OS refuses it), no lone surrogates (not encodable)
ENV_VALUES = st.one_of(
    st.text(
        alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]),
        max_size=20,
    ),
    st.sampled_from(["", "maybe", "1", "0", "auto", "sometimes", "99999999999999999999s"]),
)
ENV = st.dictionaries(
    st.sampled_from(
        [
            f"SCHEMACTL_{k.upper()}"
            for k in SETTINGS
            if k not in ("database_url", "sql_dir", "embedded_dir")
        ]
    ),
    ENV_VALUES,
    max_size=3,
)


# --------------------------------------------------------------------------- checks


def check_result(result: Result, allowed: frozenset[int] = DOCUMENTED_EXIT_CODES) -> None:
    """A documented exit code; on failure one line on stderr (+ detail, hint); no traceback."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}") from result.exception
    assert result.exit_code in allowed, f"exit {result.exit_code}: {output}"
    if result.exit_code in (EXIT_OK, EXIT_FINDINGS):
        return
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith("schemactl: "), result.stderr
    kinds = [next((k for k in CONTINUATION if line.startswith(k)), None) for line in lines[1:]]
    assert None not in kinds, f"more than one message line: {lines!r}"
    assert kinds in ([], [CONTINUATION[0]], [CONTINUATION[1]], list(CONTINUATION)), lines


def write_files(root: Path, files: Mapping[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
