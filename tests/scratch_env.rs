//! `ScratchDatabase::from_env`: `MIGRATE_TEST_DATABASE_URL` names the server, else
//! the application's own URL does. One test in its own binary, since it sets
//! process environment variables.

mod common;

use migrate::config::DatabaseUrl;
use migrate::testing::ScratchDatabase;

#[test]
fn from_env_reads_the_test_server_variable_then_the_application_url() {
    let tmp = tempfile::tempdir().unwrap();
    std::env::set_current_dir(tmp.path()).unwrap();
    for var in [
        "DATABASE_URL",
        "DATABASE_URL_DEV",
        "ENVIRONMENT",
        migrate::testing::SERVER_VAR,
    ] {
        std::env::remove_var(var);
    }
    let err = ScratchDatabase::from_env().unwrap_err().to_string();
    assert_eq!(
        err,
        "DATABASE_URL_DEV is not set for ENVIRONMENT=development"
    );

    std::env::set_var("DATABASE_URL_DEV", "sqlite://dev.db");
    let db = ScratchDatabase::from_env().unwrap();
    assert!(matches!(db.database_url(), DatabaseUrl::SqliteFile(p) if p.ends_with("scratch.db")));

    if common::postgres_db("scratch_env_probe").is_some() {
        std::env::set_var(migrate::testing::SERVER_VAR, common::postgres_admin_url());
        let db = ScratchDatabase::from_env().unwrap();
        assert!(
            matches!(db.database_url(), DatabaseUrl::Postgres(_)),
            "{db}"
        );
        assert!(db.url().contains("dbname=migrate_scratch_"), "{db}");
    }
}
