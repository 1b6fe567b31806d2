-- schemactl partitions: the server side, installed in schema schemactl by
-- `schemactl partitions ensure` / `schedule` (one source for the CLI and for pg_cron).
--
-- schemactl.managed_partitions    what ensure created (diff leaves these tables out)
-- schemactl.ensure_partition(...)  one partition, one transaction: standalone table with a
--                                  matching CHECK, rows moved out of the DEFAULT partition,
--                                  ATTACH, RLS, privileges and owner as safe as the parent
-- schemactl.ensure_default_partition(...)  the DEFAULT partition, where the config wants one
-- schemactl.guard_default_partition(...)  the validated CHECK that keeps ATTACH from
--                                  scanning the DEFAULT partition
-- schemactl.ensure_partitions(...) what a pg_cron job runs: the current period and N ahead
CREATE SCHEMA IF NOT EXISTS schemactl;

CREATE TABLE IF NOT EXISTS schemactl.managed_partitions (
  partition_schema text NOT NULL,
  partition_name text NOT NULL,
  parent_schema text NOT NULL,
  parent_name text NOT NULL,
  range_from date,  -- NULL for a DEFAULT partition
  range_to date,
  rows_moved bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partition_schema, partition_name)
);

-- The key of a partitioned table: one plain column of type date, timestamp or timestamptz.
CREATE OR REPLACE FUNCTION schemactl.partition_key_of(p_parent regclass,
                                                      OUT key_column text, OUT key_type text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO key_column, key_type
  FROM pg_partitioned_table AS pt
  JOIN pg_attribute AS a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
  WHERE pt.partrelid = p_parent AND pt.partstrat = 'r' AND pt.partnatts = 1;
  IF key_column IS NULL
     OR key_type NOT IN ('date', 'timestamp without time zone', 'timestamp with time zone') THEN
    RAISE EXCEPTION 'schemactl partitions: % is not partitioned BY RANGE on one date or timestamp column', p_parent
      USING ERRCODE = 'feature_not_supported';
  END IF;
END
$fn$;

-- The SQL literal of the UTC midnight starting day p_day, for a key of type p_type.
CREATE OR REPLACE FUNCTION schemactl.partition_bound_literal(p_day date, p_type text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT CASE p_type
    WHEN 'timestamp with time zone' THEN format('%L::timestamptz', p_day::text || ' 00:00:00+00')
    WHEN 'timestamp without time zone' THEN format('%L::timestamp', p_day::text || ' 00:00:00')
    ELSE format('%L::date', p_day::text) END
$fn$;

CREATE OR REPLACE FUNCTION schemactl.secure_partition(
  p_parent regclass, p_new regclass, p_client_roles text[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
-- A partition as safe as its parent: RLS on (no policy of its own: it is read through the
-- parent), forced where the parent is; the parent's privileges except those of the client
-- roles and PUBLIC (revoking what default privileges granted at CREATE TABLE).
DECLARE
  v_forced boolean;
  v_new regclass := p_new;
  r record;
BEGIN
  SELECT c.relforcerowsecurity INTO v_forced FROM pg_class AS c WHERE c.oid = p_parent;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', v_new);
  IF v_forced THEN
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', v_new);
  END IF;
  EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', v_new);
  FOR r IN
    SELECT DISTINCT pg_get_userbyid(x.grantee) AS grantee
    FROM pg_class AS c, aclexplode(c.relacl) AS x
    WHERE c.oid = v_new AND x.grantee <> 0 AND x.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON %s FROM %I', v_new, r.grantee);
  END LOOP;
  FOR r IN
    SELECT pg_get_userbyid(x.grantee) AS grantee, x.privilege_type, x.is_grantable
    FROM pg_class AS c, aclexplode(c.relacl) AS x
    WHERE c.oid = p_parent AND x.grantee <> 0 AND x.grantee <> c.relowner
      AND NOT pg_get_userbyid(x.grantee) = ANY (p_client_roles)
  LOOP
    EXECUTE format('GRANT %s ON %s TO %I%s', r.privilege_type, v_new, r.grantee,
                   CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;

END
$fn$;

CREATE OR REPLACE FUNCTION schemactl.ensure_partition(
  p_parent regclass, p_name text, p_from date, p_to date,
  p_lock_timeout text, p_lock_wait text,
  p_client_roles text[] DEFAULT ARRAY['anon', 'authenticated'])
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
-- Create partition p_name of p_parent for [p_from, p_to) unless it exists. Returns the number
-- of rows moved out of the DEFAULT partition, or NULL when the partition was already there.
DECLARE
  v_schema text;
  v_owner text;
  v_key text;
  v_type text;
  v_default regclass;
  v_guarded boolean := false;
  v_new regclass;
  v_lo text;
  v_hi text;
  v_cols text;
  v_moved bigint := 0;
  v_existing regclass;
BEGIN
  SELECT n.nspname, pg_get_userbyid(c.relowner) INTO v_schema, v_owner
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE c.oid = p_parent AND c.relkind = 'p';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'schemactl partitions: % is not a partitioned table', p_parent
      USING ERRCODE = 'wrong_object_type';
  END IF;
  SELECT key_column, key_type INTO v_key, v_type FROM schemactl.partition_key_of(p_parent);

  -- one ensure per parent at a time: overlapping runs (cron + a human, 8 workers) queue here,
  -- bounded by lock_wait; then every DDL lock wait is bounded by lock_timeout
  PERFORM set_config('lock_timeout', p_lock_wait, true);
  PERFORM pg_advisory_xact_lock(hashtext('schemactl partitions'), hashtext(p_parent::oid::text));
  PERFORM set_config('lock_timeout', p_lock_timeout, true);
  -- rows are moved, never filtered: a policy hiding rows from the mover must fail the move
  PERFORM set_config('row_security', 'off', true);

  v_existing := to_regclass(format('%I.%I', v_schema, p_name));
  IF v_existing IS NOT NULL THEN
    IF EXISTS (SELECT FROM pg_inherits WHERE inhrelid = v_existing AND inhparent = p_parent) THEN
      RETURN NULL;  -- made by an overlapping run, or by hand
    END IF;
    RAISE EXCEPTION 'schemactl partitions: table % exists and is not a partition of %', v_existing, p_parent
      USING ERRCODE = 'duplicate_table';
  END IF;

  SELECT c.oid::regclass,
         EXISTS (SELECT FROM pg_constraint AS k WHERE k.conrelid = c.oid AND k.convalidated
                 AND k.conname = 'schemactl_partitions_horizon')
    INTO v_default, v_guarded
  FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
  WHERE i.inhparent = p_parent AND c.relpartbound IS NOT NULL
    AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';

  v_lo := schemactl.partition_bound_literal(p_from, v_type);
  v_hi := schemactl.partition_bound_literal(p_to, v_type);

  -- standalone, then ATTACH: SHARE UPDATE EXCLUSIVE on the parent instead of ACCESS EXCLUSIVE,
  -- and the matching CHECK spares ATTACH the scan of the new table
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                 ' INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)',
                 v_schema, p_name, p_parent);
  v_new := format('%I.%I', v_schema, p_name)::regclass;
  EXECUTE format('ALTER TABLE %s OWNER TO %I', v_new, v_owner);
  EXECUTE format('ALTER TABLE %s ADD CONSTRAINT schemactl_partition_bound'
                 ' CHECK (%I IS NOT NULL AND %I >= %s AND %I < %s)',
                 v_new, v_key, v_key, v_lo, v_key, v_hi);

  -- rows parked in the DEFAULT partition for this range move in this transaction (PostgreSQL
  -- refuses the ATTACH while they are there); SHARE keeps new ones from arriving meanwhile.
  -- A validated horizon CHECK on the default proves there are none (see guard below).
  IF v_default IS NOT NULL AND NOT v_guarded THEN
    EXECUTE format('LOCK TABLE %s IN SHARE MODE', v_default);
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
    FROM pg_attribute AS a
    WHERE a.attrelid = p_parent AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
    EXECUTE format('WITH moved AS (DELETE FROM ONLY %s WHERE %I >= %s AND %I < %s RETURNING %s)'
                   ' INSERT INTO %s (%s) SELECT %s FROM moved',
                   v_default, v_key, v_lo, v_key, v_hi, v_cols, v_new, v_cols, v_cols);
    GET DIAGNOSTICS v_moved = ROW_COUNT;
  END IF;

  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)',
                 p_parent, v_new, v_lo, v_hi);
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT schemactl_partition_bound', v_new);

  PERFORM schemactl.secure_partition(p_parent, v_new, p_client_roles);

  INSERT INTO schemactl.managed_partitions AS m
    (partition_schema, partition_name, parent_schema, parent_name, range_from, range_to, rows_moved)
  SELECT v_schema, p_name, n.nspname, c.relname, p_from, p_to, v_moved
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.oid = p_parent
  ON CONFLICT (partition_schema, partition_name) DO UPDATE
    SET parent_schema = excluded.parent_schema, parent_name = excluded.parent_name,
        range_from = excluded.range_from, range_to = excluded.range_to,
        rows_moved = excluded.rows_moved, created_at = now();
  RETURN v_moved;
END
$fn$;

CREATE OR REPLACE FUNCTION schemactl.ensure_default_partition(
  p_parent regclass, p_name text, p_lock_timeout text, p_lock_wait text,
  p_client_roles text[] DEFAULT ARRAY['anon', 'authenticated'])
RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
-- The DEFAULT partition p_name of p_parent unless the parent has one (false then): made as
-- ensure_partition makes the others (standalone, ATTACH, owner, RLS, privileges, recorded).
DECLARE
  v_schema text;
  v_owner text;
  v_new regclass;
BEGIN
  SELECT n.nspname, pg_get_userbyid(c.relowner) INTO v_schema, v_owner
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE c.oid = p_parent AND c.relkind = 'p';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'schemactl partitions: % is not a partitioned table', p_parent
      USING ERRCODE = 'wrong_object_type';
  END IF;
  PERFORM set_config('lock_timeout', p_lock_wait, true);
  PERFORM pg_advisory_xact_lock(hashtext('schemactl partitions'), hashtext(p_parent::oid::text));
  PERFORM set_config('lock_timeout', p_lock_timeout, true);
  IF EXISTS (SELECT FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
             WHERE i.inhparent = p_parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT') THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                 ' INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)',
                 v_schema, p_name, p_parent);
  v_new := format('%I.%I', v_schema, p_name)::regclass;
  EXECUTE format('ALTER TABLE %s OWNER TO %I', v_new, v_owner);
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', p_parent, v_new);
  PERFORM schemactl.secure_partition(p_parent, v_new, p_client_roles);
  INSERT INTO schemactl.managed_partitions AS m
    (partition_schema, partition_name, parent_schema, parent_name, range_from, range_to)
  SELECT v_schema, p_name, n.nspname, c.relname, NULL, NULL
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.oid = p_parent
  ON CONFLICT (partition_schema, partition_name) DO UPDATE
    SET parent_schema = excluded.parent_schema, parent_name = excluded.parent_name,
        range_from = NULL, range_to = NULL, rows_moved = 0, created_at = now();
  RETURN true;
END
$fn$;

CREATE OR REPLACE FUNCTION schemactl.guard_default_partition(
  p_parent regclass, p_horizon date, p_lock_timeout text, p_lock_wait text)
RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
-- Keep CHECK (key < horizon) on the DEFAULT partition: with it validated, PostgreSQL proves
-- that no row of a new partition's range is in the default, and ATTACH does not scan it.
-- One step per call, so that the caller can commit in between: 'added' (NOT VALID: a brief
-- ACCESS EXCLUSIVE lock, no scan), 'validated' (the scan, under SHARE UPDATE EXCLUSIVE: reads
-- and writes go on), 'ok' (nothing to do), 'none' (no default partition), 'blocked' (the
-- default holds rows at or after the horizon: not added).
DECLARE
  v_default regclass;
  v_validated boolean;
  v_key text;
  v_type text;
  v_blocked boolean;
BEGIN
  SELECT c.oid::regclass INTO v_default
  FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
  WHERE i.inhparent = p_parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
  IF v_default IS NULL THEN
    RETURN 'none';
  END IF;
  -- the lock of ensure_partition: one step at a time per parent, so one run reports each step
  PERFORM set_config('lock_timeout', p_lock_wait, true);
  PERFORM pg_advisory_xact_lock(hashtext('schemactl partitions'), hashtext(p_parent::oid::text));
  PERFORM set_config('lock_timeout', p_lock_timeout, true);
  PERFORM set_config('row_security', 'off', true);
  SELECT k.convalidated INTO v_validated
  FROM pg_constraint AS k WHERE k.conrelid = v_default AND k.conname = 'schemactl_partitions_horizon';
  IF v_validated THEN
    RETURN 'ok';
  ELSIF v_validated IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT schemactl_partitions_horizon', v_default);
    RETURN 'validated';
  END IF;
  SELECT key_column, key_type INTO v_key, v_type FROM schemactl.partition_key_of(p_parent);
  EXECUTE format('SELECT EXISTS (SELECT FROM ONLY %s WHERE %I >= %s)',
                 v_default, v_key, schemactl.partition_bound_literal(p_horizon, v_type))
    INTO v_blocked;
  IF v_blocked THEN
    RETURN 'blocked';
  END IF;
  EXECUTE format('ALTER TABLE %s ADD CONSTRAINT schemactl_partitions_horizon CHECK (%I < %s) NOT VALID',
                 v_default, v_key, schemactl.partition_bound_literal(p_horizon, v_type));
  RETURN 'added';
END
$fn$;

CREATE OR REPLACE FUNCTION schemactl.partition_suffix(p_start date, p_interval text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT to_char(p_start, CASE p_interval WHEN 'month' THEN 'YYYY_MM'
                                          WHEN 'day' THEN 'YYYY_MM_DD'
                                          ELSE 'IYYY_"w"IW' END)
$fn$;

CREATE OR REPLACE FUNCTION schemactl.ensure_partitions(
  p_parent regclass, p_interval text, p_premake integer,
  p_lock_timeout text, p_lock_wait text, p_default_partition boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
-- What a pg_cron job runs (`schemactl partitions schedule`): the partitions of the current
-- UTC period and p_premake ahead, each made by ensure_partition, named as the CLI names them.
-- A period another partition already covers in part is skipped with a WARNING (the job log).
-- Returns how many partitions it created.
DECLARE
  v_parent_name text;
  v_start date;
  v_from date;
  v_to date;
  v_step interval;
  v_created integer := 0;
  v_moved bigint;
  v_state text;
BEGIN
  IF p_interval NOT IN ('day', 'week', 'month') THEN
    RAISE EXCEPTION 'schemactl partitions: interval must be day, week or month, not %', p_interval
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT c.relname INTO v_parent_name FROM pg_class AS c WHERE c.oid = p_parent;
  v_step := ('1 ' || p_interval)::interval;
  v_start := date_trunc(p_interval, (now() AT TIME ZONE 'UTC'))::date;
  FOR i IN 0..p_premake LOOP
    v_from := (v_start + i * v_step)::date;
    v_to := (v_start + (i + 1) * v_step)::date;
    BEGIN
      v_moved := schemactl.ensure_partition(
        p_parent, v_parent_name || '_' || schemactl.partition_suffix(v_from, p_interval),
        v_from, v_to, p_lock_timeout, p_lock_wait);
      IF v_moved IS NOT NULL THEN
        v_created := v_created + 1;
      END IF;
    EXCEPTION WHEN invalid_object_definition THEN  -- 42P17: overlaps another partition
      RAISE WARNING 'schemactl partitions: % [%, %) skipped: %', p_parent, v_from, v_to, SQLERRM;
    END;
  END LOOP;
  IF p_default_partition THEN
    PERFORM schemactl.ensure_default_partition(p_parent, v_parent_name || '_default',
                                               p_lock_timeout, p_lock_wait);
    v_state := schemactl.guard_default_partition(p_parent, v_start, p_lock_timeout, p_lock_wait);
    IF v_state = 'added' THEN
      PERFORM schemactl.guard_default_partition(p_parent, v_start, p_lock_timeout, p_lock_wait);
    END IF;
  END IF;
  RETURN v_created;
END
$fn$;
