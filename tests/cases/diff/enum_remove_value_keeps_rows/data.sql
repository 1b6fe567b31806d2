INSERT INTO article (id, state) VALUES (1, 'draft'), (2, 'published'), (3, 'draft');
