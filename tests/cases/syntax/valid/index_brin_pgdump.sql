-- pg_dump's index style.
-- expect: ok
CREATE INDEX logs_brin ON public.logs USING brin (logged_on) WITH (pages_per_range='32');
