-- CREATE DOMAIN with a named CHECK on VALUE, NOT NULL, DEFAULT, COLLATE.
-- expect: ok
CREATE DOMAIN email AS text COLLATE "C" DEFAULT 'nobody@example.com' NOT NULL CONSTRAINT email_shape CHECK (VALUE ~ '^[^@]+@[^@]+$');
