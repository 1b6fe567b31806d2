-- A positional parameter in PREPARE.
-- expect: ok
PREPARE get_account (bigint) AS SELECT * FROM accounts WHERE id = $1;
