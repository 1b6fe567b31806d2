-- ADD CONSTRAINT ... CHECK ... NO INHERIT on ONLY the parent.
-- expect: ok
ALTER TABLE ONLY cities ADD CONSTRAINT no_kids CHECK (false) NO INHERIT;
