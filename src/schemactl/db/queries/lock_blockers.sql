-- What a backend (the pid) waits for (its ungranted lock) and who blocks it: one row per
-- blocking backend, the one longest in its transaction first. Run from a second session
-- while the first one waits: once its wait times out, the lock request is gone.
SELECT w.mode,
       w.locktype,
       CASE WHEN w.relation IS NOT NULL THEN w.relation::regclass::text END AS relation,
       b.pid,
       b.usename,
       b.application_name,
       b.state,
       b.query
FROM pg_locks AS w
CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocker(pid)
JOIN pg_stat_activity AS b ON b.pid = blocker.pid
WHERE w.pid = %(pid)s AND NOT w.granted
ORDER BY b.xact_start NULLS LAST, b.pid
