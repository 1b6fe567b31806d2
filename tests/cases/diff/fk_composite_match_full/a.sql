CREATE TABLE warehouse (
    company_id integer,
    code text,
    PRIMARY KEY (company_id, code)
);
CREATE TABLE bin (
    id integer PRIMARY KEY,
    company_id integer,
    warehouse_code text
);
