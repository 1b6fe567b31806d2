-- RLS of companies (contract: docs/rls.md). Not FORCEd: create_company() and the private
-- helpers run as the table owner.
ALTER TABLE public.companies ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON public.companies FROM anon, authenticated, PUBLIC;

GRANT ALL ON public.companies TO service_role;

-- Every column but the stripe ids (owner/billing_admin read those through
-- public.company_billing_for_me()). No INSERT: companies are created by create_company().
GRANT SELECT (
  id, name, slug, subscription_tier, subscription_status, subscription_expires_at,
  usage_stats, settings, created_at, updated_at
) ON public.companies TO authenticated;

-- Which of these a given role may change is checked by companies_guard_columns below.
GRANT UPDATE (
  name, slug, settings, subscription_tier, subscription_status, subscription_expires_at,
  stripe_customer_id, stripe_subscription_id, updated_at
) ON public.companies TO authenticated;

GRANT DELETE ON public.companies TO authenticated;

CREATE POLICY companies_select ON public.companies
  FOR SELECT TO authenticated
  USING (id = ANY (ARRAY(SELECT private.company_ids_with_role(
    ARRAY['owner', 'admin', 'billing_admin', 'member']))));

-- No WITH CHECK: authenticated cannot UPDATE id (no column privilege), so the new row is
-- the same company and PostgreSQL re-checks it with USING. A separate WITH CHECK would be
-- an exact copy that no test could tell from `true` (a surviving mutant).
CREATE POLICY companies_update ON public.companies
  FOR UPDATE TO authenticated
  USING (
    id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner', 'admin', 'billing_admin'])))
  );

CREATE POLICY companies_delete ON public.companies
  FOR DELETE TO authenticated
  USING (id = ANY (ARRAY(SELECT private.company_ids_with_role(ARRAY['owner']))));

CREATE TRIGGER companies_guard_columns
  BEFORE UPDATE ON public.companies
  FOR EACH ROW EXECUTE FUNCTION private.guard_company_columns();
