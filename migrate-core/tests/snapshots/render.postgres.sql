-- ===== create table
-- create table projects
-- up
CREATE TABLE projects (
    id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_projects_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);

CREATE INDEX ix_projects_team_id ON projects (team_id);

COMMENT ON TABLE projects IS 'Work, grouped.';
-- down
DROP TABLE projects;

-- ===== drop table
-- drop table users
-- up
DROP TABLE users;
-- down
CREATE TABLE users (
    id BIGINT NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id BIGINT,
    PRIMARY KEY (id)
);

-- ===== add nullable column
-- add column users.bio
-- up
ALTER TABLE users ADD COLUMN bio TEXT;
-- down
ALTER TABLE users DROP COLUMN bio;

-- ===== add NOT NULL column with a default
-- add column users.active
-- up
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT true;
-- down
ALTER TABLE users DROP COLUMN active;

-- ===== add NOT NULL column without a default
-- add column users.handle
-- up
ALTER TABLE users ADD COLUMN handle TEXT NOT NULL;
-- down
ALTER TABLE users DROP COLUMN handle;

-- ===== drop column
-- drop column users.karma
-- up
ALTER TABLE users DROP COLUMN karma;
-- down
ALTER TABLE users ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;

-- ===== alter column type
-- alter column users.email: type VARCHAR(255) -> TEXT
-- up
ALTER TABLE users ALTER COLUMN email TYPE TEXT USING email::TEXT;
-- down
ALTER TABLE users ALTER COLUMN email TYPE VARCHAR(255) USING email::VARCHAR(255);

-- ===== alter column nullability
-- alter column users.email: NOT NULL -> NULL
-- up
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
-- down
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- ===== alter column default
-- alter column users.karma: default 0 -> 10
-- up
ALTER TABLE users ALTER COLUMN karma DROP DEFAULT;

ALTER TABLE users ALTER COLUMN karma SET DEFAULT 10;
-- down
ALTER TABLE users ALTER COLUMN karma DROP DEFAULT;

ALTER TABLE users ALTER COLUMN karma SET DEFAULT 0;

-- ===== alter column comment
-- alter column users.email: comment changed
-- up
COMMENT ON COLUMN users.email IS 'Where we write.';
-- down
COMMENT ON COLUMN users.email IS NULL;

-- ===== alter primary key
-- change primary key of users from (id) to (id, email)
-- up
ALTER TABLE users DROP CONSTRAINT users_pkey;

ALTER TABLE users ADD PRIMARY KEY (id, email);
-- down
ALTER TABLE users DROP CONSTRAINT users_pkey;

ALTER TABLE users ADD PRIMARY KEY (id);

-- ===== create index
-- create unique index ix_users_email_karma on users (email, karma)
-- up
-- down
-- up follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY ix_users_email_karma ON users (email, karma);
-- down follow-up transaction:false
DROP INDEX CONCURRENTLY ix_users_email_karma;

-- ===== drop partial index
-- drop index ix_users_active on users
-- up
DROP INDEX ix_users_active;
-- down
CREATE INDEX ix_users_active ON users (email) WHERE karma > 0;

-- ===== add unique constraint
-- add unique constraint uq_users_email on users
-- up
-- down
-- up follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY uq_users_email ON users (email);

ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;
-- down follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT uq_users_email;

-- ===== drop unique constraint
-- drop unique constraint uq_users_email on users
-- up
ALTER TABLE users DROP CONSTRAINT uq_users_email;
-- down
ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);

-- ===== add foreign key
-- add foreign key fk_users_team_id_teams on users
-- up
ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID;
-- down
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;
-- up follow-up transaction:false
ALTER TABLE users VALIDATE CONSTRAINT fk_users_team_id_teams;
-- down follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;

ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID;

-- ===== drop foreign key
-- drop foreign key fk_users_team_id_teams on users
-- up
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;
-- down
ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE;

-- ===== add check constraint
-- add check constraint ck_users_karma on users
-- up
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0) NOT VALID;
-- down
ALTER TABLE users DROP CONSTRAINT ck_users_karma;
-- up follow-up transaction:false
ALTER TABLE users VALIDATE CONSTRAINT ck_users_karma;
-- down follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT ck_users_karma;

ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0) NOT VALID;

-- ===== drop check constraint
-- drop check constraint ck_users_karma on users
-- up
ALTER TABLE users DROP CONSTRAINT ck_users_karma;
-- down
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0);

-- ===== create enum type and a column using it
-- create enum type mood (calm, busy)
-- add column users.mood
-- up
CREATE TYPE mood AS ENUM ('calm', 'busy');

ALTER TABLE users ADD COLUMN mood mood;
-- down
ALTER TABLE users DROP COLUMN mood;

DROP TYPE mood;

