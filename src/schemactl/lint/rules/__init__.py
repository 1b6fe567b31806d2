"""schemactl.lint.rules."""
