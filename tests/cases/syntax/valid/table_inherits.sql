-- Inheritance.
-- expect: ok
CREATE TABLE cities_capital (state char(2)) INHERITS (cities);
