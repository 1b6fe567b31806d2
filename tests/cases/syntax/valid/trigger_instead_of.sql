-- An INSTEAD OF trigger on a view.
-- expect: ok
CREATE TRIGGER v_insert INSTEAD OF INSERT ON active_accounts FOR EACH ROW EXECUTE FUNCTION insert_account();
