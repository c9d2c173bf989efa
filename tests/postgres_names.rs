//! Names that PostgreSQL decides, on a real server: a primary key's constraint
//! name, which need not be `{table}_pkey`, and the 63 bytes it keeps of any name.

mod common;

use migrate::autogenerate::{compare, generate, Filter, Rendered};
use migrate::backend::{connect, Backend, ConnectOptions, LedgerConfig};
use migrate::config::DatabaseUrl;
use migrate::schema::Schema;
use migrate::Dialect;

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
