-- EXCEPTON in the idempotent role-creation DO block.
-- expect: body-error 4:28
-- server: 42601 syntax error at or near "exceptoin"
do $$ begin create role r; exceptoin when duplicate_object then null; end $$;
