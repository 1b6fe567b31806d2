-- Job queue: an unlogged table with storage options, SKIP LOCKED claiming in SQL, NOTIFY
-- from a trigger, advisory locks, errors with SQLSTATE, grants to a worker role.

DO $$
BEGIN
  CREATE ROLE corpus_job_queue_worker NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA queue;

CREATE TYPE queue.job_state AS ENUM ('queued', 'running', 'failed', 'done');

CREATE UNLOGGED TABLE queue.jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL DEFAULT 'default',
  payload jsonb NOT NULL,
  state queue.job_state NOT NULL DEFAULT 'queued',
  attempts integer NOT NULL DEFAULT 0,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_by text
);

ALTER TABLE queue.jobs SET (autovacuum_vacuum_scale_factor = 0.01, fillfactor = 80);

CREATE INDEX jobs_ready_idx ON queue.jobs (queue, run_at) WHERE state = 'queued';

CREATE FUNCTION queue.claim(worker text, q text DEFAULT 'default') RETURNS SETOF queue.jobs
  LANGUAGE sql
  AS $$
    UPDATE queue.jobs AS j
    SET state = 'running', locked_by = worker, attempts = j.attempts + 1
    WHERE j.id = (
      SELECT n.id FROM queue.jobs AS n
      WHERE n.queue = q AND n.state = 'queued' AND n.run_at <= now()
      ORDER BY n.run_at
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
    RETURNING j.*
  $$;

CREATE FUNCTION queue.notify_new_job() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('queue_' || NEW.queue, NEW.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify AFTER INSERT ON queue.jobs
  FOR EACH ROW EXECUTE FUNCTION queue.notify_new_job();

CREATE FUNCTION queue.fail(job_id bigint, reason text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE queue.jobs SET state = 'failed', payload = payload || jsonb_build_object('error', reason)
  WHERE id = job_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no job %', job_id USING ERRCODE = 'no_data_found';
  END IF;
END
$$;

CREATE FUNCTION queue.try_lock_queue(q text) RETURNS boolean
  LANGUAGE sql VOLATILE
  AS $$ SELECT pg_try_advisory_xact_lock(hashtext(q)) $$;

CREATE VIEW queue.depth AS
  SELECT j.queue, j.state, count(*) AS jobs
  FROM queue.jobs AS j
  GROUP BY j.queue, j.state;

GRANT USAGE ON SCHEMA queue TO corpus_job_queue_worker;

GRANT EXECUTE ON FUNCTION queue.claim(text, text), queue.fail(bigint, text) TO corpus_job_queue_worker;
