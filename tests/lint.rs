//! `migrate lint`'s labelled cases: every rule has a revision that fires it and a
//! near miss that does not, each a history whose last revisions change a schema
//! the first one created. Then history awareness (merges, renames, dialects),
//! `lint_allow`, the released baseline, and the command line (`--json`, exit
//! codes) through the real binary.

mod common;

use std::process::Command;

use migrate_core::lint::{lint, rules, Options};
use migrate_core::revision::{parse, RevisionGraph};
use migrate_core::Dialect;

/// The schema every case starts from: tables that exist before the revision
/// under test, as a released application's would.
const SETUP: &str = "\
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(50), name TEXT, score NUMERIC(10,2), age INTEGER, mood mood);
CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, total NUMERIC(10,2));
";

/// A revision file: `up` may start with marker options (`transaction:false`).
fn file(id: &str, down: &str, header: &str, up: &str) -> String {
    let (options, sql) = match up.strip_prefix("transaction:false\n") {
        Some(sql) => (" transaction:false", sql),
        None => ("", up),
    };
    format!(
        "-- revision: {id}\n-- down_revision: {down}\n{header}\n-- migrate:up{options}\n{sql}\n"
    )
}

/// The setup, then each of `ups` as a revision on top of the last. Returns the
/// rules reported for the revisions after the setup, in order.
fn rules_for(ups: &[&str], options: Options) -> Vec<&'static str> {
    findings_for(ups, options)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

fn findings_for(ups: &[&str], options: Options) -> Vec<migrate_core::lint::Finding> {
    findings_on(SETUP, ups, options)
}

fn findings_on(
    setup: &str,
    ups: &[&str],
    mut options: Options,
) -> Vec<migrate_core::lint::Finding> {
    let mut revisions = vec![parse("m/a0.sql", &file("a0", "none", "", setup)).unwrap()];
    for (i, up) in ups.iter().enumerate() {
        let (id, down) = (format!("r{}", i + 1), revisions.last().unwrap().id.clone());
        let (header, up) = match up.strip_prefix("HEADER ") {
            Some(rest) => rest.split_once('\n').unwrap(),
            None => ("", *up),
        };
        let text = file(&id, &down, header, up);
        revisions.push(parse(&format!("m/{id}.sql"), &text).unwrap());
    }
    let graph = RevisionGraph::new(revisions).unwrap();
    options.after.get_or_insert_with(|| "a0".into());
    lint(&graph, &options).unwrap()
}

fn with_info() -> Options {
    Options {
        info: true,
        ..Options::default()
    }
}

