//! The round trip on a realistic PostgreSQL schema written here
//! (`realistic.sql`: 32 tables in two schemas, serial and identity columns with
//! their sequences, stored generated columns, domains, arrays, collations, enum
//! types, `pg_trgm` gin indexes, expression, partial, covering, hash, brin and
//! spgist indexes, exclusion, deferrable, `MATCH FULL` and `NOT VALID`
//! constraints, comments, and a trigger, a function, a view and a materialized
//! view on a table autogenerate is told to leave alone).
//!
//! Autogenerate against models that have none of it writes "drop everything";
//! the upgrade applies, the downgrade brings it all back, and PostgreSQL's own
//! account of the schema (`catalog::snapshot`) is the same before and after.

use migrate::autogenerate::{compare, generate, Filter};
use migrate::backend::{connect, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::schema::Schema;
use migrate::Dialect;

use super::catalog::{assert_same, snapshot};
use super::common;
use super::roundtrip::apply;

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

#[test]
fn postgres_realistic_schema_drop_all_and_downgrade_is_identical() {
    let Some(test_db) = common::postgres_db("autogen_realistic") else {
        return;
    };
    let mut client = test_db.connect();
    client.batch_execute(REALISTIC).unwrap();
    let schemas = ["public", "billing"];
    let before = snapshot(&mut client, &schemas);

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

    let diff = compare(&found, &Schema::default(), Dialect::Postgres, &filter);
    let generated = generate(&diff, &found, &Schema::default(), Dialect::Postgres);
    apply(db.as_mut(), &generated.up).unwrap_or_else(|e| {
        panic!(
            "the upgrade fails: {e}\n{}",
            generated.up.statements.join(";\n")
        )
    });
    let left: Vec<String> = client
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'S') AND n.nspname IN ('public', 'billing') ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        left,
        ["audit_log", "audit_log_id_seq"],
        "only what is left alone stays"
    );
    assert_eq!(
        client
            .query_one("SELECT count(*) FROM pg_type WHERE typtype = 'e'", &[])
            .unwrap()
            .get::<_, i64>(0),
        0,
        "enum types no table uses are dropped"
    );

    apply(db.as_mut(), &generated.down).unwrap_or_else(|e| {
        panic!(
            "the downgrade fails: {e}\n{}",
            generated.down.statements.join(";\n")
        )
    });
    assert_same(&before, &snapshot(&mut client, &schemas));

    let again = db.introspect(&filter.schemas, &Default::default()).unwrap();
    let back = compare(&again, &found, Dialect::Postgres, &filter);
    assert!(back.is_empty(), "{:#?}", back.ops);
}
