-- A typo the grammar accepts: ADD CONSTRANT c CHECK (...) adds a column named constrant of type c
-- with a CHECK (the server then says type "c" does not exist).
-- expect: ok
ALTER TABLE t ADD CONSTRANT c CHECK (a > 0);
