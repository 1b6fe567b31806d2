-- CREATE EXTENSION with every option.
-- expect: ok
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions VERSION '1.3' CASCADE;
