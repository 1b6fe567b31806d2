CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Order Line" (
    "Id" integer PRIMARY KEY,
    "select" text
);
