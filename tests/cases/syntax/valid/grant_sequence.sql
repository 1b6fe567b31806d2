-- USAGE, SELECT on a sequence.
-- expect: ok
GRANT USAGE, SELECT ON SEQUENCE order_no TO app_user;
