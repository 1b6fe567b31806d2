"""Regenerate src/schemactl/core/builtins.json: the names PostgreSQL itself provides.

    .venv/bin/python scripts/gen_builtins.py DSN [DSN ...]   # e.g. a PG15 and a PG18 server

``order`` uses the list to tell a built-in name (``now()``, ``uuid``, ``gin``, ``=``) from
one that a file or an extension must create. The union over the servers given is kept,
so the file serves every supported version.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import psycopg

QUERIES = {
    "function": "SELECT DISTINCT proname FROM pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace",
    "type": "SELECT DISTINCT typname FROM pg_type WHERE typnamespace = 'pg_catalog'::regnamespace",
    "relation": "SELECT relname FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace",
    "operator": "SELECT DISTINCT oprname FROM pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace",
    "operator class": "SELECT DISTINCT opcname FROM pg_opclass WHERE opcnamespace = 'pg_catalog'::regnamespace",
    "operator family": "SELECT DISTINCT opfname FROM pg_opfamily WHERE opfnamespace = 'pg_catalog'::regnamespace",
    "collation": "SELECT DISTINCT collname FROM pg_collation WHERE collnamespace = 'pg_catalog'::regnamespace AND collname NOT LIKE '%-x-icu' AND collname NOT LIKE '%.%'",
    "text search": "SELECT cfgname FROM pg_ts_config UNION SELECT dictname FROM pg_ts_dict UNION SELECT prsname FROM pg_ts_parser UNION SELECT tmplname FROM pg_ts_template",
    "language": "SELECT lanname FROM pg_language",
    "access method": "SELECT amname FROM pg_am",
    "conversion": "SELECT conname FROM pg_conversion",
    "role": "SELECT rolname FROM pg_roles WHERE rolname LIKE 'pg\\_%'",
    # "name:required" pairs: CREATE EXTENSION name needs CREATE EXTENSION required first
    "extension requires": "SELECT DISTINCT name || ':' || r FROM pg_available_extension_versions,"
    " unnest(requires) AS r",
}


def main(dsns: list[str]) -> None:
    names: dict[str, set[str]] = {kind: set() for kind in QUERIES}
    versions = []
    for dsn in dsns:
        with psycopg.connect(dsn) as conn:
            versions.append(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
            for kind, query in QUERIES.items():
                names[kind].update(row[0] for row in conn.execute(query))
    out = Path(__file__).resolve().parents[1] / "src/schemactl/core/builtins.json"
    data = {"servers": sorted(versions), **{k: sorted(v) for k, v in names.items()}}
    out.write_text(json.dumps(data, indent=0, sort_keys=False) + "\n")
    print(f"{out}: {sum(len(v) for v in names.values())} names from {', '.join(versions)}")


if __name__ == "__main__":
    main(sys.argv[1:])
