-- COMMENT ON TABLE, a semicolon in the text.
-- expect: ok
COMMENT ON TABLE accounts IS 'Customer accounts; one per owner.';
