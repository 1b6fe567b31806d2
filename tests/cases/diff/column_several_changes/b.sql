CREATE TABLE shipment (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'open'
        CONSTRAINT shipment_status_check CHECK (status IN ('open', 'sent', 'lost'))
);
