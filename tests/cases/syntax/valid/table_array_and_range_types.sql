-- Arrays, multi-dimensional arrays, ranges, intervals with fields, time zones.
-- expect: ok
CREATE TABLE schedules (slots int[][], during tsrange, grace interval hour to minute, at time(3) with time zone, stamps timestamp(0) without time zone[], bits bit varying(8), n double precision);
