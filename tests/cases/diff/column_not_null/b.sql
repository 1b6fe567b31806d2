CREATE TABLE contact (
    id integer PRIMARY KEY,
    email text NOT NULL,
    phone text
);
