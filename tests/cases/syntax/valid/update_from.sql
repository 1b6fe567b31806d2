-- UPDATE ... FROM ... RETURNING.
-- expect: ok
UPDATE accounts a SET balance = a.balance + t.amount FROM transfers t WHERE t.account_id = a.id RETURNING a.id, a.balance;
