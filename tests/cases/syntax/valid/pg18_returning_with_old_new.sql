-- PostgreSQL 18: RETURNING WITH (OLD AS ..., NEW AS ...).
-- expect: ok
-- since: 18
-- pg15: error 5:53 42601 syntax error at or near "WITH"
UPDATE accounts SET balance = balance + 1 RETURNING WITH (OLD AS o, NEW AS n) o.balance AS before, n.balance AS after;
