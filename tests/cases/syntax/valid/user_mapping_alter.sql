-- ALTER USER MAPPING.
-- expect: ok
ALTER USER MAPPING FOR PUBLIC SERVER remote_srv OPTIONS (SET password 'other');
