-- DELETE ... USING ... RETURNING.
-- expect: ok
DELETE FROM orders o USING accounts a WHERE o.account_id = a.id AND a.status = 'closed' RETURNING o.id;
