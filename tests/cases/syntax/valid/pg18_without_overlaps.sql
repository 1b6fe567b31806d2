-- PostgreSQL 18: a temporal primary key WITHOUT OVERLAPS.
-- expect: ok
-- since: 18
-- pg15: error 5:82 42601 syntax error at or near "WITHOUT"
CREATE TABLE rooms_booked (room int, during tstzrange, PRIMARY KEY (room, during WITHOUT OVERLAPS));
