CREATE TABLE account (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE
);
CREATE INDEX account_email_lower_idx ON account (lower(email));
CREATE TABLE login (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id integer NOT NULL REFERENCES account (id)
);
COMMENT ON TABLE account IS 'who signs in';
