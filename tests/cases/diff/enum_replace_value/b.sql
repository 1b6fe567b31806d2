CREATE TYPE color AS ENUM ('red', 'blue');
