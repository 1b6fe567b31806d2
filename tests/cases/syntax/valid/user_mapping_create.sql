-- CREATE USER MAPPING.
-- expect: ok
CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER remote_srv OPTIONS (user 'app', password 'secret');
