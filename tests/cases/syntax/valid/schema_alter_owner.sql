-- ALTER SCHEMA ... OWNER TO a role specification.
-- expect: ok
ALTER SCHEMA app OWNER TO CURRENT_ROLE;
