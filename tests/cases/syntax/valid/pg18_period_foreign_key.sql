-- PostgreSQL 18: a temporal foreign key with PERIOD.
-- expect: ok
-- since: 18
-- pg15: error 5:80 42601 syntax error at or near "during"
CREATE TABLE room_items (room int, during tstzrange, FOREIGN KEY (room, PERIOD during) REFERENCES rooms_booked (room, PERIOD during));
