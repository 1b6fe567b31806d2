CREATE TABLE profile (
    id integer PRIMARY KEY,
    -- schemactl: renamed from display_name
    full_name text NOT NULL CHECK (full_name <> ''),
    age integer
);
CREATE INDEX profile_full_name_idx ON profile (lower(full_name));
