-- revision: 8b3e4d7a1c20
-- down_revision: 5d1f0c2a9e71
-- message: create books
-- create_date: 2026-11-23T20:52:00Z

-- migrate:up
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    published INTEGER
);
CREATE INDEX ix_books_author_id ON books (author_id);

-- migrate:down
DROP TABLE books;
