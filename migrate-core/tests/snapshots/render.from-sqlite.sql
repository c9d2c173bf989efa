-- ===== create table
-- create table projects
-- up sqlite
CREATE TABLE projects (
    id INTEGER NOT NULL,
    team_id INTEGER NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_projects_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);

CREATE INDEX ix_projects_team_id ON projects (team_id);
-- down sqlite
DROP TABLE projects;
-- up postgres
CREATE TABLE projects (
    id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_projects_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);

CREATE INDEX ix_projects_team_id ON projects (team_id);

COMMENT ON TABLE projects IS 'Work, grouped.';
-- down postgres
DROP TABLE projects;

-- ===== drop table
-- drop table users
-- up sqlite
DROP TABLE users;
-- down sqlite
CREATE TABLE users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);
-- up postgres
DROP TABLE users;
-- down postgres
CREATE TABLE users (
    id BIGINT NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma BIGINT NOT NULL DEFAULT 0,
    team_id BIGINT,
    PRIMARY KEY (id)
);

-- ===== add nullable column
-- add column users.bio
-- up sqlite
ALTER TABLE users ADD COLUMN bio TEXT;
-- down sqlite
ALTER TABLE users DROP COLUMN bio;
-- up postgres
ALTER TABLE users ADD COLUMN bio TEXT;
-- down postgres
ALTER TABLE users DROP COLUMN bio;

-- ===== add NOT NULL column with a default
-- add column users.active
-- up sqlite
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT true;
-- down sqlite
ALTER TABLE users DROP COLUMN active;
-- up postgres
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT true;
-- down postgres
ALTER TABLE users DROP COLUMN active;

-- ===== add NOT NULL column without a default
-- add column users.handle
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    handle TEXT NOT NULL,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
ALTER TABLE users DROP COLUMN handle;
-- up postgres
ALTER TABLE users ADD COLUMN handle TEXT NOT NULL;
-- down postgres
ALTER TABLE users DROP COLUMN handle;

-- ===== drop column
-- drop column users.karma
-- up sqlite
ALTER TABLE users DROP COLUMN karma;
-- down sqlite
ALTER TABLE users ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
-- up postgres
ALTER TABLE users DROP COLUMN karma;
-- down postgres
ALTER TABLE users ADD COLUMN karma BIGINT NOT NULL DEFAULT 0;

-- ===== alter column type
-- alter column users.email: type VARCHAR(255) -> TEXT
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email TEXT NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users ALTER COLUMN email TYPE TEXT USING email::TEXT;
-- down postgres
ALTER TABLE users ALTER COLUMN email TYPE VARCHAR(255) USING email::VARCHAR(255);

-- ===== alter column nullability
-- alter column users.email: NOT NULL -> NULL
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255),
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
-- down postgres
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- ===== alter column default
-- alter column users.karma: default 0 -> 10
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 10,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users ALTER COLUMN karma DROP DEFAULT;

ALTER TABLE users ALTER COLUMN karma SET DEFAULT 10;
-- down postgres
ALTER TABLE users ALTER COLUMN karma DROP DEFAULT;

ALTER TABLE users ALTER COLUMN karma SET DEFAULT 0;

-- ===== alter column comment
-- up sqlite
-- down sqlite
-- up postgres
-- down postgres

-- ===== alter primary key
-- change primary key of users from (id) to (id, email)
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id, email)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users DROP CONSTRAINT users_pkey;

ALTER TABLE users ADD PRIMARY KEY (id, email);
-- down postgres
ALTER TABLE users DROP CONSTRAINT users_pkey;

ALTER TABLE users ADD PRIMARY KEY (id);

-- ===== create index
-- create unique index ix_users_email_karma on users (email, karma)
-- up sqlite
CREATE UNIQUE INDEX ix_users_email_karma ON users (email, karma);
-- down sqlite
DROP INDEX ix_users_email_karma;
-- up postgres
CREATE UNIQUE INDEX ix_users_email_karma ON users (email, karma);
-- down postgres
DROP INDEX ix_users_email_karma;

