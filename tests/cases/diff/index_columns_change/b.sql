CREATE TABLE visit (
    id integer PRIMARY KEY,
    site_id integer NOT NULL,
    day date NOT NULL
);
CREATE INDEX visit_site_idx ON visit (site_id, day DESC);
