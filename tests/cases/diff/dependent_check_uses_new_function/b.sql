CREATE FUNCTION is_sku_code(c text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT c ~ '^[A-Z]{3}-[0-9]+$' $$;
CREATE TABLE sku (
    id integer PRIMARY KEY,
    code text NOT NULL CONSTRAINT sku_code_check CHECK (is_sku_code(code))
);
CREATE INDEX sku_code_valid_idx ON sku (code) WHERE is_sku_code(code);
