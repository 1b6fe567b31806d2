"""schemactl.rls."""
