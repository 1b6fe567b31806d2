-- Exclusion constraint with gist, a WHERE clause and DEFERRABLE.
-- expect: ok
CREATE TABLE bookings (
  room int,
  during tstzrange,
  EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0) DEFERRABLE INITIALLY DEFERRED
);
