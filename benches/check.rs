//! The figures for `check` (introspect + compare) on a schema of 500 tables,
//! each with 6 columns, 1 index and 1 foreign key, against a SQLite file, a
//! PostgreSQL database and a MySQL/MariaDB database, side by side in one run.
//! Targets: SQLite < 0.3 s, PostgreSQL < 0.5 s, MySQL < 0.5 s. The database is
//! set up once, outside the timing; each iteration connects nothing and reads
//! the whole catalog.
//!
//! PostgreSQL: `MIGRATE_TEST_POSTGRES_URL` or postgres://postgres@127.0.0.1:5432/postgres;
//! MySQL: `MIGRATE_TEST_MYSQL_URL` or mysql://root@127.0.0.1:3306/test. For each,
//! a scratch database is created and dropped; skipped with a notice when no
//! server answers. Run one with a filter: `cargo bench --bench check -- mysql`.

use criterion::{criterion_group, criterion_main, Criterion};
use migrate::autogenerate::{compare_database, Filter};
use migrate::backend::{connect, Backend, ConnectOptions, LedgerConfig};
use migrate::config::DatabaseUrl;
use migrate::schema::{Column, ColumnType, ForeignKey, Index, Schema, Table};

const TABLES: usize = 500;

fn column(name: &str, ty: ColumnType, nullable: bool, default: Option<&str>) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable,
        default: default.map(str::to_string),
        comment: None,
        generated: None,
        collation: None,
    }
}

fn schema() -> Schema {
    let tables = (0..TABLES)
        .map(|i| {
            let name = format!("t{i:03}");
            let parent = format!("t{:03}", i.saturating_sub(1));
            Table {
                columns: vec![
                    column("id", ColumnType::BigInt, false, None),
                    column("name", ColumnType::Varchar(100), false, None),
                    column("note", ColumnType::Text, true, None),
                    column("score", ColumnType::Double, false, Some("0")),
                    column("created", ColumnType::Timestamp, true, None),
                    column("parent_id", ColumnType::BigInt, true, None),
                ],
                primary_key: vec!["id".into()],
                indexes: vec![Index {
                    name: format!("ix_{name}_name"),
                    columns: vec!["name".into()],
                    unique: false,
                    predicate: None,
                    ..Index::default()
                }],
                foreign_keys: vec![ForeignKey {
                    name: format!("fk_{name}_parent_id"),
                    columns: vec!["parent_id".into()],
                    ref_schema: None,
                    ref_table: parent,
                    ref_columns: vec!["id".into()],
                    on_delete: None,
                    on_update: None,
                    ..ForeignKey::default()
                }],
                name,
                ..Table::default()
            }
        })
        .collect();
    Schema {
        tables,
        enums: vec![],
    }
}

fn bench_check(c: &mut Criterion, label: &str, db: &mut dyn Backend, models: &Schema) {
    models.create_all(db).expect("create the schema");
    let (filter, ledger) = (Filter::default(), LedgerConfig::default());
    // The models and the database agree: anything found would be a bug.
    let (_, diff) = compare_database(db, models, &filter, &ledger).expect("check");
    assert!(
        diff.is_empty(),
        "{label}: {:?}",
        &diff.ops[..diff.ops.len().min(3)]
    );
    let mut group = c.benchmark_group("check");
    group.sample_size(20);
    group.bench_function(format!("{label}/{TABLES} tables"), |b| {
        b.iter(|| compare_database(db, models, &filter, &ledger).expect("check"))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let models = schema();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::SqliteFile(dir.path().join("check.db"));
    let mut sqlite = connect(&url, &ConnectOptions::default()).expect("sqlite");
    bench_check(c, "sqlite", sqlite.as_mut(), &models);
    bench_mysql(c, &models);

    let admin_url = std::env::var("MIGRATE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let mut admin = match postgres::Client::connect(&admin_url, postgres::NoTls) {
        Ok(admin) => admin,
        Err(e) => {
            eprintln!("notice: skipping the PostgreSQL check benchmark: no server ({e})");
            return;
        }
    };
    let name = format!("migrate_bench_check_{}", std::process::id());
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create scratch database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database");
    let url = DatabaseUrl::parse(&format!("{base}/{name}")).expect("URL");
    {
        let mut pg = connect(&url, &ConnectOptions::default()).expect("postgres");
        bench_check(c, "postgres", pg.as_mut(), &models);
    }
    let _ = admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"));
}

/// The MySQL part: a scratch database on the server `MIGRATE_TEST_MYSQL_URL` names.
fn bench_mysql(c: &mut Criterion, models: &Schema) {
    use mysql::prelude::Queryable;
    let admin_url = std::env::var("MIGRATE_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_string());
    let opts = mysql::Opts::from_url(&admin_url).expect("MIGRATE_TEST_MYSQL_URL");
    let mut admin = match mysql::Conn::new(opts) {
        Ok(admin) => admin,
        Err(e) => {
            eprintln!("notice: skipping the MySQL check benchmark: no server ({e})");
            return;
        }
    };
    let name = format!("migrate_bench_check_{}", std::process::id());
    admin
        .query_drop(format!("CREATE DATABASE `{name}`"))
        .expect("create scratch database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database");
    let url = DatabaseUrl::parse(&format!("{base}/{name}")).expect("URL");
    {
        let mut db = connect(&url, &ConnectOptions::default()).expect("mysql");
        bench_check(c, "mysql", db.as_mut(), models);
    }
    let _ = admin.query_drop(format!("DROP DATABASE `{name}`"));
}

criterion_group!(check, benches);
criterion_main!(check);
