-- ===== create table
-- create table projects
-- up
CREATE TABLE `projects` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `team_id` BIGINT NOT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_projects_team_id_teams` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE
) COMMENT = 'Work, grouped.';

CREATE INDEX `ix_projects_team_id` ON `projects` (`team_id`);
-- down
DROP TABLE `projects`;

-- ===== drop table
-- drop table users
-- up
DROP TABLE `users`;
-- down
CREATE TABLE `users` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    `karma` INT NOT NULL DEFAULT 0,
    `team_id` BIGINT,
    PRIMARY KEY (`id`)
);

-- ===== add nullable column
-- add column users.bio
-- up
ALTER TABLE `users` ADD COLUMN `bio` TEXT;
-- down
ALTER TABLE `users` DROP COLUMN `bio`;

-- ===== add NOT NULL column with a default
-- add column users.active
-- up
ALTER TABLE `users` ADD COLUMN `active` BOOLEAN NOT NULL DEFAULT true;
-- down
ALTER TABLE `users` DROP COLUMN `active`;

-- ===== add NOT NULL column without a default
-- add column users.handle
-- up
ALTER TABLE `users` ADD COLUMN `handle` TEXT NOT NULL;
-- down
ALTER TABLE `users` DROP COLUMN `handle`;

-- ===== drop column
-- drop column users.karma
-- up
ALTER TABLE `users` DROP COLUMN `karma`;
-- down
ALTER TABLE `users` ADD COLUMN `karma` INT NOT NULL DEFAULT 0;

-- ===== alter column type
-- alter column users.email: type VARCHAR(255) -> TEXT
-- up
ALTER TABLE `users` MODIFY COLUMN `email` TEXT NOT NULL;
-- down
ALTER TABLE `users` MODIFY COLUMN `email` VARCHAR(255) NOT NULL;

-- ===== alter column nullability
-- alter column users.email: NOT NULL -> NULL
-- up
ALTER TABLE `users` MODIFY COLUMN `email` VARCHAR(255);
-- down
ALTER TABLE `users` MODIFY COLUMN `email` VARCHAR(255) NOT NULL;

-- ===== alter column default
-- alter column users.karma: default 0 -> 10
-- up
ALTER TABLE `users` MODIFY COLUMN `karma` INT NOT NULL DEFAULT 10;
-- down
ALTER TABLE `users` MODIFY COLUMN `karma` INT NOT NULL DEFAULT 0;

-- ===== alter column comment
-- alter column users.email: comment changed
-- up
ALTER TABLE `users` MODIFY COLUMN `email` VARCHAR(255) NOT NULL COMMENT 'Where we write.';
-- down
ALTER TABLE `users` MODIFY COLUMN `email` VARCHAR(255) NOT NULL;

-- ===== alter primary key
-- change primary key of users from (id) to (id, email)
-- up
ALTER TABLE `users` MODIFY COLUMN `id` BIGINT NOT NULL;

ALTER TABLE `users` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `email`);
-- down
ALTER TABLE `users` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`);

ALTER TABLE `users` MODIFY COLUMN `id` BIGINT NOT NULL AUTO_INCREMENT;

-- ===== create index
-- add unique constraint ix_users_email_karma on users
-- up
ALTER TABLE `users` ADD CONSTRAINT `ix_users_email_karma` UNIQUE (`email`, `karma`), ALGORITHM=INPLACE, LOCK=NONE;
-- down
ALTER TABLE `users` DROP INDEX `ix_users_email_karma`;

-- ===== drop partial index
-- drop index ix_users_active on users
-- up
ALTER TABLE `users` DROP INDEX `ix_users_active`;
-- down
CREATE INDEX `ix_users_active` ON `users` (`email`) ALGORITHM=INPLACE LOCK=NONE;

-- ===== add unique constraint
-- add unique constraint uq_users_email on users
-- up
ALTER TABLE `users` ADD CONSTRAINT `uq_users_email` UNIQUE (`email`), ALGORITHM=INPLACE, LOCK=NONE;
-- down
ALTER TABLE `users` DROP INDEX `uq_users_email`;

-- ===== drop unique constraint
-- drop unique constraint uq_users_email on users
-- up
ALTER TABLE `users` DROP INDEX `uq_users_email`;
-- down
ALTER TABLE `users` ADD CONSTRAINT `uq_users_email` UNIQUE (`email`), ALGORITHM=INPLACE, LOCK=NONE;

-- ===== add foreign key
-- add foreign key fk_users_team_id_teams on users
-- up
ALTER TABLE `users` ADD CONSTRAINT `fk_users_team_id_teams` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE;
-- down
ALTER TABLE `users` DROP FOREIGN KEY `fk_users_team_id_teams`, DROP INDEX `fk_users_team_id_teams`;

-- ===== drop foreign key
-- drop foreign key fk_users_team_id_teams on users
-- up
ALTER TABLE `users` DROP FOREIGN KEY `fk_users_team_id_teams`, DROP INDEX `fk_users_team_id_teams`;
-- down
ALTER TABLE `users` ADD CONSTRAINT `fk_users_team_id_teams` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE;

-- ===== add check constraint
-- add check constraint ck_users_karma on users
-- up
ALTER TABLE `users` ADD CONSTRAINT `ck_users_karma` CHECK (karma >= 0);
-- down
ALTER TABLE `users` DROP CONSTRAINT `ck_users_karma`;

