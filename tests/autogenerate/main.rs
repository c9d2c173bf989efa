//! Autogenerate against real databases: a random schema M1 is created, a random
//! change M2 is diffed, rendered, applied, and the database read back must equal
//! M2; the generated downgrade must bring it back to M1. On SQLite files and on
//! PostgreSQL (a database per case).

#[path = "../common/mod.rs"]
mod common;

mod catalog;
mod columns;
mod exact;
mod identity;
mod mariadb;
mod random;
mod realistic;
mod realistic_models;
mod roundtrip;

use migrate::autogenerate::{compare, generate, Filter};
use migrate::backend::{connect, Backend, ConnectOptions, LedgerConfig};
use migrate::config::DatabaseUrl;
use migrate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, FkAction, ForeignKey, Index, Schema, Table,
    UniqueConstraint,
};
use migrate::Dialect;
use migrate_core::autogenerate::normalize_schema;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use random::Rng;
use random::*;
use roundtrip::*;

/// The saved seeds live next to this file (`main.proptest-regressions`): the
/// default looks for the directory holding `main.rs`, which is this one, and
/// would read `tests/proptest-regressions/main.txt`, shared by every such crate.
fn regressions() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    Some(Box::new(FileFailurePersistence::WithSource(
        "proptest-regressions",
    )))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: regressions(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn sqlite_autogenerate_roundtrip(seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        let m1 = random_schema(&mut rng);
        let m2 = mutate(&mut rng, &m1);
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::SqliteFile(dir.path().join("db.sqlite"));
        let mut db = connect(&url, &ConnectOptions::default()).unwrap();
        if let Err(e) = roundtrip(db.as_mut(), &m1, &m2) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: regressions(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn postgres_autogenerate_roundtrip(seed in any::<u64>()) {
        let Some(test_db) = common::postgres_db("autogen_prop") else { return Ok(()) };
        let mut rng = Rng(seed | 1);
        let m1 = random_schema(&mut rng);
        let m2 = mutate(&mut rng, &m1);
        // Serial, identity, stored and collated columns come, go and change.
        let (m1, m2) = (postgres_columns(&mut rng, &m1), postgres_columns(&mut rng, &m2));
        let url = DatabaseUrl::parse(&test_db.url).unwrap();
        let mut db = connect(&url, &ConnectOptions::default()).unwrap();
        if let Err(e) = roundtrip(db.as_mut(), &m1, &m2) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: regressions(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mysql_autogenerate_roundtrip(seed in any::<u64>()) {
        let Some(test_db) = common::mysql_db("autogen_prop") else { return Ok(()) };
        let mut rng = Rng(seed | 1);
        let mut m1 = random_schema(&mut rng);
        let mut m2 = mutate(&mut rng, &m1);
        // Stored and virtual columns come, go and change.
        (m1, m2) = (mysql_columns(&mut rng, &m1), mysql_columns(&mut rng, &m2));
        mysql_expressible(&mut m1);
        mysql_expressible(&mut m2);
        let url = DatabaseUrl::parse(&test_db.url).unwrap();
        let mut db = connect(&url, &ConnectOptions::default()).unwrap();
        if let Err(e) = roundtrip(db.as_mut(), &m1, &m2) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

#[test]
fn dialects_are_all_covered() {
    // The property tests above hold for every dialect; this pins that the
    // normalisation does not hide a real difference, on its own or for a
    // revision with a section for each.
    let mut rng = Rng(7);
    let m1 = random_schema(&mut rng);
    let mut m2 = m1.clone();
    m2.tables[0].columns.push(Column {
        name: "added".into(),
        ty: ColumnType::Text,
        nullable: true,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    });
    for dialect in Dialect::ALL {
        let diff = compare(&m1, &m2, dialect, &Filter::default());
        assert_eq!(diff.ops.len(), 1, "{dialect}: {:?}", diff.ops);
        assert_eq!(diff.ops[0].to_string(), "add column t0.added");
        let out = migrate::autogenerate::generate_for(
            &m1,
            dialect,
            &m2,
            &Dialect::ALL,
            &Filter::default(),
        );
        assert_eq!(out.diff.ops.len(), 1, "{dialect}: {:?}", out.diff.ops);
        let targets: Vec<Dialect> = out.dialects.iter().map(|(d, _)| *d).collect();
        assert_eq!(targets, Dialect::ALL);
        for (target, sql) in &out.dialects {
            assert!(!sql.up.statements.is_empty(), "{dialect} -> {target}");
        }
    }
}

/// Everything PostgreSQL-specific at once: a second schema, a cross-schema foreign
/// key, an enum type, comments, reserved words and odd identifiers.
#[test]
fn postgres_introspection_reads_back_what_models_create() {
    let Some(test_db) = common::postgres_db("autogen_pg_features") else {
        return;
    };
    test_db
        .connect()
        .batch_execute("CREATE SCHEMA app")
        .unwrap();
    let mut status = Column {
        name: "status".into(),
        ty: ColumnType::Enum("account status".into()),
        nullable: false,
        default: Some("'active'".into()),
        comment: Some("Can they sign in?".into()),
        generated: None,
        collation: None,
    };
    status.comment = Some("Can they sign in? It's \"complicated\".".into());
    let users = Table {
        schema: Some("app".into()),
        name: "user".into(),
        columns: vec![
            id_column(),
            status,
            column_named("Select", ColumnType::Numeric(Some((10, 2)))),
        ],
        primary_key: vec!["id".into()],
        uniques: vec![UniqueConstraint {
            name: "uq user select".into(),
            columns: vec!["Select".into()],
            ..UniqueConstraint::default()
        }],
        checks: vec![CheckConstraint {
            name: "ck_user_id".into(),
            expr: "id > 0".into(),
            ..CheckConstraint::default()
        }],
        comment: Some("People.".into()),
        ..Table::default()
    };
    let orders = Table {
        name: "order".into(),
        columns: vec![id_column(), column_named("user_id", ColumnType::BigInt)],
        primary_key: vec!["id".into()],
        foreign_keys: vec![ForeignKey {
            name: "fk_order_user".into(),
            columns: vec!["user_id".into()],
            ref_schema: Some("app".into()),
            ref_table: "user".into(),
            ref_columns: vec!["id".into()],
            on_delete: Some(FkAction::SetNull),
            on_update: Some(FkAction::Cascade),
            ..ForeignKey::default()
        }],
        indexes: vec![Index {
            name: "ix_order_user".into(),
            columns: vec!["user_id".into()],
            unique: false,
            predicate: Some("(user_id > 10)".into()),
            ..Index::default()
        }],
        ..Table::default()
    };
    let models = Schema {
        tables: vec![users, orders],
        enums: vec![EnumType {
            name: "account status".into(),
            variants: vec!["active".into(), "it's over".into()],
        }],
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    models.create_all(db.as_mut()).unwrap();
    let filter = Filter::default();
    let (found, diff) = migrate::autogenerate::compare_database(
        db.as_mut(),
        &models,
        &filter,
        &LedgerConfig::default(),
    )
    .unwrap();
    assert!(diff.is_empty(), "{:?}", diff.ops);
    assert_eq!(
        normalize_schema(&found, Dialect::Postgres),
        normalize_schema(&models, Dialect::Postgres)
    );
    let user = found.table("app.user").unwrap();
    assert_eq!(
        user.column("status").unwrap().default.as_deref(),
        Some("'active'::\"account status\"")
    );
    // Without the model naming `app`, only the default schema is read.
    let public_only = db.introspect(&[], &LedgerConfig::default()).unwrap();
    assert_eq!(public_only.tables.len(), 1);
    assert_eq!(public_only.tables[0].name, "order");
}

/// Hand-written SQLite DDL (inline and unnamed constraints) is read as the models
/// that describe it.
#[test]
fn sqlite_introspection_reads_hand_written_ddl() {
    let mut db = connect(&DatabaseUrl::SqliteMemory, &ConnectOptions::default()).unwrap();
    db.execute(
        "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
         CREATE TABLE \"user\" (
             id integer primary key,
             team_id int REFERENCES teams (id) ON DELETE CASCADE,
             mood text not null check (mood in ('calm', 'busy')),
             karma INT NOT NULL DEFAULT (0) CHECK (karma >= 0),
             CONSTRAINT ck_user_team CHECK (team_id <> 0)
         );
         CREATE INDEX ix_user_karma ON \"user\" (karma) WHERE karma > 0;",
    )
    .unwrap();
    let found = db.introspect(&[], &LedgerConfig::default()).unwrap();
    let user = found.table("user").unwrap();
    assert_eq!(user.primary_key, ["id"]);
    assert_eq!(user.foreign_keys[0].ref_table, "teams");
    assert_eq!(user.foreign_keys[0].on_delete, Some(FkAction::Cascade));
    assert_eq!(user.column("team_id").unwrap().ty, ColumnType::Integer);
    assert!(matches!(
        user.column("mood").unwrap().ty,
        ColumnType::Enum(_)
    ));
    assert_eq!(user.column("karma").unwrap().default.as_deref(), Some("0"));
    let checks: Vec<(&str, &str)> = user
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expr.as_str()))
        .collect();
    assert_eq!(
        checks,
        [
            ("ck_user_karma", "karma >= 0"),
            ("ck_user_team", "team_id <> 0")
        ]
    );
    assert_eq!(user.indexes[0].predicate.as_deref(), Some("karma > 0"));
    let teams = found.table("teams").unwrap();
    assert_eq!(teams.uniques[0].columns, ["name"]);
    // The ledger table is never part of the schema.
    db.execute("CREATE TABLE migrate_version (revision TEXT)")
        .unwrap();
    assert_eq!(
        db.introspect(&[], &LedgerConfig::default())
            .unwrap()
            .tables
            .len(),
        2
    );
}

fn column_named(name: &str, ty: ColumnType) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable: true,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    }
}

/// A SQLite table rebuild keeps its rows and the rows that reference it: the
/// runner turns foreign keys off for the migration transaction, so dropping the
/// old table does not cascade, and checks them before committing.
#[test]
fn sqlite_rebuild_keeps_rows_and_references() {
    use migrate::runner::{run, Command, RunOptions};
    use migrate::RevisionGraph;
    use migrate_core::revision::author::NewRevision;

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("app.db");
    let url = DatabaseUrl::SqliteFile(path.clone());
    let first = "CREATE TABLE teams (id INTEGER NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (id));\n\
                 CREATE TABLE members (id INTEGER NOT NULL, team_id INTEGER NOT NULL, PRIMARY KEY (id),\n\
                   CONSTRAINT fk_members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE);\n\
                 INSERT INTO teams VALUES (1, 'red'), (2, 'blue');\n\
                 INSERT INTO members VALUES (10, 1), (11, 2), (12, 2);";
    let r1 = NewRevision {
        id: "000000000001".into(),
        message: "teams".into(),
        up: first.into(),
        ..NewRevision::default()
    };
    std::fs::write(tmp.path().join("1.sql"), r1.render("2026-11-24T00:00:00Z")).unwrap();
    let graph = |dir: &std::path::Path| {
        RevisionGraph::new(migrate::revision::load_dir(dir).unwrap()).unwrap()
    };
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let migrate = |db: &mut dyn Backend, command: Command<'_>| {
        run(
            db,
            &graph(tmp.path()),
            command,
            &RunOptions::default(),
            &mut |_| {},
        )
    };
    migrate(db.as_mut(), Command::Upgrade("heads")).unwrap();

    // The model widens teams.name and adds a check: a rebuild on SQLite.
    let current = read(db.as_mut());
    let mut models = current.clone();
    let teams = models
        .tables
        .iter_mut()
        .find(|t| t.name == "teams")
        .unwrap();
    teams.columns[1].ty = ColumnType::Text;
    teams.checks.push(CheckConstraint {
        name: "ck_teams_name".into(),
        expr: "name <> ''".into(),
        ..CheckConstraint::default()
    });
    let diff = compare(&current, &models, Dialect::Sqlite, &Filter::default());
    let generated = generate(&diff, &current, &models, Dialect::Sqlite);
    assert!(
        generated.up.script().contains("DROP TABLE teams"),
        "{}",
        generated.up.script()
    );
    let r2 = NewRevision {
        id: "000000000002".into(),
        down_revisions: vec!["000000000001".into()],
        message: "wider names".into(),
        up: generated.up.script(),
        down: generated.down.script(),
        ..NewRevision::default()
    };
    std::fs::write(tmp.path().join("2.sql"), r2.render("2026-11-24T00:00:00Z")).unwrap();
    migrate(db.as_mut(), Command::Upgrade("heads")).unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM teams"), 2);
    assert_eq!(
        count("SELECT count(*) FROM members"),
        3,
        "no cascade from the rebuild"
    );
    assert_eq!(
        normalize_schema(&read(db.as_mut()), Dialect::Sqlite),
        normalize_schema(&models, Dialect::Sqlite)
    );
    // The references still point at teams, and are enforced again after the run.
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    assert!(conn
        .execute("INSERT INTO members VALUES (13, 99)", [])
        .is_err());
    drop(conn);

    // A revision that leaves a dangling reference is rolled back whole.
    let r3 = NewRevision {
        id: "000000000003".into(),
        down_revisions: vec!["000000000002".into()],
        message: "orphans".into(),
        up: "DELETE FROM teams WHERE id = 2;".into(),
        ..NewRevision::default()
    };
    std::fs::write(tmp.path().join("3.sql"), r3.render("2026-11-24T00:00:00Z")).unwrap();
    let err = migrate(db.as_mut(), Command::Upgrade("heads"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "foreign key violation: row 11 of table members references a missing row of teams"
        ),
        "{err}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(
        conn.query_row("SELECT count(*) FROM teams", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        2
    );

    // The generated downgrade restores the first schema, rows included.
    migrate(db.as_mut(), Command::Downgrade("000000000001")).unwrap();
    assert_eq!(
        normalize_schema(&read(db.as_mut()), Dialect::Sqlite),
        normalize_schema(&current, Dialect::Sqlite)
    );
    assert_eq!(
        conn.query_row("SELECT count(*) FROM members", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        3
    );
}

/// PostgreSQL introspection costs the same number of round trips for 1 table as
/// for 60 (Alembic's per-table reflection took 70 minutes on 8,477 tables,
/// alembic#580).
#[test]
fn postgres_introspection_uses_a_fixed_number_of_queries() {
    use migrate_core::backend::introspect::postgres::{introspect, Catalog};

    struct Counting<'a>(&'a mut postgres::Client, usize);
    impl Catalog for Counting<'_> {
        fn query(
            &mut self,
            sql: &str,
            params: &[&(dyn postgres::types::ToSql + Sync)],
        ) -> Result<Vec<postgres::Row>, postgres::Error> {
            self.1 += 1;
            self.0.query(sql, params)
        }
    }

    let Some(test_db) = common::postgres_db("autogen_query_count") else {
        return;
    };
    let mut client = test_db.connect();
    let queries_for = |tables: usize, client: &mut postgres::Client| {
        for i in 0..tables {
            client
                .batch_execute(&format!(
                    "CREATE TABLE IF NOT EXISTS q{i} (id BIGINT PRIMARY KEY, v TEXT UNIQUE, p BIGINT REFERENCES q{i} (id));
                     CREATE INDEX IF NOT EXISTS ix_q{i}_v ON q{i} (v) WHERE v <> ''"
                ))
                .unwrap();
        }
        let mut counting = Counting(client, 0);
        let schema = introspect(&mut counting, &[], ("migrate_version", None)).unwrap();
        assert_eq!(schema.tables.len(), tables);
        counting.1
    };
    let one = queries_for(1, &mut client);
    let sixty = queries_for(60, &mut client);
    assert_eq!((one, sixty), (6, 6));
}

/// Tables that reference each other are created (keys added once both exist) and
/// dropped (keys dropped first), both ways, on both backends.
#[test]
fn cyclic_references_create_and_drop() {
    let table = |name: &str, other: &str| Table {
        name: name.into(),
        columns: vec![
            id_column(),
            column_named(&format!("{other}_id"), ColumnType::BigInt),
        ],
        primary_key: vec!["id".into()],
        foreign_keys: vec![ForeignKey {
            name: format!("fk_{name}_{other}"),
            columns: vec![format!("{other}_id")],
            ref_schema: None,
            ref_table: other.into(),
            ref_columns: vec!["id".into()],
            on_delete: None,
            on_update: None,
            ..ForeignKey::default()
        }],
        ..Table::default()
    };
    let keep = Table {
        name: "keep".into(),
        columns: vec![id_column()],
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    let cycle = Schema {
        tables: vec![table("a", "b"), table("b", "a"), keep.clone()],
        enums: vec![],
    };
    let rest = Schema {
        tables: vec![keep],
        enums: vec![],
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = connect(
        &DatabaseUrl::SqliteFile(dir.path().join("c.db")),
        &ConnectOptions::default(),
    )
    .unwrap();
    roundtrip(sqlite.as_mut(), &cycle, &rest).unwrap();
    if let Some(test_db) = common::postgres_db("autogen_cycle") {
        let url = DatabaseUrl::parse(&test_db.url).unwrap();
        let mut pg = connect(&url, &ConnectOptions::default()).unwrap();
        roundtrip(pg.as_mut(), &cycle, &rest).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: regressions(),
        ..ProptestConfig::default()
    })]

    /// Developed on SQLite, deployed on PostgreSQL.
    #[test]
    fn autogenerated_on_sqlite_applies_to_postgres(seed in any::<u64>()) {
        let Some(test_db) = common::postgres_db("autogen_lite_to_pg") else { return Ok(()) };
        let mut rng = Rng(seed | 1);
        let mut m1 = random_schema(&mut rng);
        let mut m2 = mutate(&mut rng, &m1);
        sqlite_expressible(&mut m1);
        sqlite_expressible(&mut m2);
        let dir = tempfile::tempdir().unwrap();
        let lite = DatabaseUrl::SqliteFile(dir.path().join("db.sqlite"));
        let mut lite = connect(&lite, &ConnectOptions::default()).unwrap();
        let pg = DatabaseUrl::parse(&test_db.url).unwrap();
        let mut pg = connect(&pg, &ConnectOptions::default()).unwrap();
        if let Err(e) = cross_roundtrip(lite.as_mut(), pg.as_mut(), &m1, &m2) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }

    /// Generated against PostgreSQL, applied to SQLite.
    #[test]
    fn autogenerated_on_postgres_applies_to_sqlite(seed in any::<u64>()) {
        let Some(test_db) = common::postgres_db("autogen_pg_to_lite") else { return Ok(()) };
        let mut rng = Rng(seed | 1);
        let m1 = random_schema(&mut rng);
        let m2 = mutate(&mut rng, &m1);
        let dir = tempfile::tempdir().unwrap();
        let lite = DatabaseUrl::SqliteFile(dir.path().join("db.sqlite"));
        let mut lite = connect(&lite, &ConnectOptions::default()).unwrap();
        let pg = DatabaseUrl::parse(&test_db.url).unwrap();
        let mut pg = connect(&pg, &ConnectOptions::default()).unwrap();
        if let Err(e) = cross_roundtrip(pg.as_mut(), lite.as_mut(), &m1, &m2) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

/// The database a MariaDB cross-dialect case pairs MariaDB with.
#[derive(Clone, Copy, Debug)]
enum Peer {
    Sqlite,
    Postgres,
}

/// One case of a project with all three dialects as targets (the root crate's
/// features): the revision is autogenerated against MariaDB (`on_mariadb`) or
/// against `peer`, and applied to both. The models are what every dialect of
/// the pair can hold, so the comparison stays exact. `Ok` without a server.
fn mariadb_cross_case(seed: u64, peer: Peer, on_mariadb: bool) -> Result<(), String> {
    let mut rng = Rng(seed | 1);
    let mut m1 = random_schema(&mut rng);
    let mut m2 = mutate(&mut rng, &m1);
    for m in [&mut m1, &mut m2] {
        mysql_expressible(m);
        if let Peer::Sqlite = peer {
            sqlite_expressible(m);
        }
        if on_mariadb {
            mariadb_keeps(m);
        }
    }
    if on_mariadb {
        dropped_unique_indexes_as_constraints(&mut m1, &m2);
        if enum_type_unnamed_on_mariadb(&m1, &m2) {
            return Ok(());
        }
    }
    let Some(my_db) = common::mysql_db("autogen_cross_my") else {
        return Ok(());
    };
    let my = DatabaseUrl::parse(&my_db.url).unwrap();
    let mut my = connect(&my, &ConnectOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pg_db;
    let peer_url = match peer {
        Peer::Sqlite => DatabaseUrl::SqliteFile(dir.path().join("db.sqlite")),
        Peer::Postgres => {
            let Some(db) = common::postgres_db("autogen_cross_my") else {
                return Ok(());
            };
            pg_db = db;
            DatabaseUrl::parse(&pg_db.url).unwrap()
        }
    };
    let mut other = connect(&peer_url, &ConnectOptions::default()).unwrap();
    let (connected, other) = match on_mariadb {
        true => (my.as_mut(), other.as_mut()),
        false => (other.as_mut(), my.as_mut()),
    };
    cross_roundtrip_for(&Dialect::ALL, connected, other, &m1, &m2)
}

/// Whether `m2` drops every column of an enum type of `m1` that it also drops
/// or gives other values. MariaDB's enums are column types without a name, and
/// its columns keep the old values until the revision runs: nothing names the
/// type for the other dialect's section (see the README on portable revisions).
fn enum_type_unnamed_on_mariadb(m1: &Schema, m2: &Schema) -> bool {
    m1.enums.iter().any(|e| {
        if m2.enum_type(&e.name) == Some(e) {
            return false;
        }
        let ty = ColumnType::Enum(e.name.clone());
        let users = m1
            .tables
            .iter()
            .flat_map(|t| t.columns.iter().map(move |c| (&t.name, c)))
            .filter(|(_, c)| c.ty == ty);
        let mut kept = users.clone().filter(|(t, c)| {
            m2.table(t)
                .and_then(|t| t.column(&c.name))
                .is_some_and(|c| c.ty == ty)
        });
        users.count() > 0 && kept.next().is_none()
    })
}

/// Cases the MariaDB property tests below found, each a fixed bug or a shape
/// the models leave out, replayed in the direction that found them.
#[test]
fn mariadb_cross_dialect_seeds() {
    let cases = [
        // A unique index beside a unique constraint on the same column.
        (8741714769939151930, Peer::Sqlite, true),
        // An index added beside a unique key on a TEXT column.
        (2541343708890647898, Peer::Sqlite, true),
        // A unique index dropped with its column.
        (7695203405213569918, Peer::Postgres, true),
        // An enum column dropped while its type gets a value.
        (2741470784881979880, Peer::Postgres, true),
        // Deferral and RESTRICT on a dropped key, an unused enum type.
        (2160283798464964884, Peer::Postgres, true),
        (8741714769939151922, Peer::Sqlite, true),
        (7059659697425589728, Peer::Postgres, true),
        // A unique key on a foreign key's column, generated on PostgreSQL.
        (7522887220335180208, Peer::Postgres, false),
    ];
    for (seed, peer, on_mariadb) in cases {
        if let Err(e) = mariadb_cross_case(seed, peer, on_mariadb) {
            panic!("seed {seed} ({peer:?}, generated on MariaDB: {on_mariadb}): {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: regressions(),
        ..ProptestConfig::default()
    })]

    /// Developed on PostgreSQL, deployed on MariaDB.
    #[test]
    fn autogenerated_on_postgres_applies_to_mariadb(seed in any::<u64>()) {
        if let Err(e) = mariadb_cross_case(seed, Peer::Postgres, false) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }

    /// Developed on MariaDB, deployed on PostgreSQL.
    #[test]
    fn autogenerated_on_mariadb_applies_to_postgres(seed in any::<u64>()) {
        if let Err(e) = mariadb_cross_case(seed, Peer::Postgres, true) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }

    /// Developed on SQLite, deployed on MariaDB.
    #[test]
    fn autogenerated_on_sqlite_applies_to_mariadb(seed in any::<u64>()) {
        if let Err(e) = mariadb_cross_case(seed, Peer::Sqlite, false) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }

    /// Developed on MariaDB, deployed on SQLite.
    #[test]
    fn autogenerated_on_mariadb_applies_to_sqlite(seed in any::<u64>()) {
        if let Err(e) = mariadb_cross_case(seed, Peer::Sqlite, true) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

/// A unique index the models drop, autogenerated against MariaDB (which reports
/// it as a unique constraint), is dropped on PostgreSQL whichever form it has
/// there; the downgrade recreates a unique constraint.
#[test]
fn mariadb_generated_drop_of_a_unique_index_applies_to_postgres() {
    let (Some(my_db), Some(pg_db)) = (
        common::mysql_db("autogen_my_unique_drop"),
        common::postgres_db("autogen_my_unique_drop"),
    ) else {
        return;
    };
    let table = Table {
        name: "t".into(),
        columns: vec![
            id_column(),
            column_named("a", ColumnType::Varchar(40)),
            column_named("b", ColumnType::Varchar(40)),
        ],
        primary_key: vec!["id".into()],
        uniques: vec![UniqueConstraint {
            name: "uq_t_b".into(),
            columns: vec!["b".into()],
            ..UniqueConstraint::default()
        }],
        indexes: vec![Index {
            unique: true,
            ..Index::on("ix_t_a", &["a"])
        }],
        ..Table::default()
    };
    let m1 = Schema {
        tables: vec![table.clone()],
        enums: vec![],
    };
    let m2 = Schema {
        tables: vec![Table {
            uniques: vec![],
            indexes: vec![],
            ..table
        }],
        enums: vec![],
    };
    let mut my = connect(
        &DatabaseUrl::parse(&my_db.url).unwrap(),
        &ConnectOptions::default(),
    )
    .unwrap();
    let mut pg = connect(
        &DatabaseUrl::parse(&pg_db.url).unwrap(),
        &ConnectOptions::default(),
    )
    .unwrap();
    for db in [my.as_mut(), pg.as_mut()] {
        m1.create_all(db).unwrap();
    }
    let at_m1 = read(my.as_mut());
    let out = migrate::autogenerate::generate_for(
        &at_m1,
        Dialect::Mysql,
        &m2,
        &Dialect::ALL,
        &Filter::default(),
    );
    let (_, sql) = out
        .dialects
        .iter()
        .find(|(d, _)| *d == Dialect::Postgres)
        .unwrap();
    apply_up(pg.as_mut(), sql).unwrap();
    expect(
        &m2,
        &read(pg.as_mut()),
        Dialect::Postgres,
        "after the upgrade",
    )
    .unwrap();
    apply_down(pg.as_mut(), sql).unwrap();
    let t = read(pg.as_mut()).table("t").cloned().unwrap();
    let mut uniques: Vec<&str> = t.uniques.iter().map(|u| u.name.as_str()).collect();
    uniques.sort();
    assert_eq!((uniques, t.indexes.len()), (vec!["ix_t_a", "uq_t_b"], 0));
}

/// A dropped MariaDB enum column is of the enum type a kept column with the same
/// values is, when the models give that type new values: the `postgres`
/// section neither drops a type of the column's own name nor recreates one.
#[test]
fn mariadb_generated_enum_column_drop_applies_to_postgres() {
    let (Some(my_db), Some(pg_db)) = (
        common::mysql_db("autogen_my_enum_drop"),
        common::postgres_db("autogen_my_enum_drop"),
    ) else {
        return;
    };
    let mood = ColumnType::Enum("mood".into());
    let m1 = Schema {
        tables: vec![Table {
            name: "t".into(),
            columns: vec![
                id_column(),
                column_named("a", mood.clone()),
                column_named("b", mood),
            ],
            primary_key: vec!["id".into()],
            ..Table::default()
        }],
        enums: vec![EnumType {
            name: "mood".into(),
            variants: vec!["calm".into(), "busy".into()],
        }],
    };
    let mut m2 = m1.clone();
    m2.tables[0].columns.pop();
    m2.enums[0].variants.push("late".into());
    let mut my = connect(
        &DatabaseUrl::parse(&my_db.url).unwrap(),
        &ConnectOptions::default(),
    )
    .unwrap();
    let mut pg = connect(
        &DatabaseUrl::parse(&pg_db.url).unwrap(),
        &ConnectOptions::default(),
    )
    .unwrap();
    cross_roundtrip_for(&Dialect::ALL, my.as_mut(), pg.as_mut(), &m1, &m2).unwrap();
}

/// A unique index beside a unique constraint on the same columns is a key of
/// its own on MySQL, and the normalised models say so.
#[test]
fn mysql_unique_index_beside_a_same_column_constraint_reads_back() {
    let Some(test_db) = common::mysql_db("autogen_my_unique_twice") else {
        return;
    };
    let models = Schema {
        tables: vec![Table {
            name: "t".into(),
            columns: vec![id_column(), column_named("a", ColumnType::Date)],
            primary_key: vec!["id".into()],
            uniques: vec![UniqueConstraint {
                name: "uq_t_a".into(),
                columns: vec!["a".into()],
                ..UniqueConstraint::default()
            }],
            indexes: vec![Index {
                unique: true,
                ..Index::on("ix_t_a", &["a"])
            }],
            ..Table::default()
        }],
        enums: vec![],
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    models.create_all(db.as_mut()).unwrap();
    let found = read(db.as_mut());
    assert_eq!(found.table("t").unwrap().uniques.len(), 2, "{found:?}");
    expect(&models, &found, Dialect::Mysql, "created").unwrap();
    // Autogenerate adds the second key, and takes it away again: the one does
    // not stand for the other.
    let Some(fresh) = common::mysql_db("autogen_my_unique_twice") else {
        return;
    };
    let url = DatabaseUrl::parse(&fresh.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let mut one = models.clone();
    one.tables[0].indexes.clear();
    roundtrip(db.as_mut(), &one, &models).unwrap();
}

/// An index added to a MariaDB table that has a unique key on a `TEXT` column
/// (enforced with a hash, a hidden virtual column) is built without
/// `ALGORITHM=INPLACE`, which the server refuses beside one.
#[test]
fn mysql_index_beside_a_hashed_unique_key_is_built() {
    let Some(test_db) = common::mysql_db("autogen_my_hashed_key") else {
        return;
    };
    let table = Table {
        name: "t".into(),
        columns: vec![
            id_column(),
            column_named("body", ColumnType::Text),
            column_named("n", ColumnType::Integer),
        ],
        primary_key: vec!["id".into()],
        indexes: vec![Index {
            unique: true,
            ..Index::on("ix_t_body", &["body"])
        }],
        ..Table::default()
    };
    let m1 = Schema {
        tables: vec![table.clone()],
        enums: vec![],
    };
    let mut m2 = m1.clone();
    m2.tables[0].indexes.push(Index::on("ix_t_n", &["n"]));
    m2.tables[0].uniques.push(UniqueConstraint {
        name: "uq_t_n".into(),
        columns: vec!["n".into()],
        ..UniqueConstraint::default()
    });
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    roundtrip(db.as_mut(), &m1, &m2).unwrap();
}

/// MySQL introspection costs the same number of round trips for 1 table as for
/// 60.
#[test]
fn mysql_introspection_uses_a_fixed_number_of_queries() {
    use migrate_core::backend::introspect::mysql::{introspect, Catalog};
    use mysql::prelude::Queryable;

    struct Counting<'a>(&'a mut mysql::Conn, usize);
    impl Catalog for Counting<'_> {
        fn rows(&mut self, sql: &str) -> Result<Vec<mysql::Row>, mysql::Error> {
            self.1 += 1;
            self.0.query(sql)
        }
    }

    let Some(test_db) = common::mysql_db("autogen_query_count") else {
        return;
    };
    let mut conn = test_db.connect();
    let queries_for = |tables: usize, conn: &mut mysql::Conn| {
        for i in 0..tables {
            conn.query_drop(format!(
                "CREATE TABLE IF NOT EXISTS q{i} (id BIGINT PRIMARY KEY, v VARCHAR(20) UNIQUE, \
                 p BIGINT, e ENUM('a', 'b'), CONSTRAINT ck_q{i} CHECK (p <> 0), \
                 CONSTRAINT fk_q{i} FOREIGN KEY (p) REFERENCES q{i} (id))"
            ))
            .unwrap();
        }
        let mut counting = Counting(conn, 0);
        let schema = introspect(&mut counting, "migrate_version").unwrap();
        assert_eq!(schema.tables.len(), tables);
        counting.1
    };
    let one = queries_for(1, &mut conn);
    let sixty = queries_for(60, &mut conn);
    assert_eq!((one, sixty), (6, 6));
}

/// DDL as people write it for MySQL, in the server's many spellings (display
/// widths, `BOOL`, `now()`, charsets and collations, an implicit foreign-key
/// index, `RESTRICT`, a unique index, JSON), reads back as the models that
/// describe it: `check` finds nothing.
#[test]
fn mysql_introspection_normalises_hand_written_ddl() {
    let Some(test_db) = common::mysql_db("autogen_mysql_spellings") else {
        return;
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    db.execute(
        "CREATE TABLE teams (id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY, \
           name varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL) \
           ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
         CREATE TABLE `user` (
             id bigint(20) NOT NULL,
             team_id int(11) DEFAULT NULL,
             active tinyint(1) NOT NULL DEFAULT 1,
             verified BOOL DEFAULT FALSE,
             created datetime(6) NOT NULL DEFAULT now(6),
             updated datetime(6) DEFAULT CURRENT_TIMESTAMP(6),
             mood enum('calm','it''s late') NOT NULL DEFAULT 'calm',
             settings JSON,
             karma smallint(6) NOT NULL DEFAULT '0' COMMENT 'Earned.',
             PRIMARY KEY (id),
             CONSTRAINT fk_user_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE RESTRICT,
             CONSTRAINT ck_user_karma CHECK (karma >= 0)
         ) COMMENT='People.';
         CREATE UNIQUE INDEX uq_user_team_mood ON `user` (team_id, mood);",
    )
    .unwrap();
    let column = |name: &str, ty: ColumnType, nullable: bool, default: Option<&str>| Column {
        name: name.into(),
        ty,
        nullable,
        default: default.map(Into::into),
        comment: None,
        generated: None,
        collation: None,
    };
    let teams = Table {
        name: "teams".into(),
        columns: vec![
            column("id", ColumnType::Integer, false, None),
            column("name", ColumnType::Varchar(50), false, None),
        ],
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    let mut karma = column("karma", ColumnType::SmallInt, false, Some("0"));
    karma.comment = Some("Earned.".into());
    let user = Table {
        name: "user".into(),
        columns: vec![
            id_column(),
            column("team_id", ColumnType::Integer, true, None),
            column("active", ColumnType::Boolean, false, Some("true")),
            column("verified", ColumnType::Boolean, true, Some("false")),
            column(
                "created",
                ColumnType::Timestamp,
                false,
                Some("CURRENT_TIMESTAMP"),
            ),
            column("updated", ColumnType::TimestampTz, true, Some("now()")),
            column(
                "mood",
                ColumnType::Enum("mood".into()),
                false,
                Some("'calm'"),
            ),
            column("settings", ColumnType::Json, true, None),
            karma,
        ],
        primary_key: vec!["id".into()],
        foreign_keys: vec![ForeignKey {
            name: "fk_user_team".into(),
            columns: vec!["team_id".into()],
            ref_table: "teams".into(),
            ref_columns: vec!["id".into()],
            on_delete: Some(FkAction::Restrict),
            ..ForeignKey::default()
        }],
        checks: vec![CheckConstraint {
            name: "ck_user_karma".into(),
            expr: "karma >= 0".into(),
            not_valid: false,
        }],
        indexes: vec![Index {
            unique: true,
            ..Index::on("uq_user_team_mood", &["team_id", "mood"])
        }],
        comment: Some("People.".into()),
        ..Table::default()
    };
    let models = Schema {
        tables: vec![teams, user],
        enums: vec![EnumType {
            name: "mood".into(),
            variants: vec!["calm".into(), "it's late".into()],
        }],
    };
    let (found, diff) = migrate::autogenerate::compare_database(
        db.as_mut(),
        &models,
        &Filter::default(),
        &LedgerConfig::default(),
    )
    .unwrap();
    assert!(diff.is_empty(), "{:#?}", diff.ops);
    assert_eq!(
        normalize_schema(&found, Dialect::Mysql),
        normalize_schema(&models, Dialect::Mysql)
    );
    let user = found.table("user").unwrap();
    assert!(
        user.indexes.is_empty(),
        "the foreign key's own index is left out"
    );
    assert_eq!(
        user.column("active").unwrap().default.as_deref(),
        Some("true")
    );
    assert_eq!(user.column("settings").unwrap().ty, ColumnType::Json);
    assert!(user.checks.iter().all(|c| c.name == "ck_user_karma"));
    // A real difference still shows.
    let mut changed = models.clone();
    changed.tables[1].columns[2].default = Some("false".into());
    let diff = compare(&found, &changed, Dialect::Mysql, &Filter::default());
    assert_eq!(diff.ops.len(), 1, "{:?}", diff.ops);
    let sql = generate(&diff, &found, &changed, Dialect::Mysql)
        .up
        .statements;
    assert_eq!(
        sql,
        ["ALTER TABLE `user` MODIFY COLUMN `active` BOOLEAN NOT NULL DEFAULT false"]
    );
    // The ledger table is never part of the schema.
    db.execute("CREATE TABLE migrate_version (revision VARCHAR(64))")
        .unwrap();
    assert_eq!(read(db.as_mut()).tables.len(), 2);
}

/// What models create on MySQL reads back as the models: reserved words, odd
/// identifiers, quotes and backslashes in enum values and comments, JSON, an
/// unbounded decimal, a plain and a unique index on TEXT, a self-reference.
#[test]
fn mysql_models_read_back_as_themselves() {
    let Some(test_db) = common::mysql_db("autogen_mysql_models") else {
        return;
    };
    let column = |name: &str, ty: ColumnType| Column {
        name: name.into(),
        ty,
        nullable: true,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    };
    let mut status = column("status", ColumnType::Enum("account status".into()));
    status.default = Some("'it''s'".into());
    status.comment = Some("Can they sign in? It's \"complicated\" \\ often.".into());
    let order = Table {
        name: "order".into(),
        columns: vec![
            id_column(),
            status,
            column("Select", ColumnType::Numeric(None)),
            column("note", ColumnType::Text),
            column("doc", ColumnType::Json),
            column("parent", ColumnType::BigInt),
            column("blob", ColumnType::Blob),
        ],
        primary_key: vec!["id".into()],
        uniques: vec![UniqueConstraint {
            name: "uq order note".into(),
            columns: vec!["note".into()],
            ..UniqueConstraint::default()
        }],
        foreign_keys: vec![ForeignKey {
            name: "fk_order_parent".into(),
            columns: vec!["parent".into()],
            ref_table: "order".into(),
            ref_columns: vec!["id".into()],
            on_delete: Some(FkAction::SetNull),
            on_update: Some(FkAction::Cascade),
            ..ForeignKey::default()
        }],
        indexes: vec![Index::on("ix_order_note_blob", &["note", "blob"])],
        comment: Some("Orders \\ and 'quotes'.".into()),
        ..Table::default()
    };
    let models = Schema {
        tables: vec![order],
        enums: vec![EnumType {
            name: "account status".into(),
            variants: vec!["active".into(), "it's".into(), "back\\slash".into()],
        }],
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    models.create_all(db.as_mut()).unwrap();
    let found = read(db.as_mut());
    assert_eq!(
        normalize_schema(&found, Dialect::Mysql),
        normalize_schema(&models, Dialect::Mysql)
    );
    assert!(compare(&found, &models, Dialect::Mysql, &Filter::default()).is_empty());
    let order = found.table("order").unwrap();
    assert_eq!(order.comment, models.tables[0].comment);
    assert_eq!(
        found.enums[0].variants,
        ["active", "it's", "back\\slash"],
        "{:?}",
        found.enums
    );
    // Dropping it all and recreating it from what was read gives the same.
    let empty = Schema::default();
    let diff = compare(&found, &empty, Dialect::Mysql, &Filter::default());
    let generated = generate(&diff, &found, &empty, Dialect::Mysql);
    apply(db.as_mut(), &generated.up).unwrap();
    assert!(read(db.as_mut()).tables.is_empty());
    apply(db.as_mut(), &generated.down).unwrap();
    assert_eq!(
        normalize_schema(&read(db.as_mut()), Dialect::Mysql),
        normalize_schema(&models, Dialect::Mysql)
    );
}
