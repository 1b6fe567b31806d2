-- ALTER GROUP ... ADD USER.
-- expect: ok
ALTER GROUP staff ADD USER alice, bob;
