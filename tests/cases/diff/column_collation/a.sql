CREATE TABLE word (
    id integer PRIMARY KEY,
    spelling text,
    code text COLLATE "C"
);
