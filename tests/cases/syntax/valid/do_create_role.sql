-- The idempotent role-creation DO block (issue 10).
-- expect: ok
do $$ begin create role syntax_corpus_do_role; exception when duplicate_object then null; end $$;
