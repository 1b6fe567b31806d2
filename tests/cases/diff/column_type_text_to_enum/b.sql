CREATE TYPE job_status AS ENUM ('queued', 'running', 'done');
CREATE TABLE job (
    id integer PRIMARY KEY,
    status job_status NOT NULL DEFAULT 'queued'
);
