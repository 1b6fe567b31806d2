CREATE TABLE project (
    id integer PRIMARY KEY,
    name text NOT NULL
);
ALTER TABLE project ENABLE ROW LEVEL SECURITY;
CREATE TABLE project_member (
    project_id integer NOT NULL REFERENCES project ON DELETE CASCADE,
    member name NOT NULL,
    PRIMARY KEY (project_id, member)
);
CREATE POLICY project_visible ON project FOR SELECT
    USING (EXISTS (SELECT FROM project_member AS m
                   WHERE m.project_id = project.id AND m.member = current_user));