/// One labelled case: the revisions after the setup, and the rules expected.
struct Case {
    /// The rule the case is about: it fires it, or is its near miss.
    rule: &'static str,
    name: &'static str,
    ups: &'static [&'static str],
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    // concurrently-in-transaction
    Case {
        rule: "concurrently-in-transaction",
        name: "CREATE INDEX CONCURRENTLY in a transactional section",
        ups: &["CREATE INDEX CONCURRENTLY ix_users_email ON users (email);"],
        expect: &["concurrently-in-transaction"],
    },
    Case {
        rule: "concurrently-in-transaction",
        name: "near miss: CREATE INDEX CONCURRENTLY with transaction:false",
        ups: &["transaction:false\nCREATE INDEX CONCURRENTLY ix_users_email ON users (email);"],
        expect: &[],
    },
    Case {
        rule: "concurrently-in-transaction",
        name: "DROP INDEX CONCURRENTLY in a transactional section, even on a new table",
        ups: &["CREATE TABLE t (id BIGINT);\nCREATE INDEX ix_t ON t (id);\nDROP INDEX CONCURRENTLY ix_t;"],
        expect: &["concurrently-in-transaction"],
    },
    // vacuum-in-transaction
    Case {
        rule: "vacuum-in-transaction",
        name: "VACUUM in a transactional section",
        ups: &["VACUUM ANALYZE users;"],
        expect: &["vacuum-in-transaction"],
    },
    Case {
        rule: "vacuum-in-transaction",
        name: "near miss: VACUUM with transaction:false",
        ups: &["transaction:false\nVACUUM ANALYZE users;"],
        expect: &[],
    },
    // enum-value-used-in-transaction
    Case {
        rule: "enum-value-used-in-transaction",
        name: "ALTER TYPE ADD VALUE then a use of the value in the same transaction",
        ups: &["ALTER TYPE mood ADD VALUE 'happy';\nUPDATE users SET mood = 'happy' WHERE score > 9;"],
        expect: &["enum-value-used-in-transaction"],
    },
    Case {
        rule: "enum-value-used-in-transaction",
        name: "near miss: ADD VALUE followed by statements that do not use it",
        ups: &["ALTER TYPE mood ADD VALUE 'happy';\nUPDATE users SET mood = 'ok' WHERE name = 'happy hour';"],
        expect: &[],
    },
    Case {
        rule: "enum-value-used-in-transaction",
        name: "near miss: the value is added with transaction:false and used by the next revision",
        ups: &[
            "transaction:false\nALTER TYPE mood ADD VALUE 'happy';",
            "UPDATE users SET mood = 'happy' WHERE score > 9;",
        ],
        expect: &[],
    },
    // index-without-concurrently
    Case {
        rule: "index-without-concurrently",
        name: "CREATE INDEX on an existing table",
        ups: &["CREATE INDEX ix_users_email ON users (email);"],
        expect: &["index-without-concurrently"],
    },
    Case {
        rule: "index-without-concurrently",
        name: "near miss: CREATE INDEX on a table the same revision created",
        ups: &["CREATE TABLE events (id BIGINT PRIMARY KEY, at TIMESTAMPTZ);\nCREATE INDEX ix_events_at ON events (at);"],
        expect: &[],
    },
    // constraint-under-lock
    Case {
        rule: "constraint-under-lock",
        name: "ADD CONSTRAINT UNIQUE on an existing table",
        ups: &["ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);"],
        expect: &["constraint-under-lock"],
    },
    Case {
        rule: "constraint-under-lock",
        name: "near miss: UNIQUE USING INDEX built concurrently",
        ups: &[
            "transaction:false\nCREATE UNIQUE INDEX CONCURRENTLY ix_users_email ON users (email);",
            "ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX ix_users_email;",
        ],
        expect: &[],
    },
    // constraint-without-not-valid
    Case {
        rule: "constraint-without-not-valid",
        name: "ADD FOREIGN KEY and CHECK without NOT VALID",
        ups: &["ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);\n\
                ALTER TABLE orders ADD CONSTRAINT ck_total CHECK (total >= 0);"],
        expect: &["constraint-without-not-valid", "constraint-without-not-valid"],
    },
    Case {
        rule: "constraint-without-not-valid",
        name: "near miss: NOT VALID, validated in the next revision",
        ups: &[
            "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
            "ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user;",
        ],
        expect: &[],
    },
    // validate-in-same-transaction
    Case {
        rule: "validate-in-same-transaction",
        name: "NOT VALID then VALIDATE in the same transaction",
        ups: &["ALTER TABLE orders ADD CONSTRAINT ck_total CHECK (total >= 0) NOT VALID;\n\
                ALTER TABLE orders VALIDATE CONSTRAINT ck_total;"],
        expect: &["validate-in-same-transaction"],
    },
    Case {
        rule: "validate-in-same-transaction",
        name: "near miss: NOT VALID then VALIDATE with transaction:false (each statement commits)",
        ups: &["transaction:false\nALTER TABLE orders ADD CONSTRAINT ck_total CHECK (total >= 0) NOT VALID;\n\
                ALTER TABLE orders VALIDATE CONSTRAINT ck_total;"],
        expect: &[],
    },
    // set-not-null
    Case {
        rule: "set-not-null",
        name: "SET NOT NULL on an existing column",
        ups: &["ALTER TABLE users ALTER COLUMN email SET NOT NULL;"],
        expect: &["set-not-null"],
    },
    Case {
        rule: "set-not-null",
        name: "near miss: CHECK NOT VALID, VALIDATE, then SET NOT NULL",
        ups: &[
            "ALTER TABLE users ADD CONSTRAINT ck_email_nn CHECK (email IS NOT NULL) NOT VALID;",
            "ALTER TABLE users VALIDATE CONSTRAINT ck_email_nn;\n\
             ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n\
             ALTER TABLE users DROP CONSTRAINT ck_email_nn;",
        ],
        expect: &[],
    },
    // add-column-not-null-without-default
    Case {
        rule: "add-column-not-null-without-default",
        name: "ADD COLUMN NOT NULL without a default",
        ups: &["ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;"],
        expect: &["add-column-not-null-without-default"],
    },
    Case {
        rule: "add-column-not-null-without-default",
        name: "near miss: ADD COLUMN NOT NULL with a constant default",
        ups: &["ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';"],
        expect: &[],
    },
    // volatile-default
    Case {
        rule: "volatile-default",
        name: "ADD COLUMN with a volatile default",
        ups: &["ALTER TABLE users ADD COLUMN token UUID DEFAULT gen_random_uuid();"],
        expect: &["volatile-default"],
    },
    Case {
        rule: "volatile-default",
        name: "ADD COLUMN BIGSERIAL (a nextval default)",
        ups: &["ALTER TABLE orders ADD COLUMN seq BIGSERIAL;"],
        expect: &["volatile-default"],
    },
    Case {
        rule: "volatile-default",
        name: "near miss: ADD COLUMN with a stable default (now())",
        ups: &["ALTER TABLE users ADD COLUMN joined TIMESTAMPTZ DEFAULT now();"],
        expect: &[],
    },
    // column-type-change
    Case {
        rule: "column-type-change",
        name: "narrowing a VARCHAR and INTEGER to BIGINT rewrite the table",
        ups: &["ALTER TABLE users ALTER COLUMN email TYPE VARCHAR(20);\n\
                ALTER TABLE users ALTER COLUMN age TYPE BIGINT;"],
        expect: &["column-type-change", "column-type-change"],
    },
    Case {
        rule: "column-type-change",
        name: "near miss: widenings the history shows are safe",
        ups: &["ALTER TABLE users ALTER COLUMN email TYPE VARCHAR(100);\n\
                ALTER TABLE users ALTER COLUMN score TYPE NUMERIC(12,2);",
               "ALTER TABLE users ALTER COLUMN email TYPE TEXT;"],
        expect: &[],
    },
    Case {
        rule: "column-type-change",
        name: "a larger NUMERIC precision with a new scale rewrites",
        ups: &["ALTER TABLE users ALTER COLUMN score TYPE NUMERIC(12,4);"],
        expect: &["column-type-change"],
    },
    // drop
    Case {
        rule: "drop",
        name: "DROP COLUMN and DROP TABLE of existing ones",
        ups: &["ALTER TABLE users DROP COLUMN name;\nDROP TABLE orders;"],
        expect: &["drop", "drop"],
    },
    Case {
        rule: "drop",
        name: "near miss: dropping a table the same revision created",
        ups: &["CREATE TABLE scratch (id BIGINT);\nDROP TABLE scratch;"],
        expect: &[],
    },
    // rename
    Case {
        rule: "rename",
        name: "RENAME COLUMN and RENAME TO of existing ones",
        ups: &["ALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE orders RENAME TO purchases;"],
        expect: &["rename", "rename"],
    },
    Case {
        rule: "rename",
        name: "near miss: renaming in a table the same revision created",
        ups: &["CREATE TABLE drafts (id BIGINT, title TEXT);\nALTER TABLE drafts RENAME COLUMN title TO heading;\nALTER TABLE drafts RENAME TO posts;\nCREATE INDEX ix_posts ON posts (heading);"],
        expect: &[],
    },
    // blocking-maintenance
    Case {
        rule: "blocking-maintenance",
        name: "VACUUM FULL, CLUSTER and REINDEX without CONCURRENTLY",
        ups: &["transaction:false\nVACUUM FULL users;\nCLUSTER users USING users_pkey;\nREINDEX TABLE orders;"],
        expect: &["blocking-maintenance", "blocking-maintenance", "blocking-maintenance"],
    },
    Case {
        rule: "blocking-maintenance",
        name: "near miss: REINDEX CONCURRENTLY and a plain VACUUM outside a transaction",
        ups: &["transaction:false\nREINDEX TABLE CONCURRENTLY orders;\nVACUUM users;"],
        expect: &[],
    },
    // lock-table
    Case {
        rule: "lock-table",
        name: "LOCK TABLE on an existing table",
        ups: &["LOCK TABLE users IN ACCESS EXCLUSIVE MODE;"],
        expect: &["lock-table"],
    },
    Case {
        rule: "lock-table",
        name: "near miss: LOCK TABLE on a table the same revision created",
        ups: &["CREATE TABLE queue (id BIGINT PRIMARY KEY);\nLOCK TABLE queue IN ACCESS EXCLUSIVE MODE;"],
        expect: &[],
    },
    // unknown-rule
    Case {
        rule: "unknown-rule",
        name: "lint_allow naming no rule",
        ups: &["HEADER -- lint_allow: set-not-nul\nALTER TABLE users ALTER COLUMN email SET NOT NULL;"],
        expect: &["unknown-rule", "set-not-null"],
    },
    Case {
        rule: "unknown-rule",
        name: "near miss: lint_allow naming the rule",
        ups: &["HEADER -- lint_allow: set-not-null\nALTER TABLE users ALTER COLUMN email SET NOT NULL;"],
        expect: &[],
    },
];

