"""Reading policy expressions: auth calls, filtered columns, literal true, secret names."""

from __future__ import annotations

import pytest

from schemactl.lint.expr import filtered_columns, is_literally_true, unwrapped_auth_calls
from schemactl.lint.rules.sec005_secret_column_readable import is_secret_column
from schemactl.lint.rules.sec006_token_column_readable import is_token_column


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(user_id = ( SELECT auth.uid() AS uid))", []),
        ("(user_id = auth.uid())", ["auth.uid()"]),
        ("((auth.jwt() ->> 'role'::text) = 'admin'::text)", ["auth.jwt()"]),
        ("(( SELECT (auth.jwt() ->> 'role'::text)) = 'admin'::text)", []),
        ("(auth.role() = 'authenticated'::text)", ["auth.role()"]),
        # inside a sub-select that reads a table: still once per row of that table
        (
            "(project_id IN ( SELECT pm.project_id FROM project_members pm "
            "WHERE (pm.user_id = auth.uid())))",
            ["auth.uid()"],
        ),
        ("(project_id IN ( SELECT private.readable_project_ids() AS ids))", []),
        (None, []),
    ],
)
def test_unwrapped_auth_calls(text: str | None, expected: list[str]) -> None:
    assert unwrapped_auth_calls(text) == expected


def test_filtered_columns_reads_tenant_keys_not_constants() -> None:
    text = (
        "((company_id IN ( SELECT private.company_ids_with_role(ARRAY['owner'::text]) AS c)) "
        "AND (role <> 'owner'::text) AND (status = 'active'::text) "
        "AND (user_id = ( SELECT auth.uid() AS uid)))"
    )
    assert filtered_columns(text, "company_members") == {"company_id", "user_id"}


def test_filtered_columns_qualified_outer_column_inside_exists() -> None:
    text = (
        "(EXISTS ( SELECT 1 FROM project_members pm WHERE ((pm.project_id = "
        "transfers.project_id) AND (pm.user_id = ( SELECT auth.uid() AS uid)))))"
    )
    # pm.user_id belongs to project_members, not to transfers
    assert filtered_columns(text, "transfers") == {"project_id"}


def test_filtered_columns_any_and_constant_lists() -> None:
    assert filtered_columns("(project_id = ANY (private.ids()))", "t") == {"project_id"}
    assert filtered_columns("(status = ANY (ARRAY['a'::text, 'b'::text]))", "t") == set()
    assert filtered_columns("(kind IN ('a'::text, 'b'::text))", "t") == set()


@pytest.mark.parametrize("text", ["true", "(true)", " TRUE ", "((true))"])
def test_literally_true(text: str) -> None:
    assert is_literally_true(text)


@pytest.mark.parametrize("text", [None, "false", "(id = 1)", "(true AND (id = 1))"])
def test_not_literally_true(text: str | None) -> None:
    assert not is_literally_true(text)


@pytest.mark.parametrize(
    "name",
    ["key_hash", "api_key_hash", "password_hash", "credentials_encrypted", "client_secret",
     "private_key", "token_hash"],
)  # fmt: skip
def test_secret_names(name: str) -> None:
    assert is_secret_column(name)
    assert not is_token_column(name)  # SEC005 owns it; SEC006 must not report it twice


@pytest.mark.parametrize("name", ["file_hash", "chunk_hash", "id", "name", "max_tokens"])
def test_not_secret_nor_token(name: str) -> None:
    assert not is_secret_column(name)
    assert not is_token_column(name)


@pytest.mark.parametrize("name", ["share_token", "invite_token", "hash"])
def test_token_names(name: str) -> None:
    assert is_token_column(name)
    assert not is_secret_column(name)


def test_filtered_columns_array_of_sub_select_is_not_constant() -> None:
    text = (
        "(project_id = ANY (ARRAY( SELECT private.readable_project_ids() AS readable_project_ids)))"
    )
    assert filtered_columns(text, "agents") == {"project_id"}
