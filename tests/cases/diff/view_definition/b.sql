CREATE TABLE item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    price numeric(10, 2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW item_label AS SELECT id, name, upper(name) AS shout FROM item WHERE active;