/// MySQL/MariaDB's starting schema, for [`MYSQL_CASES`].
const MYSQL_SETUP: &str = "\
CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(50), name TEXT, age INT);
CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, total DECIMAL(10,2));
INSERT INTO users VALUES (1, 'a@example.com', 'Ann', 30);
INSERT INTO orders VALUES (1, 1, 9.50);
";

/// The cases read on MySQL/MariaDB sections. Each runs on a real MariaDB too
/// (`mysql_cases_run_on_mariadb`): the near misses are the safe forms the
/// README shows.
const MYSQL_CASES: &[Case] = &[
    // table-copy
    Case {
        rule: "table-copy",
        name: "MODIFY COLUMN to a new type without ALGORITHM or LOCK",
        ups: &["ALTER TABLE users MODIFY COLUMN age BIGINT;"],
        expect: &["table-copy"],
    },
    Case {
        rule: "table-copy",
        name: "CHANGE COLUMN to a new type without ALGORITHM or LOCK",
        ups: &["ALTER TABLE orders CHANGE COLUMN total total DECIMAL(12,2);"],
        expect: &["table-copy"],
    },
    Case {
        rule: "table-copy",
        name: "ALGORITHM=COPY says the copy out loud; it still blocks writes",
        ups: &["ALTER TABLE users MODIFY COLUMN age BIGINT, ALGORITHM=COPY;"],
        expect: &["table-copy"],
    },
    Case {
        rule: "table-copy",
        name: "near miss: the change with ALGORITHM=INPLACE, LOCK=NONE",
        ups: &["ALTER TABLE users MODIFY COLUMN email VARCHAR(60), ALGORITHM=INPLACE, LOCK=NONE;"],
        expect: &[],
    },
    Case {
        rule: "table-copy",
        name: "near miss: the change with ALGORITHM=INSTANT",
        ups: &["ALTER TABLE users MODIFY COLUMN email VARCHAR(60), ALGORITHM=INSTANT;"],
        expect: &[],
    },
    Case {
        rule: "table-copy",
        name: "near miss: MODIFY COLUMN keeping the type, for a new default",
        ups: &["ALTER TABLE users MODIFY COLUMN email VARCHAR(50) DEFAULT 'none';"],
        expect: &[],
    },
    Case {
        rule: "table-copy",
        name: "near miss: values added at the end of an ENUM",
        ups: &[
            "ALTER TABLE users ADD COLUMN mood ENUM('sad', 'ok') NULL;",
            "ALTER TABLE users MODIFY COLUMN mood ENUM('sad', 'ok', 'happy') NULL;",
        ],
        expect: &[],
    },
    Case {
        rule: "table-copy",
        name: "values reordered in an ENUM",
        ups: &[
            "ALTER TABLE users ADD COLUMN mood ENUM('sad', 'ok') NULL;",
            "ALTER TABLE users MODIFY COLUMN mood ENUM('ok', 'sad') NULL;",
        ],
        expect: &["table-copy"],
    },
    Case {
        rule: "table-copy",
        name: "near miss: a new type on a table the same revision created",
        ups: &[
            "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT);\nALTER TABLE t MODIFY COLUMN v BIGINT;",
        ],
        expect: &[],
    },
    // index-without-lock-none
    Case {
        rule: "index-without-lock-none",
        name: "CREATE INDEX on an existing table without LOCK=NONE",
        ups: &["CREATE INDEX ix_users_email ON users (email);"],
        expect: &["index-without-lock-none"],
    },
    Case {
        rule: "index-without-lock-none",
        name: "ALTER TABLE ADD UNIQUE KEY with ALGORITHM=INPLACE but no LOCK=NONE",
        ups: &["ALTER TABLE users ADD UNIQUE KEY uq_users_email (email), ALGORITHM=INPLACE;"],
        expect: &["index-without-lock-none"],
    },
    Case {
        rule: "index-without-lock-none",
        name: "near miss: CREATE INDEX with ALGORITHM=INPLACE LOCK=NONE",
        ups: &["CREATE INDEX ix_users_email ON users (email) ALGORITHM=INPLACE LOCK=NONE;"],
        expect: &[],
    },
    Case {
        rule: "index-without-lock-none",
        name: "near miss: ALTER TABLE ADD INDEX with ALGORITHM=INPLACE, LOCK=NONE",
        ups: &["ALTER TABLE users ADD INDEX ix_users_age (age), ALGORITHM=INPLACE, LOCK=NONE;"],
        expect: &[],
    },
    Case {
        rule: "index-without-lock-none",
        name: "near miss: an index on a table the same revision created",
        ups: &["CREATE TABLE t (id BIGINT PRIMARY KEY, v INT);\nCREATE INDEX ix_t_v ON t (v);"],
        expect: &[],
    },
    // add-column-not-null-without-default, which MySQL does not refuse
    Case {
        rule: "add-column-not-null-without-default",
        name: "ADD COLUMN NOT NULL without a default on MySQL",
        ups: &["ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL;"],
        expect: &["add-column-not-null-without-default"],
    },
    Case {
        rule: "add-column-not-null-without-default",
        name: "near miss: ADD COLUMN NOT NULL with a default on MySQL",
        ups: &["ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL DEFAULT 'free';"],
        expect: &[],
    },
    // rename and drop, MySQL's spellings
    Case {
        rule: "rename",
        name: "CHANGE COLUMN to a new name (the same type: no copy)",
        ups: &["ALTER TABLE users CHANGE COLUMN name full_name TEXT;"],
        expect: &["rename"],
    },
    Case {
        rule: "rename",
        name: "near miss: CHANGE COLUMN keeping the name and the type",
        ups: &["ALTER TABLE users CHANGE COLUMN name name TEXT COMMENT 'shown';"],
        expect: &[],
    },
    Case {
        rule: "drop",
        name: "DROP COLUMN on MySQL",
        ups: &["ALTER TABLE users DROP COLUMN name;"],
        expect: &["drop"],
    },
];

