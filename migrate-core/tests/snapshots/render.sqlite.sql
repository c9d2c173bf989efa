-- ===== create table
-- create table projects
-- up
CREATE TABLE projects (
    id INTEGER NOT NULL,
    team_id INTEGER NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_projects_team_id_teams FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);

CREATE INDEX ix_projects_team_id ON projects (team_id);
-- down
DROP TABLE projects;

-- ===== drop table
-- drop table users
-- up
DROP TABLE users;
-- down
CREATE TABLE users (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    karma INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER,
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
-- down
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

-- ===== alter column nullability
-- alter column users.email: NOT NULL -> NULL
-- up
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
-- down
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

-- ===== alter column default
-- alter column users.karma: default 0 -> 10
-- up
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
-- down
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

-- ===== alter column comment
-- up
-- down

-- ===== alter primary key
-- change primary key of users from (id) to (id, email)
-- up
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
-- down
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

-- ===== create index
-- create unique index ix_users_email_karma on users (email, karma)
-- up
CREATE UNIQUE INDEX ix_users_email_karma ON users (email, karma);
-- down
DROP INDEX ix_users_email_karma;

-- ===== drop partial index
-- drop index ix_users_active on users
-- up
DROP INDEX ix_users_active;
-- down
CREATE INDEX ix_users_active ON users (email) WHERE karma > 0;

-- ===== add unique constraint
-- add unique constraint uq_users_email on users
-- up
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
-- down
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

-- ===== drop unique constraint
-- drop unique constraint uq_users_email on users
-- up
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
-- down
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

-- ===== add foreign key
-- add foreign key fk_users_team_id_teams on users
-- up
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
-- down
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

-- ===== drop foreign key
-- drop foreign key fk_users_team_id_teams on users
-- up
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
-- down
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

-- ===== add check constraint
-- add check constraint ck_users_karma on users
-- up
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
-- down
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

-- ===== drop check constraint
-- drop check constraint ck_users_karma on users
-- up
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
-- down
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

-- ===== create enum type and a column using it
-- add column users.mood
-- up
ALTER TABLE users ADD COLUMN mood TEXT CONSTRAINT mood CHECK (mood IN ('calm', 'busy'));
-- down
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

-- ===== add enum values
-- alter column users.mood: allowed values changed
-- up
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
-- down
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

-- ===== remove an enum value
-- alter column users.mood: allowed values changed
-- up
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
-- down
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

-- ===== table comment
-- up
-- down

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
CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));

CREATE INDEX ix_users_email_trgm ON users (email);

CREATE UNIQUE INDEX ix_users_karma ON users (karma DESC, email) WHERE karma > 0;
-- down
DROP INDEX ix_users_karma;

DROP INDEX ix_users_email_trgm;

DROP INDEX ix_users_lower_email;

-- ===== drop indexes with expressions and options
-- drop index ix_users_lower_email on users
-- drop index ix_users_email_trgm on users
-- drop index ix_users_karma on users
-- up
DROP INDEX ix_users_lower_email;

DROP INDEX ix_users_email_trgm;

DROP INDEX ix_users_karma;
-- down
CREATE UNIQUE INDEX ix_users_karma ON users (karma DESC, email) WHERE karma > 0;

CREATE INDEX ix_users_email_trgm ON users (email);

CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));

-- ===== an index's method changes
-- up
-- down

-- ===== constraint options
-- add unique constraint uq_users_email on users
-- add check constraint ck_users_karma on users
-- add foreign key fk_users_team_id_teams on users
-- up
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
-- down
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

-- ===== a deferrable unique constraint becomes immediate
-- up
-- down

-- ===== create a table with constraint options
-- create table members
-- up
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
-- down
DROP TABLE members;

-- ===== a check on the key column
-- add check constraint ck_users_id on users
-- up
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
-- down
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

