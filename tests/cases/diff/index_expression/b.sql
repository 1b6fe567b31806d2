CREATE TABLE member (
    id integer PRIMARY KEY,
    email text NOT NULL,
    profile jsonb
);
CREATE UNIQUE INDEX member_lower_email_idx ON member (lower(email));
CREATE INDEX ON member ((profile ->> 'kind'));
