INSERT INTO event (id, at, kind) VALUES (1, '2024-03-01', 'login'), (2, '2024-11-30', 'logout');
