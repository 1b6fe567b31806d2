-- MERGE (PostgreSQL 15).
-- expect: ok
MERGE INTO accounts a USING staged s ON a.id = s.id WHEN MATCHED AND s.deleted THEN DELETE WHEN MATCHED THEN UPDATE SET email = s.email WHEN NOT MATCHED THEN INSERT (id, email) VALUES (s.id, s.email);
