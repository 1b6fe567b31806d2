INSERT INTO app.org (name) VALUES ('acme'), ('globex');
INSERT INTO app.person (org_id, email, role)
SELECT o.id, o.name || '@example.com', 'admin' FROM app.org AS o;
