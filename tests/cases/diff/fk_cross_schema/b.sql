CREATE SCHEMA ref;
CREATE SCHEMA app;
CREATE TABLE ref.country (
    code char(2) PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE app.address (
    id integer PRIMARY KEY,
    country_code char(2) REFERENCES ref.country ON UPDATE CASCADE
);
