-- Who holds the transaction-level advisory lock of apply (the key) in this database.
-- A bigint key is stored as classid (high 32 bits), objid (low 32 bits), objsubid 1.
SELECT a.pid,
       a.usename,
       a.application_name,
       a.state,
       a.query
FROM pg_locks AS l
JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = %(key)s::bigint >> 32
  AND l.objid::bigint = %(key)s::bigint & 4294967295
  AND l.objsubid = 1
ORDER BY a.xact_start NULLS LAST, a.pid
