CREATE TABLE item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    price numeric(10, 2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);

CREATE PROCEDURE deactivate(p_id integer)
    LANGUAGE plpgsql
    AS $$ BEGIN UPDATE item SET active = false WHERE id = p_id; END $$;
