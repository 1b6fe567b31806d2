CREATE FUNCTION add_one(n int) RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
  RETURN n +;
END
$$;
