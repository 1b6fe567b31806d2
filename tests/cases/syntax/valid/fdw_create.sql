-- CREATE FOREIGN DATA WRAPPER with handler, validator and options.
-- expect: ok
CREATE FOREIGN DATA WRAPPER my_fdw HANDLER my_fdw_handler VALIDATOR my_fdw_validator OPTIONS (debug 'true');
