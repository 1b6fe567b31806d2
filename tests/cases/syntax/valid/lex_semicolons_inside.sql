-- Semicolons inside strings, quoted names, comments and dollar quotes.
-- expect: ok
CREATE TABLE semis (s text DEFAULT 'x;y', e text DEFAULT E'it\'s;', "we;ird" int /* ; */, d text DEFAULT $$;$$);
