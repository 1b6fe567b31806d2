CREATE TABLE profile (
    id integer PRIMARY KEY,
    display_name text NOT NULL CHECK (display_name <> ''),  -- schemactl: renamed from full_name
    age integer
);
CREATE INDEX profile_full_name_idx ON profile (lower(display_name));
