-- CREATE PUBLICATION with a column list, a row filter and a schema (PostgreSQL 15).
-- expect: ok
CREATE PUBLICATION app_pub FOR TABLE accounts (id, email) WHERE (status = 'active'), TABLES IN SCHEMA app WITH (publish = 'insert, update', publish_via_partition_root = true);
