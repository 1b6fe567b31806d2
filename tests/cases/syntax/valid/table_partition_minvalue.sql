-- Multi-column range bounds with MINVALUE and MAXVALUE.
-- expect: ok
CREATE TABLE grid_low PARTITION OF grid FOR VALUES FROM (MINVALUE, MINVALUE) TO (0, MAXVALUE);
