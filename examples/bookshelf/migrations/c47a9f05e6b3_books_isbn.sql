-- revision: c47a9f05e6b3
-- down_revision: 8b3e4d7a1c20
-- message: books get an isbn
-- create_date: 2026-11-23T21:05:00Z

-- migrate:up
ALTER TABLE books ADD COLUMN isbn TEXT;
CREATE UNIQUE INDEX ux_books_isbn ON books (isbn);

-- migrate:down
DROP INDEX ux_books_isbn;
ALTER TABLE books DROP COLUMN isbn;
