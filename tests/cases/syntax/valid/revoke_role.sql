-- REVOKE a role membership.
-- expect: ok
REVOKE ADMIN OPTION FOR app_admin FROM alice GRANTED BY CURRENT_USER RESTRICT;
