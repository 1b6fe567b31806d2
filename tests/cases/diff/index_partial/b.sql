CREATE TABLE member (
    id integer PRIMARY KEY,
    email text NOT NULL,
    deleted_at timestamptz
);
CREATE INDEX member_email_idx ON member (email) WHERE deleted_at IS NULL;
