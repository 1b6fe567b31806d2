CREATE TYPE amount AS (value numeric(14, 4), currency char(3));
