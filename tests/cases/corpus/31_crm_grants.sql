-- CRM: roles with memberships, settings and comments; grants on a schema, table columns,
-- a type, a domain, a function (with grant option), a serial's sequence, all tables.

DO $$
BEGIN
  CREATE ROLE corpus_crm_grants_analyst NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

DO $$
BEGIN
  CREATE ROLE corpus_crm_grants_support NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

DO $$
BEGIN
  CREATE ROLE corpus_crm_grants_etl NOLOGIN CONNECTION LIMIT 4;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

GRANT corpus_crm_grants_analyst TO corpus_crm_grants_support WITH ADMIN OPTION;

ALTER ROLE corpus_crm_grants_etl SET statement_timeout = '5min';

COMMENT ON ROLE corpus_crm_grants_analyst IS 'Read-only analytics.';

CREATE SCHEMA crm;

CREATE TYPE crm.tier AS ENUM ('free', 'pro', 'enterprise');

CREATE DOMAIN crm.phone AS text CHECK (VALUE ~ '^\+[0-9]{6,15}$');

CREATE TABLE crm.customers (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  tier crm.tier NOT NULL DEFAULT 'free',
  phone crm.phone,
  notes text
);

CREATE FUNCTION crm.customer_label(c crm.customers) RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT c.name || ' (' || c.tier || ')' $$;

GRANT USAGE ON SCHEMA crm TO corpus_crm_grants_analyst, corpus_crm_grants_support, corpus_crm_grants_etl;

GRANT SELECT (id, name, tier) ON crm.customers TO corpus_crm_grants_analyst;

GRANT SELECT, UPDATE (notes) ON crm.customers TO corpus_crm_grants_support;

GRANT USAGE ON TYPE crm.tier TO corpus_crm_grants_analyst;

GRANT USAGE ON DOMAIN crm.phone TO corpus_crm_grants_support;

REVOKE ALL ON FUNCTION crm.customer_label(crm.customers) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION crm.customer_label(crm.customers) TO corpus_crm_grants_support WITH GRANT OPTION;

GRANT SELECT, USAGE ON SEQUENCE crm.customers_id_seq TO corpus_crm_grants_etl;

GRANT INSERT ON ALL TABLES IN SCHEMA crm TO corpus_crm_grants_etl;
