CREATE SEQUENCE order_no;
GRANT USAGE, SELECT ON SEQUENCE order_no TO diffcase_writer;
GRANT SELECT ON SEQUENCE order_no TO diffcase_reader;
