CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO diffcase_reader;
GRANT USAGE, CREATE ON SCHEMA app TO diffcase_writer;
