INSERT INTO order_line (id, qty, price) VALUES (1, 2, 9.99), (2, 1000, 0.01);
