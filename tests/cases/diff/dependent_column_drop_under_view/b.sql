CREATE TABLE contact (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE VIEW contact_card AS SELECT id, name FROM contact;
