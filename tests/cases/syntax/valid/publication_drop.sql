-- DROP PUBLICATION.
-- expect: ok
DROP PUBLICATION IF EXISTS app_pub, all_pub;
