-- Files recorded by earlier runs: path relative to the SQL dir, and its sha256.
SELECT path, sha256
FROM schemactl.applied_files
ORDER BY path
