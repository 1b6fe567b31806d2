-- DROP TRIGGER.
-- expect: ok
DROP TRIGGER IF EXISTS accounts_touch ON public.accounts CASCADE;
