CREATE TABLE item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    price numeric(10, 2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW item_public AS SELECT id, name, email FROM item;
GRANT SELECT ON item_public TO diffcase_reader;
COMMENT ON VIEW item_public IS 'what anyone may read';
