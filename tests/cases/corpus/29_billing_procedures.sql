-- Billing: procedures in plpgsql and BEGIN ATOMIC SQL, INOUT parameters, procedure grants
-- and settings, an archive table made with LIKE.

DO $$
BEGIN
  CREATE ROLE corpus_billing_procedures_clerk NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

CREATE SCHEMA billing;

CREATE TABLE billing.invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer text NOT NULL,
  total_cents bigint NOT NULL,
  issued_on date NOT NULL DEFAULT current_date,
  paid boolean NOT NULL DEFAULT false
);

CREATE TABLE billing.invoice_archive (LIKE billing.invoices);

CREATE PROCEDURE billing.archive_paid(older_than date)
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO billing.invoice_archive
  SELECT * FROM billing.invoices WHERE paid AND issued_on < older_than;
  DELETE FROM billing.invoices WHERE paid AND issued_on < older_than;
END
$$;

CREATE PROCEDURE billing.mark_paid(invoice_id bigint)
  LANGUAGE sql
  BEGIN ATOMIC
    UPDATE billing.invoices SET paid = true WHERE id = invoice_id;
  END;

CREATE PROCEDURE billing.issue(customer_name text, amount bigint, INOUT new_id bigint DEFAULT NULL)
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO billing.invoices (customer, total_cents) VALUES (customer_name, amount)
  RETURNING id INTO new_id;
END
$$;

REVOKE EXECUTE ON PROCEDURE billing.archive_paid(date) FROM PUBLIC;

GRANT EXECUTE ON PROCEDURE billing.mark_paid(bigint) TO corpus_billing_procedures_clerk;

ALTER PROCEDURE billing.archive_paid(date) SET work_mem = '64MB';

GRANT USAGE ON SCHEMA billing TO corpus_billing_procedures_clerk;

COMMENT ON PROCEDURE billing.issue(text, bigint, bigint) IS 'Returns the new invoice id.';
