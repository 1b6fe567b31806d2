-- INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING.
-- expect: ok
INSERT INTO settings AS s (name, value) VALUES ('a', '1'), ('b', DEFAULT) ON CONFLICT (name) WHERE name <> '' DO UPDATE SET value = EXCLUDED.value WHERE s.value IS DISTINCT FROM EXCLUDED.value RETURNING *;
