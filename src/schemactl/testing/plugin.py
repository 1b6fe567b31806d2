"""pytest plugin of schemactl (registered through the ``pytest11`` entry point)."""
