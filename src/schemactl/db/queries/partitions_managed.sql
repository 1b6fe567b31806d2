-- partitions: the tables `schemactl partitions ensure` created that still exist (the diff
-- leaves them out). Run only when schemactl.managed_partitions exists.
SELECT m.partition_schema, m.partition_name
FROM schemactl.managed_partitions AS m
WHERE to_regclass(format('%I.%I', m.partition_schema, m.partition_name)) IS NOT NULL
