"""Small things a new user hit (issue 9), each pinned by a test."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from schemactl import api
from schemactl.config import DEFAULT_LOCK_TIMEOUT, Settings
from schemactl.db import apply, connect
from schemactl.db.connect import mask_dsn, without_empty_password
from schemactl.diff import apply_diff

SRC = Path(__file__).resolve().parents[2] / "src" / "schemactl"


def test_a_url_without_password_prints_without_a_colon() -> None:
    embedded = "postgresql://postgres:@/postgres?host=/tmp/pg&port=5433"
    assert mask_dsn(embedded) == "postgresql://postgres@/postgres?host=/tmp/pg&port=5433"
    assert without_empty_password(embedded) == mask_dsn(embedded)
    assert mask_dsn("postgresql://app:secret@db/x") == "postgresql://app:***@db/x"
    assert without_empty_password("postgresql://app:secret@db/x") == "postgresql://app:secret@db/x"
    assert mask_dsn("postgresql://app@db/x") == "postgresql://app@db/x"


def test_the_lock_timeout_default_is_written_once() -> None:
    assert Settings().lock_timeout == DEFAULT_LOCK_TIMEOUT
    for function in (connect.connect, apply.apply_plan, apply_diff):
        default = inspect.signature(function).parameters["lock_timeout"].default
        assert default is DEFAULT_LOCK_TIMEOUT, function
    spelled = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?i)lock_timeout.*(=\s*[\"']5s[\"']|default 5s)", line)
    ]
    assert spelled == ["config.py:" + str(_line_of_default())], spelled


def _line_of_default() -> int:
    lines = (SRC / "config.py").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("DEFAULT_LOCK_TIMEOUT ="))


def test_order_knows_what_the_auth_layer_provides() -> None:
    plan = api.order(Path(__file__).resolve().parents[2] / "sql", strict=True)
    assert plan.unresolved == ()


README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_counts_tables_as_apply_does() -> None:
    """README's 20 tables are apply's 22 with the two partitions: it says so."""
    plan = api.order(Path(__file__).resolve().parents[2] / "sql")
    tables = [st for st in plan.statements if st.kind == "CREATE TABLE"]
    partitions = [st for st in tables if st.file.relpath.startswith("partitions/")]
    assert (len(tables), len(partitions)) == (22, 2)
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "20 tables, plus the two monthly partitions of `agent_telemetry`" in text
    assert '"tables (22)"' in text


def test_readme_says_dot_is_graphviz_and_how_to_see_the_full_sql() -> None:
    text = README.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "dot -Tsvg" in line)
    assert "Graphviz" in line
    assert "schemactl apply sql --dry-run --database-url" in text
    assert "What `--dry-run` cannot catch" in text
