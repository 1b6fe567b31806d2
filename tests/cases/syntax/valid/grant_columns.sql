-- Column privileges with GRANT OPTION.
-- expect: ok
GRANT SELECT, INSERT (email, balance), UPDATE (email), REFERENCES (id) ON TABLE accounts TO app_user, GROUP staff WITH GRANT OPTION;
