CREATE TABLE t (id int);
COPY t FROM stdin;
