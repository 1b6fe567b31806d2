-- String constants continued across lines.
-- expect: ok
SELECT 'first part '
       'second part',
       E'escape '
       'continued';
