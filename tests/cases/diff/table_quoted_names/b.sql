CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Order Line" (
    "Id" integer PRIMARY KEY,
    "select" text,
    "camelCase" integer DEFAULT 0
);
CREATE INDEX "Order Line by camelCase" ON "Sales"."Order Line" ("camelCase");
COMMENT ON COLUMN "Sales"."Order Line"."select" IS 'a reserved word';
