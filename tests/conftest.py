"""Suite-wide configuration: the schemactl fixtures come from the installed pytest11 plugin."""

# pytester runs the shipped plugin from a separate test file (tests/db/test_fixtures.py)
pytest_plugins = ["pytester"]
