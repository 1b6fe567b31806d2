CREATE TABLE author (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE book (
    id integer PRIMARY KEY,
    author_id integer CONSTRAINT book_author_id_fkey REFERENCES author ON DELETE CASCADE,
    title text NOT NULL
);
