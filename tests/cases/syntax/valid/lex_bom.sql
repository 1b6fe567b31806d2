CREATE TABLE bom_file (id int);
-- A file that starts with a UTF-8 byte order mark.
-- expect: ok
