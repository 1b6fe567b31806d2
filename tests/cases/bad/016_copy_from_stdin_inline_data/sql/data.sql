COPY t (id, name) FROM stdin;
1	one
2	two
\.
