CREATE TABLE reservation (
    id integer PRIMARY KEY,
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT reservation_no_overlap EXCLUDE USING gist (during WITH &&)
        WHERE (NOT cancelled) DEFERRABLE
);
