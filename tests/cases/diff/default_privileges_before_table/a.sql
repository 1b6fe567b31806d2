CREATE SCHEMA app;
CREATE TABLE app.account (id integer PRIMARY KEY);
