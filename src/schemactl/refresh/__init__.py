"""schemactl.refresh."""
