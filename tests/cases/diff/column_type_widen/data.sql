INSERT INTO invoice (id, amount, code, ratio)
VALUES (1, 100, 'A-1', 0.5), (2, 2147483647, 'B-22', 0.25), (3, -7, NULL, NULL);
