-- Identity column with sequence options, CACHE n among them (issue 10).
-- expect: ok
CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10 CACHE 20 NO CYCLE) PRIMARY KEY,
  total numeric
);
