-- CREATE INDEX CONCURRENTLY with an operator class (refused in a transaction, accepted by the
-- grammar).
-- expect: ok
CREATE INDEX CONCURRENTLY docs_title_trgm ON docs USING gin (title gin_trgm_ops);
