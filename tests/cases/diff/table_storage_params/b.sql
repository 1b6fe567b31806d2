CREATE TABLE hot_row (
    id integer PRIMARY KEY,
    counter bigint NOT NULL DEFAULT 0
) WITH (fillfactor = 70, autovacuum_enabled = false);
