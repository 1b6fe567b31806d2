"""schemactl.partitions."""
