-- revision: 1f4e2a9c0b13
-- down_revision: none
-- message: create starts

-- migrate:up postgres
CREATE TABLE starts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pid BIGINT NOT NULL
);

-- migrate:up sqlite
CREATE TABLE starts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pid INTEGER NOT NULL
);

-- migrate:down
DROP TABLE starts;
