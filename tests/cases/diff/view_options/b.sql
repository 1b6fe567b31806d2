CREATE TABLE item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    price numeric(10, 2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW item_barrier WITH (security_barrier) AS SELECT id, name FROM item WHERE active;
CREATE VIEW item_invoker WITH (security_invoker = true) AS SELECT id, name FROM item;
CREATE VIEW item_checked AS SELECT id, name, active FROM item WHERE active
    WITH LOCAL CHECK OPTION;