-- ===== drop partial index
-- drop index ix_users_active on users
-- up sqlite
DROP INDEX ix_users_active;
-- down sqlite
CREATE INDEX ix_users_active ON users (email) WHERE karma > 0;
-- up postgres
DROP INDEX ix_users_active;
-- down postgres
CREATE INDEX ix_users_active ON users (email) WHERE karma > 0;

-- ===== add unique constraint
-- add unique constraint uq_users_email on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);
-- down postgres
ALTER TABLE users DROP CONSTRAINT uq_users_email;

-- ===== drop unique constraint
-- drop unique constraint uq_users_email on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users DROP CONSTRAINT uq_users_email;
-- down postgres
ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);

-- ===== add foreign key
-- add foreign key fk_users_team_id_teams on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE;
-- down postgres
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;

-- ===== drop foreign key
-- drop foreign key fk_users_team_id_teams on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;
-- down postgres
ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE;

-- ===== add check constraint
-- add check constraint ck_users_karma on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT ck_users_karma CHECK (karma >= 0)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0);
-- down postgres
ALTER TABLE users DROP CONSTRAINT ck_users_karma;

-- ===== drop check constraint
-- drop check constraint ck_users_karma on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT ck_users_karma CHECK (karma >= 0)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TABLE users DROP CONSTRAINT ck_users_karma;
-- down postgres
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0);

-- ===== create enum type and a column using it
-- create enum type mood (calm, busy)
-- add column users.mood
-- up sqlite
ALTER TABLE users ADD COLUMN mood TEXT CONSTRAINT mood CHECK (mood IN ('calm', 'busy'));
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
CREATE TYPE mood AS ENUM ('calm', 'busy');

ALTER TABLE users ADD COLUMN mood mood;
-- down postgres
ALTER TABLE users DROP COLUMN mood;

DROP TYPE mood;

-- ===== add enum values
-- change enum type mood from (calm) to (calm, busy, it's late)
-- alter column users.mood: allowed values changed
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    mood TEXT CONSTRAINT mood CHECK (mood IN ('calm', 'busy', 'it''s late')),
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id, mood) SELECT id, email, karma, team_id, mood FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    mood TEXT CONSTRAINT mood CHECK (mood IN ('calm')),
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id, mood) SELECT id, email, karma, team_id, mood FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres transaction:false
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'busy';

ALTER TYPE mood ADD VALUE IF NOT EXISTS 'it''s late';
-- down postgres
ALTER TYPE mood RENAME TO mood__old;

CREATE TYPE mood AS ENUM ('calm');

ALTER TABLE users ALTER COLUMN mood TYPE mood USING mood::text::mood;

DROP TYPE mood__old;

-- ===== remove an enum value
-- change enum type mood from (calm, busy) to (calm)
-- alter column users.mood: allowed values changed
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    mood TEXT CONSTRAINT mood CHECK (mood IN ('calm')),
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id, mood) SELECT id, email, karma, team_id, mood FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- down sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    mood TEXT CONSTRAINT mood CHECK (mood IN ('calm', 'busy')),
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_users (id, email, karma, team_id, mood) SELECT id, email, karma, team_id, mood FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
-- up postgres
ALTER TYPE mood RENAME TO mood__old;

CREATE TYPE mood AS ENUM ('calm');

ALTER TABLE users ALTER COLUMN mood TYPE mood USING mood::text::mood;

DROP TYPE mood__old;
-- down postgres transaction:false
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'busy';

-- ===== table comment
-- up sqlite
-- down sqlite
-- up postgres
-- down postgres

-- ===== reserved and odd identifiers
-- create table order
-- up sqlite
CREATE TABLE "order" (
    "select" INTEGER NOT NULL,
    "Mixed Case" TEXT,
    PRIMARY KEY ("select")
);

CREATE INDEX "ix order" ON "order" ("Mixed Case");
-- down sqlite
DROP TABLE "order";
-- up postgres
CREATE TABLE "order" (
    "select" INTEGER NOT NULL,
    "Mixed Case" TEXT,
    PRIMARY KEY ("select")
);

CREATE INDEX "ix order" ON "order" ("Mixed Case");
-- down postgres
DROP TABLE "order";

