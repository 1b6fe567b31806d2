CREATE TABLE memo (
    id integer PRIMARY KEY,
    body text
);
COMMENT ON SCHEMA public IS 'where the application lives';
COMMENT ON TABLE memo IS 'new text, with ''quotes'' and a
second line';
COMMENT ON COLUMN memo.id IS 'added';
