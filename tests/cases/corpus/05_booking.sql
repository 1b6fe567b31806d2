-- Room booking: btree_gist exclusion constraint, a custom range type, deferrable keys.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE floorrange AS RANGE (subtype = int4);

CREATE TABLE rooms (
  id integer PRIMARY KEY,
  name text NOT NULL,
  floors floorrange NOT NULL DEFAULT '[0,1)'
);

CREATE TABLE bookings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  room_id integer NOT NULL,
  during tstzrange NOT NULL,
  booked_by text NOT NULL,
  CONSTRAINT bookings_room_fk FOREIGN KEY (room_id) REFERENCES rooms (id)
    DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)
);

CREATE INDEX bookings_booked_by_idx ON bookings (booked_by);

CREATE FUNCTION free_rooms(at timestamptz) RETURNS SETOF rooms
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT r.* FROM rooms AS r
    WHERE NOT EXISTS (
      SELECT 1 FROM bookings AS b WHERE b.room_id = r.id AND b.during @> at);
  END;

COMMENT ON CONSTRAINT bookings_no_overlap ON bookings IS 'A room holds one booking at a time.';

COMMENT ON EXTENSION btree_gist IS 'Needed for the exclusion constraint on bookings.';
