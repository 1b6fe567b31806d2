"""schemactl.lint."""
