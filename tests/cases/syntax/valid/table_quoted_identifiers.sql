-- Quoted identifiers with spaces, quotes and reserved words.
-- expect: ok
CREATE TABLE "Order Items" ("user" text, "select" int, "we""ird" int, "CamelCase" text);
