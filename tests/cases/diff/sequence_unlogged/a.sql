CREATE SEQUENCE scratch_seq;
