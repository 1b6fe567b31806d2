CREATE TABLE t (id int);
DO $$
BEGIN
  RAISE EXCEPTION E'first line\nsecond line';
END
$$;
