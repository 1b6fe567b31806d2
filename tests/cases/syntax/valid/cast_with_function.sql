-- CREATE CAST ... WITH FUNCTION ... AS IMPLICIT.
-- expect: ok
CREATE CAST (text AS complex) WITH FUNCTION complex_from_text(text) AS IMPLICIT;
