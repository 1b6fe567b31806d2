CREATE TABLE reading (
    sensor integer NOT NULL,
    value integer
) PARTITION BY RANGE (sensor);
CREATE TABLE reading_low PARTITION OF reading FOR VALUES FROM (0) TO (100);
