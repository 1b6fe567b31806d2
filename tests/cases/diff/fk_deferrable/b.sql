CREATE TABLE node (
    id integer PRIMARY KEY,
    parent_id integer CONSTRAINT node_parent_fk REFERENCES node DEFERRABLE INITIALLY DEFERRED
);
