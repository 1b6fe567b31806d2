-- DO ALSO with an UPDATE using OLD and NEW.
-- expect: ok
CREATE RULE log_update AS ON UPDATE TO accounts DO ALSO UPDATE account_log SET last = NEW.balance WHERE id = OLD.id;
