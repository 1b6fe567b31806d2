-- Unreserved and column-name keywords as column names.
-- expect: ok
CREATE TABLE settings (name text, type text, value text, comment text, position int, level int, owner text, data text, action text, time time, year int);
