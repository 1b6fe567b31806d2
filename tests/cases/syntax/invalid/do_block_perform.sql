-- A broken expression in a DO block: rejected when the block is compiled (it never runs).
-- expect: body-error 6:14
-- server: 42601 syntax error at end of input
DO $$
BEGIN
  PERFORM 1 +;
END
$$;
