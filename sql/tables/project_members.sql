-- Project membership: direct access to one project, with a project role.
CREATE TABLE project_members (
  project_id UUID REFERENCES projects(id) ON DELETE CASCADE,
  user_id UUID REFERENCES auth.users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('project_owner', 'project_admin', 'developer', 'analyst')),
  permissions JSONB DEFAULT '{}',
  -- SET NULL: deleting the adding user must not fail nor remove the membership.
  added_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  added_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (project_id, user_id)
);

-- RLS looks memberships up by user ("my projects"); the primary key leads with project_id.
CREATE INDEX project_members_user_id_idx ON project_members (user_id, project_id);
CREATE INDEX project_members_added_by_idx ON project_members (added_by);
