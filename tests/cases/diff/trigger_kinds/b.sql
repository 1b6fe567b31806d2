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
CREATE TRIGGER entry_log_insert AFTER INSERT ON entry
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION log_inserted();
CREATE CONSTRAINT TRIGGER entry_balance AFTER INSERT OR UPDATE ON entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_balance();
CREATE TRIGGER entry_truncate AFTER TRUNCATE ON entry
    FOR EACH STATEMENT EXECUTE FUNCTION check_balance();
CREATE TRIGGER entry_view_insert INSTEAD OF INSERT ON entry_view
    FOR EACH ROW EXECUTE FUNCTION entry_view_insert();
