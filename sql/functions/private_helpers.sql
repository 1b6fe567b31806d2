-- Membership look-ups for the RLS policies of sql/policies/ (contract: docs/rls.md).
--
-- Why SECURITY DEFINER: a policy on company_members that reads company_members recurses
-- forever, and a per-row join in every policy is slow. These helpers run as the table owner
-- (RLS is not forced on the tables they read, see docs/rls.md), read the membership tables
-- once per statement and return sets, used as `col IN (SELECT private.fn())` so PostgreSQL
-- evaluates them once (InitPlan / hashed SubPlan) instead of once per row.
-- Why plpgsql: its body is not resolved at CREATE time, so the helpers do not depend on the
-- order in which the tables are created.
-- Why search_path = '': a definer function must not resolve names through the caller's path.

CREATE SCHEMA IF NOT EXISTS private;

-- The API does not expose this schema; only signed-in users may call what policies call.
REVOKE ALL ON SCHEMA private FROM PUBLIC;

GRANT USAGE ON SCHEMA private TO authenticated;

-- Companies where the caller's company role is one of roles.
CREATE OR REPLACE FUNCTION private.company_ids_with_role(roles text[])
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN QUERY
    SELECT cm.company_id
    FROM public.company_members AS cm
    WHERE cm.user_id = (SELECT auth.uid())
      AND cm.role = ANY (roles);
END;
$$;

-- Projects (of which the caller holds one of project_roles via project_members, or via an
-- active delegation when with_delegations) plus every project of the companies where the
-- caller's company role is one of company_roles. The building block of the derived rights.
CREATE OR REPLACE FUNCTION private.project_ids(
  company_roles text[],
  project_roles text[],
  with_delegations boolean
)
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := (SELECT auth.uid());
BEGIN
  IF me IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT p.id
    FROM public.projects AS p
    WHERE p.company_id IN (
      SELECT cm.company_id
      FROM public.company_members AS cm
      WHERE cm.user_id = me AND cm.role = ANY (company_roles)
    )
    UNION
    SELECT pm.project_id
    FROM public.project_members AS pm
    WHERE pm.user_id = me AND pm.role = ANY (project_roles)
    UNION
    SELECT p.id
    FROM public.permission_delegations AS d
    JOIN public.projects AS p
      -- Guarded cast: a malformed scope must not make every policy raise.
      ON p.id = CASE
        WHEN d.scope ~ '^project:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        THEN substr(d.scope, 9)::uuid
      END
    WHERE with_delegations
      AND d.to_user_id = me
      AND d.permissions ->> 'role' = ANY (project_roles)
      AND d.valid_from <= now()
      AND now() < d.valid_until;
END;
$$;

-- Projects the caller holds one of roles on: project_members or an active delegation.
CREATE OR REPLACE FUNCTION private.project_ids_with_role(roles text[])
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(ARRAY[]::text[], roles, true)
$$;

-- Projects the caller holds one of roles on through project_members only (no delegation).
CREATE OR REPLACE FUNCTION private.held_project_ids_with_role(roles text[])
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(ARRAY[]::text[], roles, false)
$$;

-- Every project of the companies where the caller's company role is one of roles.
CREATE OR REPLACE FUNCTION private.company_project_ids(roles text[])
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(roles, ARRAY[]::text[], false)
$$;

-- reads P: any member of C, any member of P, any active delegate on P.
CREATE OR REPLACE FUNCTION private.readable_project_ids()
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(
    ARRAY['owner', 'admin', 'billing_admin', 'member'],
    ARRAY['project_owner', 'project_admin', 'developer', 'analyst'],
    true
  )
$$;

-- writes P: owner/admin of C, project_owner/project_admin/developer of P (or delegated).
CREATE OR REPLACE FUNCTION private.writable_project_ids()
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(
    ARRAY['owner', 'admin'],
    ARRAY['project_owner', 'project_admin', 'developer'],
    true
  )
$$;

-- administers P: owner/admin of C, project_owner/project_admin of P (or delegated).
CREATE OR REPLACE FUNCTION private.administered_project_ids()
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(ARRAY['owner', 'admin'], ARRAY['project_owner', 'project_admin'], true)
$$;

-- administers P without counting delegations: for rights a delegate could make permanent
-- (project membership, API keys).
CREATE OR REPLACE FUNCTION private.held_administered_project_ids()
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT private.project_ids(
    ARRAY['owner', 'admin'], ARRAY['project_owner', 'project_admin'], false
  )
