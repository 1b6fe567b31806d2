CREATE TABLE customer (
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text
);
