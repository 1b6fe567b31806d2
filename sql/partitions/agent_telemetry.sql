-- Monthly partitions of agent_telemetry. Future months are created by
-- `schemactl partitions ensure`; until then their rows land in the DEFAULT partition.
CREATE TABLE agent_telemetry_2025_01 PARTITION OF agent_telemetry
  FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');

-- Without it, inserting telemetry for any month but 2025-01 fails.
CREATE TABLE agent_telemetry_default PARTITION OF agent_telemetry DEFAULT;
