//! Every public entry point called from async code inside a tokio runtime, as a
//! service's `#[tokio::main]` would: on a multi-thread runtime, on a current-thread
//! runtime, and in a spawned task. The `postgres` crate on its own panics there
//! ("Cannot start a runtime from within a runtime"); SQLite and MariaDB are
//! checked alongside.

mod common;

use migrate::backend::{self, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::schema::{Column, ColumnType, Schema, Table};
use migrate::{runner, testing, EmbeddedMigrations};
use migrate_core::backend::postgres::outside_runtime;

static MIGRATIONS: EmbeddedMigrations = migrate::embed_migrations!("tests/fixtures/two_tables");

/// Empty databases, one per check that wants its own: PostgreSQL when a server
/// answers, and SQLite files. Made and dropped off the runtime, as test set-up.
struct Databases {
    urls: Vec<String>,
    _pg: Vec<common::TestDb>,
    _dir: tempfile::TempDir,
}

const CHECKS: usize = 6;

fn databases(test: &str) -> Databases {
    let dir = tempfile::tempdir().unwrap();
    let mut urls: Vec<String> = (0..CHECKS)
        .map(|i| format!("sqlite://{}", dir.path().join(format!("{i}.db")).display()))
        .collect();
    let pg: Vec<common::TestDb> = (0..CHECKS)
        .map_while(|_| common::postgres_db(test))
        .collect();
    urls.extend(pg.iter().map(|db| db.url.clone()));
    Databases {
        urls,
        _pg: pg,
        _dir: dir,
    }
}

fn one_table() -> Schema {
    Schema {
        tables: vec![Table {
            name: "made_by_create_all".into(),
            columns: vec![Column {
                name: "id".into(),
                ty: ColumnType::BigInt,
                nullable: false,
                default: None,
                comment: None,
                generated: None,
                collation: None,
            }],
            primary_key: vec!["id".into()],
            ..Table::default()
        }],
        enums: vec![],
    }
}

/// Calls each entry point from async code, on every database.
async fn every_entry_point(test: &'static str) {
    let dbs = tokio::task::spawn_blocking(move || databases(test))
        .await
        .unwrap();
    for urls in dbs.urls.chunks(CHECKS) {
        let [upgrade_url, from_base, roundtrip, models, create_all, own] = urls else {
            unreachable!()
        };
        let url = DatabaseUrl::parse(upgrade_url).unwrap();

        // runner
        let report = runner::upgrade(&MIGRATIONS, &url, "heads").unwrap();
        assert_eq!(report.steps, ["a1", "a2"]);
        assert_eq!(
            runner::upgrade(&MIGRATIONS, &url, "heads")
                .unwrap()
                .steps
                .len(),
            0
        );

        // cli
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = migrate::cli::run_from(
            ["migrate", "--url", upgrade_url.as_str(), "current"],
            migrate::cli::Source::from(&MIGRATIONS),
            &mut out,
            &mut err,
        );
        assert_eq!(
            code,
            std::process::ExitCode::SUCCESS,
            "{}",
            String::from_utf8_lossy(&err)
        );
        assert_eq!(String::from_utf8_lossy(&out), "a2 (head)\n");

        // testing
        testing::single_head(&MIGRATIONS).unwrap();
        testing::upgrade_from_base(&MIGRATIONS, from_base).unwrap();
        testing::up_down_roundtrip(&MIGRATIONS, roundtrip).unwrap();
        let err = testing::models_match_schema(&MIGRATIONS, models, &Schema::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("drop table child"), "{err}");

        // Schema::create_all
        let mut db = backend::connect(
            &DatabaseUrl::parse(create_all).unwrap(),
            &ConnectOptions::default(),
        )
        .unwrap();
        one_table().create_all(&mut *db).unwrap();
        let ledger = backend::LedgerConfig::default();
        assert_eq!(db.introspect(&[], &ledger).unwrap().tables.len(), 1);
        drop(db);

        // The application's own connection, opened and used inside the runtime.
        let own = DatabaseUrl::parse(own).unwrap();
        match &own {
            DatabaseUrl::Postgres(_) => {
                let mut client =
                    backend::postgres::connect_client(&own, &ConnectOptions::default()).unwrap();
                runner::upgrade_on(&MIGRATIONS, &mut client, "a1").unwrap();
                assert_eq!(
                    runner::current_on(&MIGRATIONS, &mut client).unwrap(),
                    ["a1"]
                );
                runner::downgrade_on(&MIGRATIONS, &mut client, "base").unwrap();
                runner::stamp_on(&MIGRATIONS, &mut client, "a2").unwrap();
                // The `postgres` crate's client closes by blocking, so it is dropped
                // off the runtime too.
                outside_runtime(move || drop(client));
            }
            _ => {
                let DatabaseUrl::SqliteFile(path) = &own else {
                    unreachable!()
                };
                let mut conn = rusqlite::Connection::open(path).unwrap();
                runner::upgrade_on(&MIGRATIONS, &mut conn, "a1").unwrap();
                assert_eq!(runner::current_on(&MIGRATIONS, &mut conn).unwrap(), ["a1"]);
                runner::downgrade_on(&MIGRATIONS, &mut conn, "base").unwrap();
                runner::stamp_on(&MIGRATIONS, &mut conn, "a2").unwrap();
            }
        }
    }
    tokio::task::spawn_blocking(move || drop(dbs))
        .await
        .unwrap();
}

/// The same from async code on MariaDB/MySQL: the driver does plain blocking
/// I/O with no runtime of its own, so nothing needs moving off the runtime.
async fn mysql_entry_points(test: &'static str) {
    let made =
        tokio::task::spawn_blocking(move || (common::mysql_db(test), common::mysql_db(test)))
            .await
            .unwrap();
    let (Some(db), Some(own)) = made else {
        return;
    };
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let report = runner::upgrade(&MIGRATIONS, &url, "heads").unwrap();
    assert_eq!(report.steps, ["a1", "a2"]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = migrate::cli::run_from(
        ["migrate", "--url", db.url.as_str(), "current"],
        migrate::cli::Source::from(&MIGRATIONS),
        &mut out,
        &mut err,
    );
    assert_eq!(
        code,
        std::process::ExitCode::SUCCESS,
        "{}",
        String::from_utf8_lossy(&err)
    );
    assert_eq!(String::from_utf8_lossy(&out), "a2 (head)\n");
    let mut db_backend = backend::connect(&url, &ConnectOptions::default()).unwrap();
    one_table().create_all(&mut *db_backend).unwrap();
    drop(db_backend);
    let mut conn = own.connect();
    runner::upgrade_on(&MIGRATIONS, &mut conn, "a1").unwrap();
    assert_eq!(runner::current_on(&MIGRATIONS, &mut conn).unwrap(), ["a1"]);
    runner::downgrade_on(&MIGRATIONS, &mut conn, "base").unwrap();
    runner::stamp_on(&MIGRATIONS, &mut conn, "a2").unwrap();
    drop(conn);
    tokio::task::spawn_blocking(move || drop((db, own)))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_multi_thread_runtime() {
    every_entry_point("async_multi").await;
    mysql_entry_points("async_my_multi").await;
}

#[tokio::test(flavor = "current_thread")]
async fn on_a_current_thread_runtime() {
    every_entry_point("async_current").await;
    mysql_entry_points("async_my_current").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_spawned_task() {
    tokio::spawn(every_entry_point("async_spawned"))
        .await
        .unwrap();
    tokio::spawn(mysql_entry_points("async_my_spawned"))
        .await
        .unwrap();
}
