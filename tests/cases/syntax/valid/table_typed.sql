-- A typed table with a table constraint.
-- expect: ok
CREATE TABLE people OF person_type (PRIMARY KEY (id), name WITH OPTIONS NOT NULL);
