-- Foreign keys: composite, MATCH FULL, ON DELETE SET NULL (column list), deferrable.
-- expect: ok
CREATE TABLE memberships (
  org_id int,
  user_id int,
  invited_by int,
  FOREIGN KEY (org_id, user_id) REFERENCES people_orgs (org_id, user_id) MATCH FULL,
  CONSTRAINT inviter FOREIGN KEY (org_id, invited_by) REFERENCES people_orgs ON DELETE SET NULL (invited_by) DEFERRABLE INITIALLY IMMEDIATE
);
