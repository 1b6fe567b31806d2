-- Store locator: cube and earthdistance (which requires cube), a GiST index on an
-- extension function, a set-returning search function.

CREATE EXTENSION IF NOT EXISTS cube;

CREATE EXTENSION IF NOT EXISTS earthdistance;

CREATE SCHEMA geo;

CREATE TABLE geo.shops (
  id integer PRIMARY KEY,
  name text NOT NULL,
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180)
);

CREATE INDEX shops_earth_idx ON geo.shops USING gist (ll_to_earth(lat, lon));

CREATE TABLE geo.zones (
  id integer PRIMARY KEY,
  name text NOT NULL,
  bbox cube NOT NULL
);

CREATE INDEX zones_bbox_idx ON geo.zones USING gist (bbox);

CREATE FUNCTION geo.shops_near(from_lat double precision, from_lon double precision, radius_m double precision)
  RETURNS SETOF geo.shops
  LANGUAGE sql STABLE
  AS $$
    SELECT s.*
    FROM geo.shops AS s
    WHERE earth_box(ll_to_earth(from_lat, from_lon), radius_m) @> ll_to_earth(s.lat, s.lon)
      AND earth_distance(ll_to_earth(from_lat, from_lon), ll_to_earth(s.lat, s.lon)) < radius_m
  $$;

CREATE VIEW geo.shop_zones AS
  SELECT s.id AS shop_id, z.id AS zone_id
  FROM geo.shops AS s
  JOIN geo.zones AS z ON z.bbox @> cube(array[s.lat, s.lon]);

COMMENT ON FUNCTION geo.shops_near(double precision, double precision, double precision) IS 'Shops within radius_m metres.';
