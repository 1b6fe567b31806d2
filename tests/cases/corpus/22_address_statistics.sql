-- Address book: extended statistics (dependencies, ndistinct, mcv, on expressions), column
-- statistics targets, storage parameters, a column added after the first statistics.

CREATE TABLE addresses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street text,
  city text NOT NULL,
  zip text NOT NULL,
  country text NOT NULL
);

CREATE STATISTICS addresses_city_zip (dependencies, ndistinct) ON city, zip FROM addresses;

CREATE STATISTICS addresses_country_city_mcv (mcv) ON country, city FROM addresses;

CREATE STATISTICS addresses_lower_city ON lower(city), country FROM addresses;

ALTER STATISTICS addresses_country_city_mcv SET STATISTICS 500;

ALTER TABLE addresses ALTER COLUMN zip SET STATISTICS 1000;

ALTER TABLE addresses ADD COLUMN region text;

CREATE STATISTICS addresses_region_country (ndistinct) ON region, country FROM addresses;

ALTER TABLE addresses SET (autovacuum_analyze_scale_factor = 0.02, fillfactor = 90);

COMMENT ON STATISTICS addresses_city_zip IS 'zip determines city.';
