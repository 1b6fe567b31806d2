-- RAISE without a semicolon in a DO block.
-- expect: body-error 4:30
-- server: 42601 syntax error at or near "END"
DO $$ BEGIN RAISE NOTICE 'x' END $$;
