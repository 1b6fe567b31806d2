-- Sensor units: casts with a function (assignment and explicit) and WITH INOUT, a hash
-- operator family and class, a view that depends on the casts.

CREATE SCHEMA units;

CREATE TYPE units.temperature AS (degrees numeric, scale char(1));

CREATE FUNCTION units.to_celsius(t units.temperature) RETURNS numeric
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT CASE t.scale WHEN 'F' THEN (t.degrees - 32) * 5 / 9 ELSE t.degrees END $$;

CREATE CAST (units.temperature AS numeric)
  WITH FUNCTION units.to_celsius(units.temperature) AS ASSIGNMENT;

CREATE TYPE units.level AS ENUM ('low', 'mid', 'high');

CREATE FUNCTION units.level_rank(l units.level) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT array_position(enum_range(NULL::units.level), l) $$;

CREATE CAST (units.level AS integer) WITH FUNCTION units.level_rank(units.level);

CREATE CAST (units.level AS varchar) WITH INOUT;

CREATE OPERATOR FAMILY units.level_hash_ops USING hash;

CREATE FUNCTION units.level_hash(l units.level) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT hashtext(l::text) $$;

CREATE OPERATOR CLASS units.level_hash_ops FOR TYPE units.level USING hash
  FAMILY units.level_hash_ops AS
  OPERATOR 1 = (anyenum, anyenum),
  FUNCTION 1 units.level_hash(units.level);

CREATE TABLE units.readings (
  id integer PRIMARY KEY,
  temp units.temperature NOT NULL,
  level units.level NOT NULL DEFAULT 'low'
);

CREATE INDEX readings_level_hash_idx ON units.readings USING hash (level units.level_hash_ops);

CREATE VIEW units.readings_celsius AS
  SELECT r.id, r.temp::numeric AS celsius, r.level::integer AS level_rank,
         r.level::varchar AS level_name
  FROM units.readings AS r;

COMMENT ON CAST (units.temperature AS numeric) IS 'Fahrenheit readings are converted.';

COMMENT ON OPERATOR FAMILY units.level_hash_ops USING hash IS 'Hashes levels by label.';
