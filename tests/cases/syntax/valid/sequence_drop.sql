-- DROP SEQUENCE.
-- expect: ok
DROP SEQUENCE IF EXISTS order_no, invoice_no;
