-- Opening hours: a range type with subtype_diff and a named multirange, composite and
-- array columns, a domain over an array and one over a composite, a GiST index.

CREATE SCHEMA sched;

CREATE FUNCTION sched.time_diff(a time, b time) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT extract(epoch FROM (a - b))::double precision $$;

CREATE TYPE sched.timerange AS RANGE (
  subtype = time,
  subtype_diff = sched.time_diff,
  multirange_type_name = sched.timemultirange
);

CREATE DOMAIN sched.weekday_set AS smallint[]
  CHECK (VALUE <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]);

CREATE TABLE sched.opening_hours (
  shop_id integer NOT NULL,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  hours sched.timemultirange NOT NULL,
  PRIMARY KEY (shop_id, weekday)
);

ALTER TABLE sched.opening_hours ADD COLUMN holidays sched.weekday_set;

CREATE INDEX opening_hours_hours_idx ON sched.opening_hours USING gist (hours);

CREATE TYPE sched.slot AS (starts timestamptz, minutes integer);

CREATE DOMAIN sched.positive_slot AS sched.slot CHECK ((VALUE).minutes > 0);

CREATE TABLE sched.appointments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id integer NOT NULL,
  slot sched.positive_slot NOT NULL,
  alternatives sched.slot[] NOT NULL DEFAULT '{}'
);

CREATE FUNCTION sched.is_open(shop integer, at timestamp) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM sched.opening_hours AS o
      WHERE o.shop_id = shop AND o.weekday = extract(isodow FROM at) AND o.hours @> at::time)
  $$;

COMMENT ON TYPE sched.timerange IS 'A span of wall-clock time within a day.';
