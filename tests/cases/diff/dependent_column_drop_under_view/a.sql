CREATE TABLE contact (
    id integer PRIMARY KEY,
    name text NOT NULL,
    fax text
);
CREATE VIEW contact_card AS SELECT id, name, fax FROM contact;
