CREATE TABLE notes (id int, owner_id int);
