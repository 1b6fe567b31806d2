CREATE TYPE priority AS ENUM ('low', 'medium', 'high');