-- ===== add enum values
-- change enum type mood from (calm) to (calm, busy, it's late)
-- up transaction:false
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'busy';

ALTER TYPE mood ADD VALUE IF NOT EXISTS 'it''s late';
-- down
ALTER TYPE mood RENAME TO mood__old;

CREATE TYPE mood AS ENUM ('calm');

ALTER TABLE users ALTER COLUMN mood TYPE mood USING mood::text::mood;

DROP TYPE mood__old;

-- ===== remove an enum value
-- change enum type mood from (calm, busy) to (calm)
-- up
ALTER TYPE mood RENAME TO mood__old;

CREATE TYPE mood AS ENUM ('calm');

ALTER TABLE users ALTER COLUMN mood TYPE mood USING mood::text::mood;

DROP TYPE mood__old;
-- down transaction:false
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'busy';

-- ===== table comment
-- change the comment of table users
-- up
COMMENT ON TABLE users IS 'People who sign in.';
-- down
COMMENT ON TABLE users IS NULL;

-- ===== reserved and odd identifiers
-- create table order
-- up
CREATE TABLE "order" (
    "select" INTEGER NOT NULL,
    "Mixed Case" TEXT,
    PRIMARY KEY ("select")
);

CREATE INDEX "ix order" ON "order" ("Mixed Case");
-- down
DROP TABLE "order";

-- ===== index expressions, methods, operator classes and ordering
-- create unique index ix_users_lower_email on users (lower(email))
-- create index ix_users_email_trgm on users (email)
-- create unique index ix_users_karma on users (karma, email)
-- up
-- down
-- up follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY ix_users_lower_email ON users ((lower(email)));

CREATE INDEX CONCURRENTLY ix_users_email_trgm ON users USING gin (email gin_trgm_ops);

CREATE UNIQUE INDEX CONCURRENTLY ix_users_karma ON users (karma DESC NULLS LAST, email COLLATE "C" text_pattern_ops NULLS FIRST) INCLUDE (team_id) NULLS NOT DISTINCT WHERE karma > 0;
-- down follow-up transaction:false
DROP INDEX CONCURRENTLY ix_users_karma;

DROP INDEX CONCURRENTLY ix_users_email_trgm;

DROP INDEX CONCURRENTLY ix_users_lower_email;

-- ===== drop indexes with expressions and options
-- drop index ix_users_lower_email on users
-- drop index ix_users_email_trgm on users
-- drop index ix_users_karma on users
-- up
DROP INDEX ix_users_lower_email;

DROP INDEX ix_users_email_trgm;

DROP INDEX ix_users_karma;
-- down
CREATE UNIQUE INDEX ix_users_karma ON users (karma DESC NULLS LAST, email COLLATE "C" text_pattern_ops NULLS FIRST) INCLUDE (team_id) NULLS NOT DISTINCT WHERE karma > 0;

CREATE INDEX ix_users_email_trgm ON users USING gin (email gin_trgm_ops);

CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));

-- ===== an index's method changes
-- drop index ix_users_email on users
-- create index ix_users_email on users (email)
-- up
DROP INDEX ix_users_email;
-- down
CREATE INDEX ix_users_email ON users (email);
-- up follow-up transaction:false
CREATE INDEX CONCURRENTLY ix_users_email ON users USING hash (email);
-- down follow-up transaction:false
DROP INDEX CONCURRENTLY ix_users_email;

-- ===== constraint options
-- add unique constraint uq_users_email on users
-- add check constraint ck_users_karma on users
-- add exclusion constraint ex_users_karma on users
-- add foreign key fk_users_team_id_teams on users
-- up
ALTER TABLE users ADD CONSTRAINT ck_users_karma CHECK (karma >= 0) NOT VALID;

ALTER TABLE users ADD CONSTRAINT ex_users_karma EXCLUDE USING gist (karma WITH =) WHERE (karma > 0) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON DELETE CASCADE DEFERRABLE NOT VALID;
-- down
ALTER TABLE users DROP CONSTRAINT fk_users_team_id_teams;

ALTER TABLE users DROP CONSTRAINT ex_users_karma;

ALTER TABLE users DROP CONSTRAINT ck_users_karma;
-- up follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY uq_users_email ON users (email) INCLUDE (karma) NULLS NOT DISTINCT;

ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email DEFERRABLE INITIALLY DEFERRED;
-- down follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT uq_users_email;

-- ===== a deferrable unique constraint becomes immediate
-- drop unique constraint uq_users_email on users
-- add unique constraint uq_users_email on users
-- up
ALTER TABLE users DROP CONSTRAINT uq_users_email;
-- down
ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email) DEFERRABLE INITIALLY DEFERRED;
-- up follow-up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY uq_users_email ON users (email);

ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;
-- down follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT uq_users_email;

-- ===== create a table with constraint options
-- create table members
-- up
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
-- down
DROP TABLE members;

-- ===== a check on the key column
-- add check constraint ck_users_id on users
-- up
ALTER TABLE users ADD CONSTRAINT ck_users_id CHECK (id > 0) NOT VALID;
-- down
ALTER TABLE users DROP CONSTRAINT ck_users_id;
-- up follow-up transaction:false
ALTER TABLE users VALIDATE CONSTRAINT ck_users_id;
-- down follow-up transaction:false
ALTER TABLE users DROP CONSTRAINT ck_users_id;

ALTER TABLE users ADD CONSTRAINT ck_users_id CHECK (id > 0) NOT VALID;

