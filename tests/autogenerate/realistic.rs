//! The round trip on a realistic PostgreSQL schema written here
//! (`realistic.sql`: 32 tables in two schemas, serial and identity columns with
//! their sequences, stored generated columns, domains, arrays, collations, enum
//! types, `pg_trgm` gin indexes, expression, partial, covering, hash, brin and
//! spgist indexes, exclusion, deferrable, `MATCH FULL` and `NOT VALID`
//! constraints, comments, and a trigger, a function, a view and a materialized
//! view on a table autogenerate is told to leave alone).
//!
//! Read back, the database is a model it matches exactly. The drop-everything
//! round trip through the runner, compared catalog line by catalog line, is
//! `tests/autogenerate_realistic.rs`.

use migrate::autogenerate::{compare, generate, Filter};
use migrate::backend::{connect, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::schema::Schema;
use migrate::Dialect;

use super::common;

/// The schema, as a real project's migrations would leave it.
pub(crate) const REALISTIC: &str = include_str!("realistic.sql");

/// What autogenerate compares: `public` and `billing`, without the audit tables.
pub(crate) fn realistic_filter() -> Filter {
    Filter {
        exclude: vec!["audit_*".into()],
        schemas: vec!["billing".into()],
        ..Filter::default()
    }
}

/// The drop-everything round trip through the runner (`revision --autogenerate`,
/// `upgrade`, `downgrade base`) is `tests/autogenerate_realistic.rs`, a binary
/// without these models linked in; here the library's view of the same schema.
#[test]
fn postgres_realistic_schema_read_back_is_its_own_model() {
    let Some(test_db) = common::postgres_db("autogen_realistic") else {
        return;
    };
    let mut client = test_db.connect();
    client.batch_execute(REALISTIC).unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let filter = realistic_filter();
    let found = db.introspect(&filter.schemas, &Default::default()).unwrap();
    let managed: Vec<&str> = found
        .tables
        .iter()
        .filter(|t| filter.selects(t))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(managed.len(), 32, "{managed:?}");

    // The database, read, is a model it matches exactly.
    let clean = compare(&found, &found, Dialect::Postgres, &filter);
    assert!(clean.is_empty(), "{:#?}", clean.ops);
    // And "drop everything" names every managed table.
    let diff = compare(&found, &Schema::default(), Dialect::Postgres, &filter);
    let generated = generate(&diff, &found, &Schema::default(), Dialect::Postgres);
    for table in &managed {
        assert!(
            generated
                .up
                .statements
                .iter()
                .any(|s| s.starts_with("DROP TABLE") && s.contains(table)),
            "no DROP TABLE for {table}"
        );
    }
}
