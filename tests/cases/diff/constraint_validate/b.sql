CREATE TABLE reading (
    id integer PRIMARY KEY,
    value integer
);
ALTER TABLE reading ADD CONSTRAINT reading_value_check CHECK (value BETWEEN 0 AND 1000) NOT VALID;
ALTER TABLE reading VALIDATE CONSTRAINT reading_value_check;
