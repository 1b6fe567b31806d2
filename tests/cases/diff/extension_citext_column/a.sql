CREATE TABLE app_user (
    id integer PRIMARY KEY,
    email text NOT NULL UNIQUE
);
