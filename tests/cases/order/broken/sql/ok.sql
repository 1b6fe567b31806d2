CREATE TABLE ok (id int);
