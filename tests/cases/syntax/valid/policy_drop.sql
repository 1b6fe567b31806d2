-- DROP POLICY.
-- expect: ok
DROP POLICY IF EXISTS update_mine ON public.accounts;
