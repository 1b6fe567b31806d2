"""schemactl.db."""
