CREATE TABLE audit (
    at date NOT NULL,
    tenant text NOT NULL,
    what text
) PARTITION BY LIST (tenant);
