-- Keeps updated_at honest on every UPDATE (used by BEFORE UPDATE triggers in sql/tables/).
CREATE OR REPLACE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
