CREATE TABLE with_bom (id int);
