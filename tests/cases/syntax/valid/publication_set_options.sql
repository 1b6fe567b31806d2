-- ALTER PUBLICATION ... SET (options).
-- expect: ok
ALTER PUBLICATION app_pub SET (publish = 'insert');
