-- Stripe ids of the caller's companies, for owner and billing_admin only. Column privileges
-- hide these columns from every signed-in user (they cannot depend on the row), so the
-- roles allowed to read them go through this function.
CREATE OR REPLACE FUNCTION public.company_billing_for_me()
RETURNS TABLE (company_id uuid, stripe_customer_id text, stripe_subscription_id text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN QUERY
    SELECT c.id, c.stripe_customer_id, c.stripe_subscription_id
    FROM public.companies AS c
    WHERE c.id IN (SELECT private.company_ids_with_role(ARRAY['owner', 'billing_admin']));
END;
$$;

REVOKE ALL ON FUNCTION public.company_billing_for_me() FROM PUBLIC, anon;

GRANT EXECUTE ON FUNCTION public.company_billing_for_me() TO authenticated;
