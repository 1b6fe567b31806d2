-- pg_dump's nextval default with a regclass literal.
-- expect: ok
ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);
