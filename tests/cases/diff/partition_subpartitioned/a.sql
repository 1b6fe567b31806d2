CREATE TABLE sale (
    day date NOT NULL,
    region text NOT NULL,
    amount integer
) PARTITION BY RANGE (day);
