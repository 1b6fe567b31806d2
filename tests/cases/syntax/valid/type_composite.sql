-- A composite type.
-- expect: ok
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
