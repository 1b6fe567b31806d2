-- ALTER SERVER options.
-- expect: ok
ALTER SERVER remote_srv VERSION '18' OPTIONS (SET host '192.0.2.2', DROP port);
