CREATE TABLE hot_row (
    id integer PRIMARY KEY,
    counter bigint NOT NULL DEFAULT 0
);
