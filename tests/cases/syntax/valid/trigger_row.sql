-- A row trigger with a column list and a WHEN condition.
-- expect: ok
CREATE TRIGGER accounts_touch BEFORE UPDATE OF email, balance ON accounts FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION set_updated_at();
