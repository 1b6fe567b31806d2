-- E'..' strings with escapes.
-- expect: ok
SELECT E'tab\there\nnew \'quoted\' \x41 \u00e9 \U0001F600 \\ backslash';
