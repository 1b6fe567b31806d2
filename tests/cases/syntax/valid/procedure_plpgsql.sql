-- A PL/pgSQL procedure with a loop and transaction control.
-- expect: ok
CREATE OR REPLACE PROCEDURE batch_commit(n int) LANGUAGE plpgsql AS $$ BEGIN FOR i IN 1..n LOOP INSERT INTO t VALUES (i); COMMIT; END LOOP; END $$;
