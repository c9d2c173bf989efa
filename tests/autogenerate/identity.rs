//! A column of a PostgreSQL table that holds rows becomes `NOT NULL` and an
//! identity in one revision, on its own or as it joins the primary key; and the
//! way back. PostgreSQL adds an identity only to a column that is `NOT NULL`
//! already, and makes no identity column nullable, so the order of the steps
//! decides whether the revision applies. And a serial column whose type
//! changes: its sequence gets the new type too.

use migrate::autogenerate::{compare, generate, Filter};
use migrate::backend::{connect, Backend, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::schema::{ColumnType, Generation, Schema, Sequence};
use migrate::Dialect;

use super::common;
use super::roundtrip::{apply_down, apply_up, expect, read, read_against};

/// `t` with two rows; `c` nullable and outside the key.
const PLAIN: &str = "CREATE TABLE t (id bigint PRIMARY KEY, c integer);\n\
                     INSERT INTO t VALUES (1, 10), (2, 20);";

/// `t` with two rows; `c` an identity column, in the key with `id`.
const KEYED_IDENTITY: &str =
    "CREATE TABLE t (id bigint, c integer GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (id, c));\n\
     INSERT INTO t (id) VALUES (1), (2);";

/// A database made by `setup`, connected, and its schema as read back.
fn start(test: &str, setup: &str) -> Option<(common::TestDb, Box<dyn Backend>, Schema)> {
    let test_db = common::postgres_db(test)?;
    test_db.connect().batch_execute(setup).unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let at_start = read(db.as_mut());
    Some((test_db, db, at_start))
}

/// `c` as `t` of `schema` has it, changed by `change`, and `t`'s key `key`.
fn with_c(schema: &Schema, key: &[&str], change: impl Fn(&mut migrate::schema::Column)) -> Schema {
    let mut schema = schema.clone();
    let t = schema.tables.iter_mut().find(|t| t.name == "t").unwrap();
    change(t.columns.iter_mut().find(|c| c.name == "c").unwrap());
    t.primary_key = key.iter().map(|k| k.to_string()).collect();
    schema
}

fn identity() -> Option<Generation> {
    Some(Generation::Identity {
        always: true,
        sequence: Sequence::default(),
    })
}

/// Generates the revision from the database to `models`, applies it, and
/// downgrades it, checking the schema and the rows at each end.
fn upgrade_and_back(db: &mut dyn Backend, client: &mut postgres::Client, models: &Schema) {
    let at_start = read(db);
    let rows = |client: &mut postgres::Client| -> Vec<(i64, Option<i32>)> {
        client
            .query("SELECT id, c::integer FROM t ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let rows_at_start = rows(client);
    let filter = Filter::default();
    let diff = compare(&at_start, models, Dialect::Postgres, &filter);
    let generated = generate(&diff, &at_start, models, Dialect::Postgres);
    let text = || {
        format!(
            "up: {:#?}\nthen: {:#?}\ndown: {:#?}",
            generated.up.statements, generated.concurrent_up.statements, generated.down.statements
        )
    };
    apply_up(db, &generated).unwrap_or_else(|e| panic!("the upgrade fails: {e}\n{}", text()));
    expect(
        models,
        &read_against(db, models),
        Dialect::Postgres,
        "after the upgrade",
    )
    .unwrap();
    let again = compare(
        &read_against(db, models),
        models,
        Dialect::Postgres,
        &filter,
    );
    assert!(again.is_empty(), "{:?}", again.ops);
    assert_eq!(rows(client), rows_at_start, "the upgrade keeps the rows");
    apply_down(db, &generated).unwrap_or_else(|e| panic!("the downgrade fails: {e}\n{}", text()));
    expect(
        &at_start,
        &read(db),
        Dialect::Postgres,
        "after the downgrade",
    )
    .unwrap();
    assert_eq!(rows(client), rows_at_start, "the downgrade keeps the rows");
}

#[test]
fn postgres_nullable_column_becomes_not_null_identity() {
    let Some((test_db, mut db, at_start)) = start("identity_alone", PLAIN) else {
        return;
    };
    let models = with_c(&at_start, &["id"], |c| {
        c.nullable = false;
        c.generated = identity();
    });
    upgrade_and_back(db.as_mut(), &mut test_db.connect(), &models);
}

#[test]
fn postgres_nullable_column_joins_the_key_as_identity() {
    let Some((test_db, mut db, at_start)) = start("identity_joins_key", PLAIN) else {
        return;
    };
    // The model may say nullable: a key column is NOT NULL whatever it says.
    for nullable in [false, true] {
        let models = with_c(&at_start, &["id", "c"], |c| {
            c.nullable = nullable;
            c.generated = identity();
        });
        upgrade_and_back(db.as_mut(), &mut test_db.connect(), &models);
    }
}

#[test]
fn postgres_identity_key_column_leaves_the_key_nullable() {
    let Some((test_db, mut db, at_start)) = start("identity_leaves_key", KEYED_IDENTITY) else {
        return;
    };
    let models = with_c(&at_start, &["id"], |c| {
        c.nullable = true;
        c.generated = None;
    });
    upgrade_and_back(db.as_mut(), &mut test_db.connect(), &models);
}

#[test]
fn postgres_smallserial_column_becomes_serial() {
    let setup = "CREATE TABLE t (id bigint PRIMARY KEY, c smallserial);\n\
                 INSERT INTO t (id) VALUES (1), (2);";
    let Some((test_db, mut db, at_start)) = start("smallserial_widens", setup) else {
        return;
    };
    let models = with_c(&at_start, &["id"], |c| c.ty = ColumnType::Integer);
    let mut client = test_db.connect();
    upgrade_and_back(db.as_mut(), &mut client, &models);
    // Back at smallint, the sequence counts in smallint again.
    let max: i64 = client
        .query_one(
            "SELECT seqmax FROM pg_sequence WHERE seqrelid = 't_c_seq'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(max, 32767);
}
