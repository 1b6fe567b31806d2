CREATE TABLE customer (
    id bigint NOT NULL,
    name text
);
