CREATE TYPE amount AS (value numeric(10, 2), currency char(3));
