CREATE TABLE slot (
    id integer PRIMARY KEY,
    position integer NOT NULL CONSTRAINT slot_position_key UNIQUE
);
