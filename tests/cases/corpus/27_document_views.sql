-- Document views: security_barrier and security_invoker views, a column list with LOCAL
-- and CASCADED check options, a recursive view, a view column default.

CREATE TABLE documents (
  id integer PRIMARY KEY,
  owner_name text NOT NULL,
  title text NOT NULL,
  confidential boolean NOT NULL DEFAULT false,
  body text
);

CREATE VIEW public_documents WITH (security_barrier = true) AS
  SELECT d.id, d.title
  FROM documents AS d
  WHERE NOT d.confidential;

CREATE VIEW my_documents WITH (security_invoker = true) AS
  SELECT d.id, d.title, d.body
  FROM documents AS d
  WHERE d.owner_name = current_user;

CREATE VIEW editable_documents (doc_id, doc_title, is_confidential) AS
  SELECT d.id, d.title, d.confidential
  FROM documents AS d
  WHERE NOT d.confidential
  WITH LOCAL CHECK OPTION;

CREATE VIEW editable_short_documents AS
  SELECT e.doc_id, e.doc_title, e.is_confidential
  FROM editable_documents AS e
  WHERE length(e.doc_title) < 80
  WITH CASCADED CHECK OPTION;

CREATE RECURSIVE VIEW countdown (n) AS
  VALUES (10)
  UNION ALL
  SELECT n - 1 FROM countdown WHERE n > 1;

ALTER VIEW public_documents ALTER COLUMN title SET DEFAULT 'untitled';

ALTER VIEW my_documents SET (security_barrier = true);

GRANT SELECT ON public_documents TO PUBLIC;

COMMENT ON COLUMN editable_documents.doc_title IS 'Shown in the editor tab.';
