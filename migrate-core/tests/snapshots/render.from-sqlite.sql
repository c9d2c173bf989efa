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
-- down postgres
-- up postgres follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY ix_users_email_karma ON users (email, karma);
-- down postgres follow-up transaction:false
DROP INDEX CONCURRENTLY ix_users_email_karma;

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
-- down postgres
-- up postgres follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY uq_users_email ON users (email);

ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;
-- down postgres follow-up transaction:false
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
ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID;
-- down postgres
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;
-- up postgres follow-up transaction:false
ALTER TABLE users VALIDATE CONSTRAINT fk_users_team_id_teams;
-- down postgres follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;

ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID;

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
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0) NOT VALID;
-- down postgres
ALTER TABLE users DROP CONSTRAINT ck_users_karma;
-- up postgres follow-up transaction:false
ALTER TABLE users VALIDATE CONSTRAINT ck_users_karma;
-- down postgres follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT ck_users_karma;

ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0) NOT VALID;

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

-- ===== index expressions, methods, operator classes and ordering
-- create unique index ix_users_lower_email on users (lower(email))
-- create index ix_users_email_trgm on users (email)
-- create unique index ix_users_karma on users (karma, email)
-- up sqlite
CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));

CREATE INDEX ix_users_email_trgm ON users (email);

CREATE UNIQUE INDEX ix_users_karma ON users (karma DESC, email) WHERE karma > 0;
-- down sqlite
DROP INDEX ix_users_karma;

DROP INDEX ix_users_email_trgm;

DROP INDEX ix_users_lower_email;
-- up postgres
-- down postgres
-- up postgres follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY ix_users_lower_email ON users ((lower(email)));

CREATE INDEX CONCURRENTLY ix_users_email_trgm ON users USING gin (email gin_trgm_ops);

CREATE UNIQUE INDEX CONCURRENTLY ix_users_karma ON users (karma DESC NULLS LAST, email COLLATE "C" text_pattern_ops NULLS FIRST) INCLUDE (team_id) NULLS NOT DISTINCT WHERE karma > 0;
-- down postgres follow-up transaction:false
DROP INDEX CONCURRENTLY ix_users_karma;

DROP INDEX CONCURRENTLY ix_users_email_trgm;

DROP INDEX CONCURRENTLY ix_users_lower_email;

-- ===== drop indexes with expressions and options
-- drop index ix_users_email_trgm on users
-- drop index ix_users_karma on users
-- drop index ix_users_lower_email on users
-- up sqlite
DROP INDEX ix_users_email_trgm;

DROP INDEX ix_users_karma;

DROP INDEX ix_users_lower_email;
-- down sqlite
CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));

CREATE UNIQUE INDEX ix_users_karma ON users (karma, email) WHERE karma > 0;

CREATE INDEX ix_users_email_trgm ON users (email);
-- up postgres
DROP INDEX ix_users_email_trgm;

DROP INDEX ix_users_karma;

DROP INDEX ix_users_lower_email;
-- down postgres
CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));

CREATE UNIQUE INDEX ix_users_karma ON users (karma, email) WHERE karma > 0;

CREATE INDEX ix_users_email_trgm ON users (email);

-- ===== an index's method changes
-- drop index ix_users_email on users
-- create index ix_users_email on users (email)
-- up sqlite
DROP INDEX ix_users_email;

CREATE INDEX ix_users_email ON users (email);
-- down sqlite
DROP INDEX ix_users_email;

CREATE INDEX ix_users_email ON users (email);
-- up postgres
DROP INDEX ix_users_email;
-- down postgres
CREATE INDEX ix_users_email ON users (email);
-- up postgres follow-up transaction:false
CREATE INDEX CONCURRENTLY ix_users_email ON users USING hash (email);
-- down postgres follow-up transaction:false
DROP INDEX CONCURRENTLY ix_users_email;

-- ===== constraint options
-- add unique constraint uq_users_email on users
-- add check constraint ck_users_karma on users
-- add exclusion constraint ex_users_karma on users
-- add foreign key fk_users_team_id_teams on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email),
    CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON DELETE CASCADE DEFERRABLE,
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
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0) NOT VALID;

ALTER TABLE users ADD CONSTRAINT ex_users_karma EXCLUDE USING gist (karma WITH =) WHERE (karma > 0) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON DELETE CASCADE DEFERRABLE NOT VALID;
-- down postgres
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;

ALTER TABLE users DROP CONSTRAINT ex_users_karma;

ALTER TABLE users DROP CONSTRAINT ck_users_karma;
-- up postgres follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY uq_users_email ON users (email) INCLUDE (karma) NULLS NOT DISTINCT;

ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email DEFERRABLE INITIALLY DEFERRED;
-- down postgres follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT uq_users_email;

-- ===== a deferrable unique constraint becomes immediate
-- up sqlite
-- down sqlite
-- up postgres
-- down postgres

-- ===== create a table with constraint options
-- create table members
-- up sqlite
CREATE TABLE members (
    id INTEGER NOT NULL,
    email TEXT,
    karma INTEGER,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT uq_members_email UNIQUE (email),
    CONSTRAINT fk_members_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON DELETE CASCADE DEFERRABLE,
    CONSTRAINT ck_members_karma CHECK (karma >= 0)
);

CREATE UNIQUE INDEX ix_users_lower_email ON members ((lower(email)));

CREATE INDEX ix_users_email_trgm ON members (email);

CREATE UNIQUE INDEX ix_users_karma ON members (karma DESC, email) WHERE karma > 0;
-- down sqlite
DROP TABLE members;
-- up postgres
CREATE TABLE members (
    id BIGINT NOT NULL,
    email TEXT,
    karma INTEGER,
    team_id BIGINT,
    PRIMARY KEY (id),
    CONSTRAINT uq_members_email UNIQUE NULLS NOT DISTINCT (email) INCLUDE (karma) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT ex_members_karma EXCLUDE USING gist (karma WITH =) WHERE (karma > 0) DEFERRABLE INITIALLY DEFERRED
);

ALTER TABLE members ADD CONSTRAINT fk_members_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON DELETE CASCADE DEFERRABLE NOT VALID;

ALTER TABLE members ADD CONSTRAINT ck_members_karma CHECK (karma >= 0) NOT VALID;

CREATE UNIQUE INDEX ix_users_lower_email ON members ((lower(email)));

CREATE INDEX ix_users_email_trgm ON members USING gin (email gin_trgm_ops);

CREATE UNIQUE INDEX ix_users_karma ON members (karma DESC NULLS LAST, email COLLATE "C" text_pattern_ops NULLS FIRST) INCLUDE (team_id) NULLS NOT DISTINCT WHERE karma > 0;
-- down postgres
DROP TABLE members;

-- ===== a check on the key column
-- add check constraint ck_users_id on users
-- up sqlite
CREATE TABLE _migrate_new_users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT ck_users_id CHECK (id > 0)
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
ALTER TABLE users ADD CONSTRAINT ck_users_id CHECK (id > 0) NOT VALID;
-- down postgres
ALTER TABLE users DROP CONSTRAINT ck_users_id;
-- up postgres follow-up transaction:false
ALTER TABLE users VALIDATE CONSTRAINT ck_users_id;
-- down postgres follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT ck_users_id;

ALTER TABLE users ADD CONSTRAINT ck_users_id CHECK (id > 0) NOT VALID;

