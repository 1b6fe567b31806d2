-- An identifier over 63 bytes: the server truncates it with a NOTICE, the grammar accepts it.
-- expect: ok
CREATE TABLE this_table_name_is_much_longer_than_sixty_three_bytes_which_postgres_truncates (id int);
