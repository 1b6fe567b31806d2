-- Event log: list partitioning with a hash sub-partitioned partition, a default partition,
-- an attached table, a foreign key on the partitioned table, and pg_dump's index pattern
-- (CREATE INDEX ON ONLY the parent, an index per partition, ALTER INDEX ... ATTACH).

CREATE SCHEMA events;

CREATE TABLE events.tenants (
  name text PRIMARY KEY
);

CREATE TABLE events.log (
  tenant text NOT NULL,
  id bigint NOT NULL,
  kind text NOT NULL,
  payload jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY LIST (kind);

CREATE TABLE events.log_auth PARTITION OF events.log FOR VALUES IN ('login', 'logout');

CREATE TABLE events.log_billing PARTITION OF events.log FOR VALUES IN ('invoice', 'payment')
  PARTITION BY HASH (tenant);

CREATE TABLE events.log_billing_0 PARTITION OF events.log_billing FOR VALUES WITH (MODULUS 2, REMAINDER 0);

CREATE TABLE events.log_billing_1 PARTITION OF events.log_billing FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE TABLE events.log_other PARTITION OF events.log DEFAULT;

CREATE TABLE events.log_archive (
  tenant text NOT NULL,
  id bigint NOT NULL,
  kind text NOT NULL CONSTRAINT log_archive_kind_check CHECK (kind = 'archived'),
  payload jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE events.log ATTACH PARTITION events.log_archive FOR VALUES IN ('archived');

ALTER TABLE events.log ADD CONSTRAINT log_tenant_fk FOREIGN KEY (tenant) REFERENCES events.tenants (name);

CREATE INDEX log_created_at_idx ON ONLY events.log (created_at);

CREATE INDEX log_auth_created_at_idx ON events.log_auth (created_at);

ALTER INDEX events.log_created_at_idx ATTACH PARTITION events.log_auth_created_at_idx;

CREATE INDEX log_tenant_idx ON events.log (tenant, id);
