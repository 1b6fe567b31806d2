-- CREATE SUBSCRIPTION that does not connect.
-- expect: ok
CREATE SUBSCRIPTION syntax_corpus_sub CONNECTION 'host=192.0.2.1 dbname=none connect_timeout=1' PUBLICATION app_pub WITH (connect = false, enabled = false, create_slot = false, slot_name = NONE);
