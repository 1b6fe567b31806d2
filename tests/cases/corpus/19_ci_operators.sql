-- Case-insensitive ordering of text: comparison functions, operators with commutators and
-- negators (declared before they exist), a btree operator class, an index using it.

CREATE SCHEMA ci;

CREATE FUNCTION ci.lt(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(a) < lower(b) $$;

CREATE FUNCTION ci.le(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(a) <= lower(b) $$;

CREATE FUNCTION ci.eq(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(a) = lower(b) $$;

CREATE FUNCTION ci.ge(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(a) >= lower(b) $$;

CREATE FUNCTION ci.gt(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(a) > lower(b) $$;

CREATE FUNCTION ci.cmp(a text, b text) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT bttextcmp(lower(a), lower(b)) $$;

CREATE OPERATOR ci.<~ (LEFTARG = text, RIGHTARG = text, FUNCTION = ci.lt,
  COMMUTATOR = OPERATOR(ci.>~), NEGATOR = OPERATOR(ci.>=~),
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel);

CREATE OPERATOR ci.<=~ (LEFTARG = text, RIGHTARG = text, FUNCTION = ci.le,
  COMMUTATOR = OPERATOR(ci.>=~), NEGATOR = OPERATOR(ci.>~),
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel);

CREATE OPERATOR ci.=~ (LEFTARG = text, RIGHTARG = text, FUNCTION = ci.eq,
  COMMUTATOR = OPERATOR(ci.=~), RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);

CREATE OPERATOR ci.>=~ (LEFTARG = text, RIGHTARG = text, FUNCTION = ci.ge,
  COMMUTATOR = OPERATOR(ci.<=~), NEGATOR = OPERATOR(ci.<~),
  RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR ci.>~ (LEFTARG = text, RIGHTARG = text, FUNCTION = ci.gt,
  COMMUTATOR = OPERATOR(ci.<~), NEGATOR = OPERATOR(ci.<=~),
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS ci.text_ci_ops FOR TYPE text USING btree AS
  OPERATOR 1 ci.<~,
  OPERATOR 2 ci.<=~,
  OPERATOR 3 ci.=~,
  OPERATOR 4 ci.>=~,
  OPERATOR 5 ci.>~,
  FUNCTION 1 ci.cmp(text, text);

CREATE TABLE ci.customers (
  id integer PRIMARY KEY,
  name text NOT NULL
);

CREATE INDEX customers_name_ci_idx ON ci.customers (name ci.text_ci_ops);

COMMENT ON OPERATOR CLASS ci.text_ci_ops USING btree IS 'Sorts text ignoring case.';

COMMENT ON OPERATOR ci.=~ (text, text) IS 'Equal ignoring case.';
