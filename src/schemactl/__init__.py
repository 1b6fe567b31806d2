"""schemactl: schema-first SQL migration and policy toolkit for PostgreSQL.

The library API mirrors the CLI: ``schemactl order`` is :func:`schemactl.api.order`,
``schemactl apply`` is :func:`schemactl.api.apply`.
"""

__version__ = "0.1.0"
