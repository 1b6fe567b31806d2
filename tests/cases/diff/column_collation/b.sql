CREATE TABLE word (
    id integer PRIMARY KEY,
    spelling text COLLATE "C",
    code text COLLATE "POSIX"
);
