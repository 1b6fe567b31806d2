CREATE TABLE event (
    id integer PRIMARY KEY,
    created_at timestamptz NOT NULL
);
