CREATE TABLE memo (
    id integer PRIMARY KEY,
    body text
);
COMMENT ON SCHEMA public IS 'standard public schema';
COMMENT ON TABLE memo IS 'old text';
COMMENT ON COLUMN memo.body IS 'to be removed';
