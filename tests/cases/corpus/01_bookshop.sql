-- Bookshop: authors, books and a catalogue view; a reader and a writer API role.

DO $$
BEGIN
  CREATE ROLE corpus_bookshop_reader NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

DO $$
BEGIN
  CREATE ROLE corpus_bookshop_writer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

GRANT corpus_bookshop_reader TO corpus_bookshop_writer;

CREATE SCHEMA shop;

CREATE TABLE shop.authors (
  id serial PRIMARY KEY,
  name text NOT NULL,
  born date
);

CREATE TABLE shop.books (
  id serial PRIMARY KEY,
  author_id integer NOT NULL REFERENCES shop.authors (id) ON DELETE CASCADE,
  title text NOT NULL,
  isbn text UNIQUE,
  price numeric(8, 2) NOT NULL CHECK (price >= 0),
  published_on date
);

CREATE INDEX books_author_id_idx ON shop.books (author_id);

CREATE VIEW shop.book_list AS
  SELECT b.id, b.title, a.name AS author, b.price
  FROM shop.books AS b
  JOIN shop.authors AS a ON a.id = b.author_id;

GRANT USAGE ON SCHEMA shop TO corpus_bookshop_reader;

GRANT SELECT ON shop.authors, shop.books, shop.book_list TO corpus_bookshop_reader;

GRANT INSERT, UPDATE ON shop.books TO corpus_bookshop_writer;

GRANT USAGE ON SEQUENCE shop.books_id_seq TO corpus_bookshop_writer;

COMMENT ON TABLE shop.books IS 'Every title the shop sells.';

COMMENT ON COLUMN shop.books.price IS 'Price in EUR, VAT included.';
