-- ===== create table
-- create table accounts
-- up
CREATE TABLE accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);
-- down
DROP TABLE accounts;

-- ===== drop table
-- drop table accounts
-- up
DROP TABLE accounts;
-- down
CREATE TABLE accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

-- ===== add serial columns
-- add column accounts.id
-- add column accounts.ticket
-- up
CREATE TABLE _migrate_new_accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_accounts (rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email) SELECT rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;
-- down
CREATE TABLE _migrate_new_accounts (
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_accounts (rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email) SELECT rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;

-- ===== a plain column becomes an identity
-- alter column accounts.rank: default 0 -> none none -> identity always (start 100, increment -1, min 1, max 100, cycle)
-- up
CREATE TABLE _migrate_new_accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_accounts (id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email) SELECT id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;
-- down
CREATE TABLE _migrate_new_accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_accounts (id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email) SELECT id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;

-- ===== identity options change
-- up
-- down

-- ===== serial options change
-- up
-- down

-- ===== a serial column becomes plain
-- alter column accounts.ticket: default none -> 0 serial (sequence ticket_numbers, start 1000, increment 10, cache 5) -> none
-- up
CREATE TABLE _migrate_new_accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL DEFAULT 0,
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_accounts (id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email) SELECT id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;
-- down
CREATE TABLE _migrate_new_accounts (
    id INTEGER NOT NULL,
    ticket INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    serial_no SMALLINT NOT NULL,
    handle TEXT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    total NUMERIC(12, 2) GENERATED ALWAYS AS (price * quantity) STORED,
    tags text[],
    code VARCHAR(12),
    seen_at TIMESTAMP,
    opens_at time(3) with time zone,
    email other.email,
    PRIMARY KEY (id)
);

INSERT INTO _migrate_new_accounts (id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email) SELECT id, ticket, rank, serial_no, handle, price, quantity, tags, code, seen_at, opens_at, email FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;

-- ===== a stored expression changes
-- up
-- down

-- ===== a stored column becomes plain
-- up
-- down

-- ===== collations change
-- up
-- down

