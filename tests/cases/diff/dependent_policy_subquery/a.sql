CREATE TABLE project (
    id integer PRIMARY KEY,
    name text NOT NULL
);
ALTER TABLE project ENABLE ROW LEVEL SECURITY;
