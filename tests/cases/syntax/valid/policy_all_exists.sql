-- A FOR ALL policy with a sub-select.
-- expect: ok
CREATE POLICY members ON projects FOR ALL TO CURRENT_USER USING (EXISTS (SELECT 1 FROM project_members pm WHERE pm.project_id = projects.id AND pm.user_id = auth.uid()));
