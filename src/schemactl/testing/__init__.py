"""schemactl.testing."""
