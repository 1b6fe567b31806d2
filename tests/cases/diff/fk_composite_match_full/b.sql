CREATE TABLE warehouse (
    company_id integer,
    code text,
    PRIMARY KEY (company_id, code)
);
CREATE TABLE bin (
    id integer PRIMARY KEY,
    company_id integer,
    warehouse_code text,
    CONSTRAINT bin_warehouse_fk FOREIGN KEY (company_id, warehouse_code)
        REFERENCES warehouse (company_id, code) MATCH FULL
);
