CREATE TYPE unit AS ENUM ('g', 'kg');
CREATE DOMAIN weight AS numeric(10, 3) CONSTRAINT weight_positive CHECK (VALUE > 0);
CREATE TYPE measure AS (amount weight, unit unit);
CREATE TABLE parcel (
    id integer PRIMARY KEY,
    declared measure,
    unit unit NOT NULL DEFAULT 'kg',
    net weight
);
CREATE FUNCTION in_grams(m measure) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE (m).unit WHEN 'kg' THEN (m).amount * 1000 ELSE (m).amount END $$;
