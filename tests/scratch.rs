//! `testing::ScratchDatabase`: a fresh database per test on the real PostgreSQL
//! server (and SQLite), so the `testing` checks run in parallel and on reruns, and
//! nothing is left behind.

mod common;

use migrate::testing::{self, ScratchDatabase};
use migrate::EmbeddedMigrations;

static MIGRATIONS: EmbeddedMigrations =
    migrate::embed_migrations!("tests/fixtures/testing/two_heads", allow_multiple_heads);

/// The test server's URL, or `None` (after a notice) when none answers.
fn server() -> Option<String> {
    common::postgres_db("scratch_probe").map(|_| common::postgres_admin_url())
}

fn database_exists(name: &str) -> bool {
    let mut admin =
        postgres::Client::connect(&common::postgres_admin_url(), postgres::NoTls).unwrap();
    admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_some()
}

fn database_name(db: &ScratchDatabase) -> String {
    db.url().rsplit("dbname=").next().unwrap().to_string()
}

#[test]
fn every_check_gets_its_own_database_in_parallel_and_on_reruns() {
    let Some(server) = server() else { return };
    // Twice, as a second `cargo test` would: nothing is left over to trip on.
    for _run in 0..2 {
        let names: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        let checks: [fn(&EmbeddedMigrations, &str) -> migrate::Result<()>; 2] =
                            [testing::upgrade_from_base, testing::up_down_roundtrip];
                        let mut names = Vec::new();
                        for check in checks {
                            let db = ScratchDatabase::create(&server).unwrap();
                            check(&MIGRATIONS, db.url()).unwrap();
                            names.push(database_name(&db));
                        }
                        names
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        assert_eq!(names.len(), 8);
        for name in &names {
            assert!(name.starts_with("migrate_scratch_"), "{name}");
            assert!(!database_exists(name), "{name} was left behind");
        }
    }
}

#[test]
fn a_migrated_scratch_database_is_at_the_heads() {
    let Some(server) = server() else { return };
    let db = ScratchDatabase::create(&server)
        .unwrap()
        .migrated(&MIGRATIONS)
        .unwrap();
    let name = database_name(&db);
    assert!(database_exists(&name));
    let mut client = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
    let mut tables: Vec<String> = client
        .query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    tables.sort();
    assert_eq!(tables, ["a", "b", "c", "migrate_version"]);
    // A connection the test left open does not keep the database alive.
    drop(db);
    assert!(!database_exists(&name));
    drop(client);
}

#[test]
fn the_password_never_shows() {
    let Some(server) = server() else { return };
    // Trust authentication ignores the password, so the URL can carry one.
    let with_password = server.replacen("://postgres@", "://postgres:S3cretPw@", 1);
    if with_password == server {
        return; // a custom MIGRATE_TEST_POSTGRES_URL of another shape
    }
    let db = ScratchDatabase::create(&with_password).unwrap();
    for shown in [db.to_string(), format!("{db:?}")] {
        assert!(
            !shown.contains("S3cretPw") && shown.contains(":***@"),
            "{shown}"
        );
    }
    assert!(db.url().contains("S3cretPw"), "url() is for connecting");
}

#[test]
fn sqlite_scratch_databases_are_files_removed_afterwards() {
    let db = ScratchDatabase::create("sqlite::memory:").unwrap();
    testing::up_down_roundtrip(&MIGRATIONS, db.url()).unwrap();
    let db2 = ScratchDatabase::create("sqlite://app.db")
        .unwrap()
        .migrated(&MIGRATIONS)
        .unwrap();
    let path = match db2.database_url() {
        migrate::config::DatabaseUrl::SqliteFile(path) => path.clone(),
        other => panic!("{other}"),
    };
    assert!(path.exists());
    assert_ne!(db.url(), db2.url());
    // The checks refuse a database that is not empty, which is why each needs its own.
    let err = testing::upgrade_from_base(&MIGRATIONS, db2.url())
        .unwrap_err()
        .to_string();
    assert!(err.contains("already has tables"), "{err}");
    drop(db2);
    assert!(!path.exists() && !path.parent().unwrap().exists());
}

#[test]
fn scratch_databases_and_the_checks_on_mariadb() {
    use mysql::prelude::Queryable;
    if common::mysql_db("scratch_my_probe").is_none() {
        return;
    }
    let server = common::mysql_admin_url();
    let exists = |name: &str| -> bool {
        let mut admin = mysql::Conn::new(common::mysql_opts(&server)).unwrap();
        let found: Option<String> = admin
            .exec_first(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?",
                (name,),
            )
            .unwrap();
        found.is_some()
    };
    // The `testing` checks, each on a scratch database of its own.
    for check in [testing::upgrade_from_base, testing::up_down_roundtrip] {
        let db = ScratchDatabase::create(&server).unwrap();
        check(&MIGRATIONS, db.url()).unwrap();
    }
    let db = ScratchDatabase::create(&server).unwrap();
    let name = db.url().rsplit('/').next().unwrap().to_string();
    assert!(name.starts_with("migrate_scratch_"), "{name}");
    assert!(exists(&name));
    let report = db.migrate(&MIGRATIONS, "heads").unwrap();
    assert_eq!(report.steps.len(), 3);
    let mut conn = mysql::Conn::new(common::mysql_opts(db.url())).unwrap();
    let tables: Vec<String> = conn
        .query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1")
        .unwrap();
    assert_eq!(tables, ["a", "b", "c", "migrate_version"]);
    drop(conn);
    drop(db);
    assert!(!exists(&name), "{name} was left behind");
}
