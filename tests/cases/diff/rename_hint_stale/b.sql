-- schemactl: renamed from account
CREATE TABLE customer (
    id integer PRIMARY KEY,
    -- schemactl: renamed from mail
    email text,
    phone text
);
