CREATE DOMAIN code AS text
    DEFAULT 'none'
    NOT NULL
    CONSTRAINT code_length CHECK (length(VALUE) <= 8)
    CONSTRAINT code_lower CHECK (VALUE = lower(VALUE));
