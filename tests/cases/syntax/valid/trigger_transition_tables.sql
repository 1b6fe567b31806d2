-- CREATE OR REPLACE TRIGGER: a statement trigger with transition tables.
-- expect: ok
CREATE OR REPLACE TRIGGER orders_audit AFTER INSERT OR DELETE ON orders REFERENCING NEW TABLE AS inserted OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION audit_orders();
