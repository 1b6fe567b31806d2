INSERT INTO author (id, name) VALUES (1, 'Le Guin'), (2, 'Lem');
INSERT INTO book (id, author_id, title) VALUES
    (10, 1, 'The Dispossessed'), (11, 2, 'Solaris'), (12, NULL, 'Anonymous');
