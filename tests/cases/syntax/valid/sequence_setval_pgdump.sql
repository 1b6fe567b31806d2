-- pg_dump's setval.
-- expect: ok
SELECT pg_catalog.setval('public.order_no', 1, false);
