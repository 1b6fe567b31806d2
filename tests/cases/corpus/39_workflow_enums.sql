-- Workflow states: enum values added in known positions (one after a value added by
-- another statement, one with IF NOT EXISTS), a composite of enums, a partial index.

CREATE SCHEMA wf;

CREATE TYPE wf.state AS ENUM ('new', 'done');

ALTER TYPE wf.state ADD VALUE 'in_progress' AFTER 'new';

ALTER TYPE wf.state ADD VALUE 'blocked' AFTER 'in_progress';

ALTER TYPE wf.state ADD VALUE IF NOT EXISTS 'cancelled' AFTER 'done';

CREATE TYPE wf.priority AS ENUM ('low', 'high');

ALTER TYPE wf.priority ADD VALUE 'normal' BEFORE 'high';

CREATE TABLE wf.tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL,
  state wf.state NOT NULL DEFAULT 'new',
  priority wf.priority NOT NULL DEFAULT 'low'
);

CREATE INDEX tasks_open_idx ON wf.tasks (priority) WHERE state <> 'done';

CREATE TYPE wf.transition AS (
  from_state wf.state,
  to_state wf.state,
  at timestamptz
);

CREATE TABLE wf.history (
  task_id bigint NOT NULL REFERENCES wf.tasks (id),
  change wf.transition NOT NULL
);

COMMENT ON TYPE wf.state IS 'Task states, in workflow order.';
