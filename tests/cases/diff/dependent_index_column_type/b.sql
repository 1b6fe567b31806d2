CREATE TABLE code (
    id integer PRIMARY KEY,
    value text NOT NULL
);
CREATE INDEX code_lower_idx ON code (lower(value));
CREATE INDEX code_nonempty_idx ON code (value) WHERE value <> '';
CREATE UNIQUE INDEX code_value_key ON code (value);
