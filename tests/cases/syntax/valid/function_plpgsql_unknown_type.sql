-- An unknown type in a PL/pgSQL DECLARE: CREATE fails with 42704 (a catalog lookup, not the
-- syntax: the type may come from another file), so the syntax is accepted.
-- expect: ok
CREATE FUNCTION uses_later_type() RETURNS void LANGUAGE plpgsql AS $$ DECLARE x type_from_another_file; BEGIN NULL; END $$;
