-- DO with a single-quoted body.
-- expect: ok
DO 'BEGIN RAISE NOTICE ''hello''; END';
