//! Names that PostgreSQL decides, on a real server: a primary key's constraint
//! name, which need not be `{table}_pkey`, and the 63 bytes it keeps of any name.

mod common;

use migrate::autogenerate::{compare, compare_database, generate, Filter, Rendered};
use migrate::backend::{connect, Backend, ConnectOptions, LedgerConfig};
use migrate::config::DatabaseUrl;
use migrate::model;
use migrate::schema::Schema;
use migrate::Dialect;
use migrate_core::schema::names::MAX_NAME_BYTES;

#[model(table = "loyalty_programme_membership_tiers")]
pub struct Tier {
    #[column(primary_key)]
    pub id: i64,
}

/// Every name generated for this table is over 63 bytes.
#[model(table = "customer_loyalty_programme_membership_tier_assignments")]
pub struct Assignment {
    #[column(primary_key)]
    pub id: i64,
    #[column(
        references = "loyalty_programme_membership_tiers.id",
        index,
        unique,
        check = "previous_membership_tier_identifier > 0"
    )]
    pub previous_membership_tier_identifier: i64,
}

fn apply(db: &mut dyn Backend, rendered: &Rendered) -> Result<(), String> {
    db.begin().map_err(|e| e.to_string())?;
    for statement in &rendered.statements {
        if let Err(e) = db.execute(statement) {
            let _ = db.rollback();
            return Err(format!("{statement}: {}", e.message));
        }
    }
    db.commit().map_err(|e| e.to_string())
}

fn read(db: &mut dyn Backend) -> Schema {
    db.introspect(&[], &LedgerConfig::default()).unwrap()
}

/// A key named by hand (not `accounts_pkey`) is dropped by that name, and the
/// downgrade gives the old key its name back.
#[test]
fn a_primary_key_is_dropped_by_its_own_name() {
    let Some(test_db) = common::postgres_db("pk_name") else {
        return;
    };
    test_db
        .connect()
        .batch_execute(
            "CREATE TABLE accounts (id BIGINT NOT NULL, email TEXT NOT NULL, \
             CONSTRAINT accounts_pk PRIMARY KEY (id))",
        )
        .unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let before = read(db.as_mut());
    assert_eq!(
        before.tables[0].primary_key_name.as_deref(),
        Some("accounts_pk")
    );

    let mut models = before.clone();
    models.tables[0].primary_key = vec!["id".into(), "email".into()];
    models.tables[0].primary_key_name = None;
    let filter = Filter::default();
    let diff = compare(&before, &models, Dialect::Postgres, &filter);
    let generated = generate(&diff, &before, &models, Dialect::Postgres);
    assert!(
        generated.up.statements[0].ends_with("DROP CONSTRAINT accounts_pk"),
        "{:?}",
        generated.up.statements
    );
    apply(db.as_mut(), &generated.up).expect("the upgrade runs");
    let after = read(db.as_mut());
    assert_eq!(after.tables[0].primary_key, ["id", "email"]);
    assert_eq!(
        after.tables[0].primary_key_name.as_deref(),
        Some("accounts_pkey")
    );
    assert!(compare(&after, &models, Dialect::Postgres, &filter).is_empty());

    apply(db.as_mut(), &generated.down).expect("the downgrade runs");
    let back = read(db.as_mut());
    assert_eq!(back.tables[0].primary_key, ["id"]);
    assert_eq!(
        back.tables[0].primary_key_name.as_deref(),
        Some("accounts_pk")
    );
}

/// Generated names past PostgreSQL's 63 bytes are capped by `migrate` itself,
/// so the database keeps them whole and `check` finds nothing after the upgrade.
#[test]
fn long_generated_names_are_check_clean_after_the_upgrade() {
    let models = migrate::metadata().unwrap();
    let table = models
        .table("customer_loyalty_programme_membership_tier_assignments")
        .unwrap();
    let names: Vec<&str> = (table.indexes.iter().map(|i| i.name.as_str()))
        .chain(table.uniques.iter().map(|u| u.name.as_str()))
        .chain(table.foreign_keys.iter().map(|f| f.name.as_str()))
        .chain(table.checks.iter().map(|c| c.name.as_str()))
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in &names {
        assert_eq!(name.len(), MAX_NAME_BYTES, "{name}");
    }
    let Some(test_db) = common::postgres_db("long_names") else {
        return;
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let (filter, ledger) = (Filter::default(), LedgerConfig::default());
    let (empty, diff) = compare_database(db.as_mut(), models, &filter, &ledger).unwrap();
    apply(
        db.as_mut(),
        &generate(&diff, &empty, models, Dialect::Postgres).up,
    )
    .unwrap();
    let (_, left) = compare_database(db.as_mut(), models, &filter, &ledger).unwrap();
    assert!(left.is_empty(), "check still finds: {:?}", left.ops);
    let mut found: Vec<String> = test_db
        .connect()
        .query(
            "SELECT conname::text FROM pg_constraint WHERE conrelid = \
             'customer_loyalty_programme_membership_tier_assignments'::regclass \
             AND contype <> 'p' UNION SELECT indexname::text FROM pg_indexes \
             WHERE tablename = 'customer_loyalty_programme_membership_tier_assignments' \
             AND indexname NOT LIKE '%_pkey'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    found.sort();
    let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    want.sort();
    assert_eq!(found, want, "the database keeps the names whole");
}
