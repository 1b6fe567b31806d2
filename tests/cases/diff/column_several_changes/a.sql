CREATE TABLE shipment (
    id integer PRIMARY KEY,
    status varchar(10) DEFAULT 'new'
);
