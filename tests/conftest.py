"""Suite-wide configuration: the schemactl fixtures come from the installed pytest11 plugin."""

import os

# pytester runs the shipped plugin from a separate test file (tests/db/test_fixtures.py)
pytest_plugins = ["pytester"]

# The platform schema is applied as a plain role, not as the superuser, so its tables are
# owned as on Supabase and FORCE ROW LEVEL SECURITY binds their owner (a superuser owner
# bypasses RLS even when forced).
os.environ.setdefault("SCHEMACTL_TEST_OWNER", "schemactl_owner")
