CREATE TABLE doc (
    id integer PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    tenant_id integer NOT NULL,
    body text
);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
