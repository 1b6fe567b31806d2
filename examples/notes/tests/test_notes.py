"""Each user sees and writes only their own notes (schemactl's pytest plugin)."""

import uuid

from schemactl.testing import assert_denied, assert_visible

ALICE, BOB = uuid.uuid4(), uuid.uuid4()


def seed(conn):
    conn.execute("INSERT INTO auth.users (id) VALUES (%s), (%s)", (ALICE, BOB))
    note = conn.execute(
        "INSERT INTO notes (owner_id, body) VALUES (%s, 'hi') RETURNING id", (ALICE,)
    ).fetchone()[0]
    conn.commit()
    return note


def test_owner_sees_own_note(schemactl_db, as_user):
    note = seed(schemactl_db)
    with as_user(ALICE) as cur:
        assert_visible(cur, "SELECT id FROM notes", {note})
    with as_user(BOB) as cur:
        assert_visible(cur, "SELECT id FROM notes", set())


def test_nobody_writes_for_someone_else(schemactl_db, as_user, as_anon):
    note = seed(schemactl_db)
    with as_user(BOB) as cur:
        assert_denied(cur, "UPDATE notes SET body = 'x' WHERE id = %s", (note,), expect="zero_rows")
        assert_denied(
            cur, "INSERT INTO notes (owner_id, body) VALUES (%s, 'x')", (ALICE,), expect="error"
        )
    with as_anon() as cur:
        assert_denied(cur, "SELECT id FROM notes", expect="error")
