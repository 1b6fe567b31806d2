-- A rule with a condition and several actions.
-- expect: ok
CREATE OR REPLACE RULE archive_insert AS ON INSERT TO orders_view WHERE NEW.qty > 0 DO INSTEAD (INSERT INTO orders (qty) VALUES (NEW.qty); NOTIFY orders_changed);
