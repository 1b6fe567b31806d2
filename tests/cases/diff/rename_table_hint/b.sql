-- schemactl: renamed from account
CREATE TABLE customer (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE
);
CREATE INDEX customer_email_lower_idx ON customer (lower(email));
CREATE TABLE login (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id integer NOT NULL REFERENCES customer (id)
);
COMMENT ON TABLE customer IS 'who signs in';