fn mysql() -> Options {
    Options {
        dialects: vec![Dialect::Mysql],
        ..Options::default()
    }
}

#[test]
fn every_mysql_case_reports_exactly_its_rules() {
    let mut failures = Vec::new();
    for case in MYSQL_CASES {
        let got: Vec<&str> = findings_on(MYSQL_SETUP, case.ups, mysql())
            .into_iter()
            .map(|f| f.rule)
            .collect();
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                case.name, case.expect, got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The MySQL cases are SQL MariaDB runs, on a table with a row; what the
/// `table-copy` fix relies on holds there: with `ALGORITHM=INPLACE, LOCK=NONE`
/// the server refuses a change that needs a copy rather than making one.
#[test]
fn mysql_cases_run_on_mariadb() {
    use mysql::prelude::Queryable;
    let Some(db) = common::mysql_db("lint_mysql_cases") else {
        return;
    };
    let mut conn = db.connect();
    let statements = |sql: &str| -> Vec<String> {
        sql.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    for case in MYSQL_CASES {
        conn.query_drop("DROP TABLE IF EXISTS t, orders, users")
            .unwrap();
        for sql in statements(MYSQL_SETUP).iter().chain(
            case.ups
                .iter()
                .flat_map(|u| statements(u))
                .collect::<Vec<_>>()
                .iter(),
        ) {
            if let Err(e) = conn.query_drop(sql) {
                panic!("{}: MariaDB refuses `{sql}`: {e}", case.name);
            }
        }
    }
    conn.query_drop("DROP TABLE IF EXISTS t, orders, users")
        .unwrap();
    for sql in statements(MYSQL_SETUP) {
        conn.query_drop(sql).unwrap();
    }
    for refused in [
        "ALTER TABLE users MODIFY COLUMN age BIGINT, ALGORITHM=INPLACE, LOCK=NONE",
        "ALTER TABLE users MODIFY COLUMN age BIGINT, LOCK=NONE",
    ] {
        let err = conn.query_drop(refused).unwrap_err().to_string();
        assert!(err.contains("is not supported"), "{refused}: {err}");
    }
    // MySQL fills a NOT NULL column without a default with the type's own.
    conn.query_drop("ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL")
        .unwrap();
    let plan: Vec<String> = conn.query("SELECT plan FROM users").unwrap();
    assert_eq!(plan, [""]);
}

#[test]
fn every_labelled_case_reports_exactly_its_rules() {
    let mut failures = Vec::new();
    for case in CASES {
        let got = rules_for(case.ups, Options::default());
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                case.name, case.expect, got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_warning_and_error_rule_has_a_firing_case_and_a_near_miss() {
    for rule in rules::ALL
        .iter()
        .filter(|r| r.severity > rules::Severity::Info)
    {
        let cases: Vec<&Case> = CASES
            .iter()
            .chain(MYSQL_CASES)
            .filter(|c| c.rule == rule.name)
            .collect();
        assert!(
            cases.iter().any(|c| c.expect.contains(&rule.name)),
            "no case fires {}",
            rule.name
        );
        assert!(
            cases
                .iter()
                .any(|c| c.name.starts_with("near miss") && c.expect.is_empty()),
            "no near miss for {}",
            rule.name
        );
    }
}

/// What autogenerate writes for MySQL on a table that exists already passes
/// `index-without-lock-none`, and MariaDB runs it on a table with rows; a
/// unique key MariaDB can only build by copying (a hash over `TEXT`) is left
/// without the clause, which the server would refuse.
#[test]
fn mysql_autogenerated_indexes_pass_lint_and_run_on_mariadb() {
    use migrate::autogenerate::{compare, generate, Filter};
    use migrate::schema::{Column, ColumnType, Index, Schema, Table, UniqueConstraint};
    use mysql::prelude::Queryable;
    let column = |name: &str, ty| Column {
        name: name.into(),
        ty,
        nullable: true,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    };
    let users = Table {
        name: "users".into(),
        columns: vec![
            Column {
                nullable: false,
                ..column("id", ColumnType::BigInt)
            },
            column("email", ColumnType::Varchar(50)),
            column("bio", ColumnType::Text),
        ],
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    let db = Schema {
        tables: vec![users.clone()],
        enums: vec![],
    };
    let unique = |name: &str, column: &str| UniqueConstraint {
        name: name.into(),
        columns: vec![column.into()],
        ..UniqueConstraint::default()
    };
    let models = Schema {
        tables: vec![Table {
            indexes: vec![Index::on("ix_users_email", &["email"])],
            uniques: vec![unique("uq_users_email", "email")],
            ..users.clone()
        }],
        enums: vec![],
    };
    let diff = compare(&db, &models, Dialect::Mysql, &Filter::default());
    let up = generate(&diff, &db, &models, Dialect::Mysql).up.statements;
    assert_eq!(
        up,
        [
            "CREATE INDEX `ix_users_email` ON `users` (`email`) ALGORITHM=INPLACE LOCK=NONE",
            "ALTER TABLE `users` ADD CONSTRAINT `uq_users_email` UNIQUE (`email`), ALGORITHM=INPLACE, LOCK=NONE",
        ]
    );
    // Once the table has a hashed unique key (one over TEXT), MariaDB builds no
    // index in place: autogenerate leaves ALGORITHM off rather than write SQL the
    // server refuses, and lint says that index copies the table.
    let hashed = Schema {
        tables: vec![Table {
            uniques: vec![unique("uq_users_bio", "bio")],
            ..users.clone()
        }],
        enums: vec![],
    };
    let diff = compare(&db, &hashed, Dialect::Mysql, &Filter::default());
    let hash_key = generate(&diff, &db, &hashed, Dialect::Mysql).up.statements;
    assert_eq!(
        hash_key,
        ["ALTER TABLE `users` ADD CONSTRAINT `uq_users_bio` UNIQUE (`bio`)"]
    );
    let setup = "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(50), bio TEXT);\n\
                 INSERT INTO users VALUES (1, 'a@example.com', 'Hi');";
    let rules: Vec<&str> = findings_on(setup, &[&format!("{};", up.join(";\n"))], mysql())
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert!(
        rules.is_empty(),
        "autogenerate's online forms pass: {rules:?}"
    );
    let rules: Vec<&str> = findings_on(setup, &[&format!("{};", hash_key.join(";\n"))], mysql())
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["index-without-lock-none"], "only the hash key");
    let up: Vec<String> = up.into_iter().chain(hash_key).collect();
    let Some(db) = common::mysql_db("lint_mysql_autogenerated") else {
        return;
    };
    let mut conn = db.connect();
    for sql in setup.split(';').filter(|s| !s.trim().is_empty()) {
        conn.query_drop(sql).unwrap();
    }
    for sql in &up {
        if let Err(e) = conn.query_drop(sql) {
            panic!("MariaDB refuses `{sql}`: {e}");
        }
    }
    let err = conn
        .query_drop("ALTER TABLE users DROP INDEX uq_users_bio, ADD CONSTRAINT uq_users_bio UNIQUE (bio), ALGORITHM=INPLACE, LOCK=NONE")
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not supported"), "{err}");
}

/// The README's rule list has every rule, in the catalogue's order, each with
/// a bad and a good example.
#[test]
fn the_readme_documents_every_rule_in_order() {
    let readme = include_str!("../README.md");
    let rules_section = &readme[readme.find("### The rules").unwrap()..];
    let mut at = 0;
    for rule in rules::ALL {
        let entry = format!("\n- `{}`", rule.name);
        let found = rules_section[at..]
            .find(&entry)
            .unwrap_or_else(|| panic!("README lists no `{}` after the rules before it", rule.name));
        at += found + entry.len();
        let body = &rules_section[at..];
        let body = &body[..body.find("\n- `").unwrap_or(body.len())];
        assert!(
            body.contains("bad") && body.contains("good"),
            "README's `{}` has no bad and good example",
            rule.name
        );
    }
}

#[test]
fn info_rules_are_off_by_default_and_fire_with_info() {
    let bad = ["CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP);\nCREATE TABLE (;"];
    assert_eq!(rules_for(&bad, Options::default()), Vec::<&str>::new());
    assert_eq!(
        rules_for(&bad, with_info()),
        ["prefer-bigint-key", "prefer-timestamptz", "unparsed"]
    );
    let good = ["CREATE TABLE t (id BIGINT PRIMARY KEY, at TIMESTAMPTZ);"];
    assert_eq!(rules_for(&good, with_info()), Vec::<&str>::new());
}

#[test]
fn findings_name_the_line_the_table_and_the_safe_alternative() {
    let findings = findings_for(
        &["-- add the index\nSELECT 1;\nCREATE INDEX ix_users_email ON users (email);"],
        Options::default(),
    );
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    // Header lines 1-3, the marker on 4, SQL from 5: the comment, SELECT, the index.
    assert_eq!(
        (f.path.as_str(), f.line, f.revision.as_str()),
        ("m/r1.sql", 7, "r1")
    );
    assert!(f.message.contains("`users`"), "{}", f.message);
    assert!(
        f.fix.contains("CONCURRENTLY") && f.fix.contains("transaction:false"),
        "{}",
        f.fix
    );
    assert!(
        f.to_string()
            .starts_with("m/r1.sql:7: warning [index-without-concurrently] "),
        "{f}"
    );
}

#[test]
fn a_comment_lint_allow_acknowledges_only_the_next_statement() {
    let rules = rules_for(
        &["-- lint_allow: index-without-concurrently\n\
           CREATE INDEX ix_a ON users (email);\n\
           CREATE INDEX ix_b ON users (name);"],
        Options::default(),
    );
    assert_eq!(rules, ["index-without-concurrently"]);
}

#[test]
fn tables_from_either_side_of_a_merge_exist_after_it() {
    let rev = |id: &str, down: &str, up: &str| {
        parse(&format!("{id}.sql"), &file(id, down, "", up)).unwrap()
    };
    let graph = RevisionGraph::new(vec![
        rev("a1", "none", "SELECT 1;"),
        rev("b1", "a1", "CREATE TABLE left_side (id BIGINT, note TEXT);"),
        rev(
            "c1",
            "a1",
            "CREATE TABLE right_side (id BIGINT, note TEXT);",
        ),
        rev("m1", "b1, c1", "SELECT 1;"),
        rev(
            "d1",
            "m1",
            "CREATE INDEX ix_l ON left_side (note);\nCREATE INDEX ix_r ON right_side (note);\n\
             CREATE TABLE fresh (id BIGINT);\nCREATE INDEX ix_f ON fresh (id);",
        ),
    ])
    .unwrap();
    let findings = lint(&graph, &Options::default()).unwrap();
    let got: Vec<(&str, usize)> = findings
        .iter()
        .map(|f| (f.revision.as_str(), f.line))
        .collect();
    assert_eq!(got, [("d1", 5), ("d1", 6)]);
}

#[test]
fn a_type_change_reads_the_type_a_rename_carried_along() {
    // The column was renamed in between: its VARCHAR(50) goes with it, so the
    // widening is known to be safe and the narrowing is not.
    let rules = rules_for(
        &[
            "HEADER -- lint_allow: rename\nALTER TABLE users RENAME COLUMN email TO mail;",
            "ALTER TABLE users ALTER COLUMN mail TYPE VARCHAR(80);",
            "ALTER TABLE users ALTER COLUMN mail TYPE VARCHAR(10);",
        ],
        Options::default(),
    );
    assert_eq!(rules, ["column-type-change"]);
}

#[test]
fn sqlite_sections_get_only_the_rules_that_apply_there() {
    let options = |d| Options {
        dialects: vec![d],
        ..Options::default()
    };
    let ups = ["CREATE INDEX ix_users_email ON users (email);\nALTER TABLE users ADD COLUMN plan TEXT NOT NULL;\nALTER TABLE users DROP COLUMN name;"];
    assert_eq!(
        rules_for(&ups, options(Dialect::Sqlite)),
        ["add-column-not-null-without-default", "drop"]
    );
    assert_eq!(
        rules_for(&ups, options(Dialect::Postgres)),
        [
            "index-without-concurrently",
            "add-column-not-null-without-default",
            "drop"
        ]
    );
}

#[test]
fn the_released_baseline_and_a_range_keep_old_revisions_quiet() {
    let ups = [
        "CREATE INDEX ix_1 ON users (email);",
        "CREATE INDEX ix_2 ON users (name);",
        "CREATE INDEX ix_3 ON users (age);",
    ];
    let revs = |options: Options| -> Vec<String> {
        findings_for(&ups, options)
            .into_iter()
            .map(|f| f.revision)
            .collect()
    };
    assert_eq!(revs(Options::default()), ["r1", "r2", "r3"]);
    let after = Options {
        after: Some("r2".into()),
        ..Options::default()
    };
    assert_eq!(revs(after), ["r3"]);
    let range = Options {
        range: Some("r2:r2".into()),
        ..Options::default()
    };
    assert_eq!(revs(range), ["r2"]);
}

#[test]
fn a_bad_rule_name_in_lint_allow_is_a_parse_error_with_its_line() {
    let err = parse(
        "x.sql",
        "-- revision: a1\n-- down_revision: none\n-- lint_allow: Set_Not_Null\n-- migrate:up\nSELECT 1;\n",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("x.sql:3: `Set_Not_Null` in `lint_allow` is not a rule name"),
        "{err}"
    );
    // Several lines add up.
    let rev = parse(
        "x.sql",
        "-- revision: a1\n-- down_revision: none\n-- lint_allow: drop\n-- lint_allow: rename, drop\n-- migrate:up\nSELECT 1;\n",
    )
    .unwrap();
    assert_eq!(rev.lint_allow, ["drop", "rename"]);
}

fn migrate_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_migrate"))
}

#[test]
fn the_command_prints_json_findings_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a0.sql"), file("a0", "none", "", SETUP)).unwrap();
    std::fs::write(
        dir.join("r1.sql"),
        file(
            "r1",
            "a0",
            "-- message: index",
            "CREATE INDEX ix_users_email ON users (email);",
        ),
    )
    .unwrap();
    let out = migrate_bin()
        .args(["--dir", dir.to_str().unwrap(), "lint", "--json"])
        .env_remove("MIGRATE_DIALECTS")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = &json.as_array().unwrap()[0];
    let mut keys: Vec<&str> = finding
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["fix", "line", "message", "path", "revision", "rule", "severity"]
    );
    assert_eq!(finding["revision"], "r1");
    assert_eq!(finding["rule"], "index-without-concurrently");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["line"], 5);
    assert!(finding["path"].as_str().unwrap().ends_with("r1.sql"));

    // Range to the setup only: nothing to report, exit 0.
    let out = migrate_bin()
        .args(["--dir", dir.to_str().unwrap(), "lint", "-r", "a0:a0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}
