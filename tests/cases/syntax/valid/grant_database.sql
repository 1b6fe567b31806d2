-- Privileges on a database.
-- expect: ok
GRANT CONNECT, TEMPORARY ON DATABASE appdb TO app_user;
