INSERT INTO product (id, price, discount) VALUES (1, 9.99, 0), (2, 100, 15.50), (3, 0, 0);
