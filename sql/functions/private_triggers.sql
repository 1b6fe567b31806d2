-- Trigger functions that complement the RLS policies where a policy cannot decide
-- (contract: docs/rls.md). SECURITY INVOKER on purpose: they must see who is calling, and
-- they apply only to roles subject to RLS (row_security_active), never to service_role or
-- the table owner. The triggers themselves are created in sql/policies/.

-- companies: admin may change name/slug/settings, billing_admin the subscription and stripe
-- fields, owner both. Column privileges cannot depend on the row, so the split is checked
-- here, on values that actually change.
CREATE OR REPLACE FUNCTION private.guard_company_columns()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT pg_catalog.row_security_active('public.companies') THEN
    RETURN NEW;
  END IF;
  IF (NEW.name, NEW.slug, NEW.settings) IS DISTINCT FROM (OLD.name, OLD.slug, OLD.settings)
    AND OLD.id NOT IN (SELECT private.company_ids_with_role(ARRAY['owner', 'admin']))
  THEN
    RAISE EXCEPTION 'only an owner or admin may change name, slug or settings of company %',
      OLD.id
      USING ERRCODE = '42501';
  END IF;
  IF (
      NEW.subscription_tier, NEW.subscription_status, NEW.subscription_expires_at,
      NEW.stripe_customer_id, NEW.stripe_subscription_id
    ) IS DISTINCT FROM (
      OLD.subscription_tier, OLD.subscription_status, OLD.subscription_expires_at,
      OLD.stripe_customer_id, OLD.stripe_subscription_id
    )
    AND OLD.id NOT IN (SELECT private.company_ids_with_role(ARRAY['owner', 'billing_admin']))
  THEN
    RAISE EXCEPTION 'only an owner or billing_admin may change the subscription of company %',
      OLD.id
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;

-- company_members: a company must keep an owner. Runs AFTER the statement's rows changed
-- (row trigger, checked against the final state), so deleting two owners at once is caught.
CREATE OR REPLACE FUNCTION private.keep_last_owner()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT pg_catalog.row_security_active('public.company_members') THEN
    RETURN NULL;
  END IF;
  IF OLD.role = 'owner' AND NOT private.company_has_owner(OLD.company_id) THEN
    RAISE EXCEPTION 'cannot remove or demote the last owner of company %', OLD.company_id
      USING ERRCODE = '42501',
        HINT = 'make another member owner first, or delete the company';
  END IF;
  RETURN NULL;
END;
$$;

REVOKE ALL ON FUNCTION private.guard_company_columns(), private.keep_last_owner() FROM PUBLIC;