$$;

-- Users sharing a company_members company or a project_members project with the caller,
-- and the caller.
CREATE OR REPLACE FUNCTION private.co_member_user_ids()
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := (SELECT auth.uid());
BEGIN
  IF me IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT me
    UNION
    SELECT other.user_id
    FROM public.company_members AS mine
    JOIN public.company_members AS other ON other.company_id = mine.company_id
    WHERE mine.user_id = me
    UNION
    SELECT other.user_id
    FROM public.project_members AS mine
    JOIN public.project_members AS other ON other.project_id = mine.project_id
    WHERE mine.user_id = me;
END;
$$;

-- API keys of the companies where the caller is owner or admin (for api_key_usage).
CREATE OR REPLACE FUNCTION private.administered_api_key_ids()
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN QUERY
    SELECT k.id
    FROM public.api_keys AS k
    WHERE k.company_id IN (
      SELECT cm.company_id
      FROM public.company_members AS cm
      WHERE cm.user_id = (SELECT auth.uid()) AND cm.role IN ('owner', 'admin')
    );
END;
$$;

-- Whether the agent belongs to the project (WITH CHECK of transfers and schedules: a
-- transfer must not reference another tenant's agent). Evaluated once per written row.
CREATE OR REPLACE FUNCTION private.agent_in_project(agent_id uuid, project_id uuid)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM public.agents AS a
    WHERE a.id = agent_in_project.agent_id AND a.project_id = agent_in_project.project_id
  );
END;
$$;

-- Whether the project belongs to the company, as stored (WITH CHECK of projects, api_keys).
CREATE OR REPLACE FUNCTION private.project_in_company(project_id uuid, company_id uuid)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM public.projects AS p
    WHERE p.id = project_in_company.project_id AND p.company_id = project_in_company.company_id
  );
END;
$$;

-- Whether the caller holds exactly role on the project named by scope ('project:<uuid>')
-- through project_members: only such a role may be delegated (not one held by delegation).
CREATE OR REPLACE FUNCTION private.can_delegate(scope text, role text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM public.project_members AS pm
    WHERE pm.user_id = (SELECT auth.uid())
      AND pm.role = can_delegate.role
      AND can_delegate.scope = 'project:' || pm.project_id::text
  );
END;
$$;

-- Whether the company still has an owner, or no longer exists (a cascade from deleting the
-- company removes its last owner legitimately). VOLATILE: the last-owner trigger calls it
-- after the statement and must see the statement's own changes.
CREATE OR REPLACE FUNCTION private.company_has_owner(company_id uuid)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN NOT EXISTS (SELECT 1 FROM public.companies AS c WHERE c.id = company_has_owner.company_id)
    OR EXISTS (
      SELECT 1
      FROM public.company_members AS cm
      WHERE cm.company_id = company_has_owner.company_id AND cm.role = 'owner'
    );
END;
$$;

-- Functions are executable by PUBLIC by default: only signed-in users call these.
REVOKE ALL ON FUNCTION
  private.company_ids_with_role(text[]),
  private.project_ids(text[], text[], boolean),
  private.project_ids_with_role(text[]),
  private.held_project_ids_with_role(text[]),
  private.company_project_ids(text[]),
  private.readable_project_ids(),
  private.writable_project_ids(),
  private.administered_project_ids(),
  private.held_administered_project_ids(),
  private.co_member_user_ids(),
  private.administered_api_key_ids(),
  private.agent_in_project(uuid, uuid),
  private.project_in_company(uuid, uuid),
  private.can_delegate(text, text),
  private.company_has_owner(uuid)
FROM PUBLIC;

GRANT EXECUTE ON FUNCTION
  private.company_ids_with_role(text[]),
  private.project_ids(text[], text[], boolean),
  private.project_ids_with_role(text[]),
  private.held_project_ids_with_role(text[]),
  private.company_project_ids(text[]),
  private.readable_project_ids(),
  private.writable_project_ids(),
  private.administered_project_ids(),
  private.held_administered_project_ids(),
  private.co_member_user_ids(),
  private.administered_api_key_ids(),
  private.agent_in_project(uuid, uuid),
  private.project_in_company(uuid, uuid),
  private.can_delegate(text, text),
  private.company_has_owner(uuid)
TO authenticated;
