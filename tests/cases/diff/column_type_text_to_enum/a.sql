CREATE TABLE job (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'queued'
);
