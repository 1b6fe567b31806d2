CREATE TYPE account_status AS ENUM ('active', 'closed');
