CREATE TABLE item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    price numeric(10, 2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);

GRANT SELECT, INSERT ON item TO diffcase_reader;
GRANT ALL ON item TO diffcase_writer WITH GRANT OPTION;
