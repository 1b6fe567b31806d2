-- LIKE with INCLUDING and EXCLUDING options.
-- expect: ok
CREATE TABLE accounts_archive (LIKE accounts INCLUDING ALL EXCLUDING COMMENTS, archived_at timestamptz);
