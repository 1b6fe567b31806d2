CREATE TABLE payment (
    id integer PRIMARY KEY,
    payer text NOT NULL,
    amount numeric(12, 2) NOT NULL
);
CREATE MATERIALIZED VIEW payer_total AS
    SELECT payer, sum(amount) AS total FROM payment GROUP BY payer;
CREATE UNIQUE INDEX payer_total_payer_idx ON payer_total (payer);
