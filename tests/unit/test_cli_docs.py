"""docs/cli.md documents every command and is generated from the code."""

from __future__ import annotations

from pathlib import Path

from schemactl.cli_docs import command_paths, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_every_command_has_a_help_text() -> None:
    from schemactl.cli import main
    from schemactl.cli_docs import _walk

    missing = [" ".join(p) for p, ctx in _walk(main, ["schemactl"], None) if not ctx.command.help]
    assert missing == []


def test_docs_cli_md_is_current() -> None:
    assert DOC.read_text() == render(), "regenerate: python -m schemactl.cli_docs > docs/cli.md"


def test_docs_name_every_command() -> None:
    text = DOC.read_text()
    paths = command_paths()
    assert {"schemactl apply", "schemactl order", "schemactl dev psql", "schemactl lint"} <= set(
        paths
    )
    for path in paths:
        assert f"## `{path}`" in text
