CREATE EXTENSION citext;
CREATE TABLE app_user (
    id integer PRIMARY KEY,
    email citext NOT NULL UNIQUE
);
