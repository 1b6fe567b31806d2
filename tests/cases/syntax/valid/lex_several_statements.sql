-- Several statements in one file, with blank statements and comments between.
-- expect: ok
CREATE TABLE multi_a (id int);
;;
-- comment
CREATE TABLE multi_b (a_id int REFERENCES multi_a (id));
/* trailing */ SELECT 1
