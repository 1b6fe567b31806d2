-- CHECK ... NO INHERIT on a column and as a table constraint (issue 10).
-- expect: ok
CREATE TABLE measurements (
  reading int CHECK (reading > 0) NO INHERIT,
  CONSTRAINT reading_small CHECK (reading < 1000) NO INHERIT
);
