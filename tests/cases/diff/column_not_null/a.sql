CREATE TABLE contact (
    id integer PRIMARY KEY,
    email text,
    phone text NOT NULL
);
