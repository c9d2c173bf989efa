-- revision: 5d1f0c2a9e71
-- down_revision: none
-- message: create authors
-- create_date: 2026-11-23T20:45:00Z

-- migrate:up
CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- migrate:down
DROP TABLE authors;
