-- CREATE TRUSTED LANGUAGE with a handler.
-- expect: ok
CREATE OR REPLACE TRUSTED LANGUAGE plsample HANDLER plsample_call_handler;
