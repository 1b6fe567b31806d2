-- COLLATE and COMPRESSION on columns.
-- expect: ok
CREATE TABLE docs (title text COLLATE "C", body text COMPRESSION pglz, lang varchar(8) COLLATE pg_catalog."default");
