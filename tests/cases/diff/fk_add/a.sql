CREATE TABLE author (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE book (
    id integer PRIMARY KEY,
    author_id integer,
    title text NOT NULL
);
