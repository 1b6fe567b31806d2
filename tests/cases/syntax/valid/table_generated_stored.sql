-- Stored generated column.
-- expect: ok
CREATE TABLE line_items (price numeric, qty int, total numeric GENERATED ALWAYS AS (price * qty) STORED);
