-- UNIQUE NULLS NOT DISTINCT as column and table constraint (PostgreSQL 15).
-- expect: ok
CREATE TABLE contacts (email text UNIQUE NULLS NOT DISTINCT, a int, b int, UNIQUE NULLS NOT DISTINCT (a, b));
