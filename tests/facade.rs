//! The facade's own promises: a URL parses through `str::parse` exactly as
//! through `DatabaseUrl::parse`, the start-up helpers sit where the README
//! puts them, and each backend feature names its backend under
//! `migrate::backend`.

mod common;

use migrate::config::DatabaseUrl;

#[test]
fn database_urls_parse_with_from_str_as_with_parse() {
    for text in [
        "sqlite::memory:",
        "sqlite://data/app.db",
        "sqlite:///var/lib/app.db",
        "postgres://app:s3cret@db:5432/app?sslmode=require",
        "mysql://app:s3cret@db/app",
        "mariadb://app:s3cret@db:3306/app",
    ] {
        let parsed: DatabaseUrl = text.parse().unwrap();
        assert_eq!(parsed, DatabaseUrl::parse(text).unwrap(), "{text}");
    }
    for bad in [
        "oracle://app:s3cret@db/app",
        "sqlite://",
        "host=db user=app password=s3cret",
    ] {
        let err = bad.parse::<DatabaseUrl>().unwrap_err();
        assert_eq!(
            err.to_string(),
            DatabaseUrl::parse(bad).unwrap_err().to_string()
        );
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}

#[test]
fn the_start_up_helpers_resolve_a_url_from_the_environment() {
    let env = |key: &str| match key {
        "ENVIRONMENT" => Some("staging".to_string()),
        "DATABASE_URL_STAGING" => Some("sqlite::memory:".to_string()),
        _ => None,
    };
    let url = migrate::config::resolve_url(None, &env).unwrap();
    assert_eq!(url, DatabaseUrl::SqliteMemory);
    // The function the README's start-up snippet calls.
    let _: fn(Option<&str>) -> migrate::Result<DatabaseUrl> = migrate::config::url_from_env;
}

/// With the `mysql` feature, `migrate::backend::mysql` is the MySQL backend, as
/// `postgres` and `sqlite` are theirs: it connects to a real server and reads
/// an empty database.
#[cfg(feature = "mysql")]
#[test]
fn the_mysql_feature_names_its_backend() {
    use migrate::backend::mysql::MysqlBackend;
    use migrate::backend::{Backend, ConnectOptions, LedgerConfig};
    let Some(test_db) = common::mysql_db("facade_mysql") else {
        return;
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut backend = MysqlBackend::connect(&url, &ConnectOptions::default()).unwrap();
    assert_eq!(backend.dialect(), migrate::Dialect::Mysql);
    let schema = backend.introspect(&[], &LedgerConfig::default()).unwrap();
    assert!(schema.tables.is_empty(), "{schema:?}");
}
