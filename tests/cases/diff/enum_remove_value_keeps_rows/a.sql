CREATE TYPE doc_state AS ENUM ('draft', 'review', 'published');
CREATE TABLE article (
    id integer PRIMARY KEY,
    state doc_state NOT NULL DEFAULT 'draft'
);
