INSERT INTO doc (id, owner, tenant_id, body) VALUES
    (1, 'alice', 1, 'first'), (2, 'bob', 2, 'second'), (3, 'carol', 1, NULL);
