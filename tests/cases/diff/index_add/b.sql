CREATE TABLE event (
    id integer PRIMARY KEY,
    created_at timestamptz NOT NULL
);
CREATE INDEX event_created_at_idx ON event (created_at DESC NULLS LAST);
