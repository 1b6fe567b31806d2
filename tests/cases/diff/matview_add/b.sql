CREATE TABLE sale (
    id integer PRIMARY KEY,
    day date NOT NULL,
    shop text NOT NULL,
    amount integer NOT NULL
);

CREATE MATERIALIZED VIEW daily_total AS
    SELECT day, sum(amount) AS total FROM sale GROUP BY day;
CREATE UNIQUE INDEX daily_total_day_idx ON daily_total (day);
