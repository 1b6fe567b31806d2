-- Role membership WITH ADMIN OPTION GRANTED BY.
-- expect: ok
GRANT app_admin TO alice, bob WITH ADMIN OPTION GRANTED BY CURRENT_USER;
