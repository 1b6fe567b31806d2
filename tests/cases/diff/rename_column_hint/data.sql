INSERT INTO profile VALUES (1, 'Ann', 30), (2, 'Bob', NULL);
