INSERT INTO account (id, name) VALUES (1, 'ada'), (2, 'grace'), (3, 'edsger');
