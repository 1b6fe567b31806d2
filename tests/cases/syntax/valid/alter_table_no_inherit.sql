-- NO INHERIT.
-- expect: ok
ALTER TABLE cities_capital NO INHERIT cities;
