-- CREATE TYPE ... AS ENUM.
-- expect: ok
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
