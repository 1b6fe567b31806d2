-- Inventory: SKUs numbered by a schema sequence (pg_dump's nextval('...') form), stock moves.

CREATE SCHEMA inv;

CREATE SEQUENCE inv.sku_seq AS integer START WITH 10000 INCREMENT BY 7 MINVALUE 10000 MAXVALUE 9999999 CACHE 20;

CREATE TABLE inv.items (
  sku integer PRIMARY KEY DEFAULT nextval('inv.sku_seq'),
  name text NOT NULL,
  unit text NOT NULL DEFAULT 'pcs'
);

ALTER SEQUENCE inv.sku_seq OWNED BY inv.items.sku;

CREATE SEQUENCE inv.move_no CYCLE;

CREATE TABLE inv.moves (
  id bigint PRIMARY KEY DEFAULT nextval('inv.move_no'::regclass),
  sku integer NOT NULL REFERENCES inv.items,
  qty integer NOT NULL CHECK (qty <> 0),
  moved_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE inv.move_no OWNED BY inv.moves.id;

CREATE VIEW inv.stock AS
  SELECT i.sku, i.name, coalesce(sum(m.qty), 0) AS on_hand
  FROM inv.items AS i
  LEFT JOIN inv.moves AS m ON m.sku = i.sku
  GROUP BY i.sku, i.name;

CREATE FUNCTION inv.table_size(rel regclass) RETURNS bigint
  LANGUAGE sql STABLE
  AS $$ SELECT pg_relation_size(rel) $$;

CREATE VIEW inv.sizes AS
  SELECT 'inv.items'::regclass AS rel, inv.table_size('inv.items'::regclass) AS bytes
  UNION ALL
  SELECT 'inv.moves'::regclass, inv.table_size('inv.moves');

COMMENT ON SEQUENCE inv.sku_seq IS 'SKUs are spaced by 7 so typos rarely hit a real one.';
