CREATE TABLE entry (
    id integer PRIMARY KEY,
    amount integer NOT NULL
);
CREATE TABLE entry_log (n bigint);
CREATE VIEW entry_view AS SELECT id, amount FROM entry;
CREATE FUNCTION log_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO entry_log SELECT count(*) FROM inserted; RETURN NULL; END $$;
CREATE FUNCTION check_balance() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION entry_view_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO entry VALUES (NEW.id, NEW.amount); RETURN NEW; END $$;
