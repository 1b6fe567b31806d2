"""schemactl.core."""