-- ===== drop check constraint
-- drop check constraint ck_users_karma on users
-- up
ALTER TABLE `users` DROP CONSTRAINT `ck_users_karma`;
-- down
ALTER TABLE `users` ADD CONSTRAINT `ck_users_karma` CHECK (karma >= 0);

-- ===== create enum type and a column using it
-- add column users.mood
-- up
ALTER TABLE `users` ADD COLUMN `mood` ENUM('calm', 'busy');
-- down
ALTER TABLE `users` DROP COLUMN `mood`;

-- ===== add enum values
-- alter column users.mood: allowed values changed
-- up
ALTER TABLE `users` MODIFY COLUMN `mood` ENUM('calm', 'busy', 'it''s late');
-- down
ALTER TABLE `users` MODIFY COLUMN `mood` ENUM('calm');

-- ===== remove an enum value
-- alter column users.mood: allowed values changed
-- up
ALTER TABLE `users` MODIFY COLUMN `mood` ENUM('calm');
-- down
ALTER TABLE `users` MODIFY COLUMN `mood` ENUM('calm', 'busy');

-- ===== table comment
-- change the comment of table users
-- up
ALTER TABLE `users` COMMENT = 'People who sign in.';
-- down
ALTER TABLE `users` COMMENT = '';

-- ===== reserved and odd identifiers
-- create table order
-- up
CREATE TABLE `order` (
    `select` INT NOT NULL AUTO_INCREMENT,
    `Mixed Case` TEXT,
    PRIMARY KEY (`select`)
);

CREATE INDEX `ix order` ON `order` (`Mixed Case`(255));
-- down
DROP TABLE `order`;

-- ===== index expressions, methods, operator classes and ordering
-- create unique index ix_users_lower_email on users (lower(email))
-- create index ix_users_email_trgm on users (email)
-- add unique constraint ix_users_karma on users
-- up
CREATE UNIQUE INDEX `ix_users_lower_email` ON `users` ((lower(email)));

CREATE INDEX `ix_users_email_trgm` ON `users` (`email`);

ALTER TABLE `users` ADD CONSTRAINT `ix_users_karma` UNIQUE (`karma`, `email`), ALGORITHM=INPLACE, LOCK=NONE;
-- down
ALTER TABLE `users` DROP INDEX `ix_users_karma`;

ALTER TABLE `users` DROP INDEX `ix_users_email_trgm`;

ALTER TABLE `users` DROP INDEX `ix_users_lower_email`;

-- ===== drop indexes with expressions and options
-- drop unique constraint ix_users_karma on users
-- drop index ix_users_lower_email on users
-- drop index ix_users_email_trgm on users
-- up
ALTER TABLE `users` DROP INDEX `ix_users_karma`;

ALTER TABLE `users` DROP INDEX `ix_users_lower_email`;

ALTER TABLE `users` DROP INDEX `ix_users_email_trgm`;
-- down
CREATE INDEX `ix_users_email_trgm` ON `users` (`email`);

CREATE UNIQUE INDEX `ix_users_lower_email` ON `users` ((lower(email)));

ALTER TABLE `users` ADD CONSTRAINT `ix_users_karma` UNIQUE (`karma`, `email`), ALGORITHM=INPLACE, LOCK=NONE;

-- ===== an index's method changes
-- up
-- down

-- ===== constraint options
-- add unique constraint uq_users_email on users
-- add check constraint ck_users_karma on users
-- add foreign key fk_users_team_id_teams on users
-- up
ALTER TABLE `users` ADD CONSTRAINT `uq_users_email` UNIQUE (`email`), ALGORITHM=INPLACE, LOCK=NONE;

ALTER TABLE `users` ADD CONSTRAINT `ck_users_karma` CHECK (karma >= 0);

ALTER TABLE `users` ADD CONSTRAINT `fk_users_team_id_teams` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE;
-- down
ALTER TABLE `users` DROP FOREIGN KEY `fk_users_team_id_teams`, DROP INDEX `fk_users_team_id_teams`;

ALTER TABLE `users` DROP CONSTRAINT `ck_users_karma`;

ALTER TABLE `users` DROP INDEX `uq_users_email`;

-- ===== a deferrable unique constraint becomes immediate
-- up
-- down

-- ===== create a table with constraint options
-- create table members
-- up
CREATE TABLE `members` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `email` TEXT,
    `karma` INT,
    `team_id` BIGINT,
    PRIMARY KEY (`id`),
    CONSTRAINT `uq_members_email` UNIQUE (`email`),
    CONSTRAINT `ix_users_karma` UNIQUE (`karma`, `email`),
    CONSTRAINT `fk_members_team_id_teams` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE,
    CONSTRAINT `ck_members_karma` CHECK (karma >= 0)
);

CREATE UNIQUE INDEX `ix_users_lower_email` ON `members` ((lower(email)));

CREATE INDEX `ix_users_email_trgm` ON `members` (`email`(255));
-- down
DROP TABLE `members`;

-- ===== a check on the key column
-- add check constraint ck_users_id on users
-- up
ALTER TABLE `users` MODIFY COLUMN `id` BIGINT NOT NULL;

ALTER TABLE `users` ADD CONSTRAINT `ck_users_id` CHECK (id > 0);
-- down
ALTER TABLE `users` DROP CONSTRAINT `ck_users_id`;

ALTER TABLE `users` MODIFY COLUMN `id` BIGINT NOT NULL AUTO_INCREMENT;

