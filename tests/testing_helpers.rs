//! `migrate::testing` catches what it promises to catch.

mod common;

use migrate::schema::{Column, ColumnType, Schema, Table};
use migrate::EmbeddedMigrations;

static TWO_HEADS: EmbeddedMigrations =
    migrate::embed_migrations!("tests/fixtures/testing/two_heads", allow_multiple_heads);
static BAD_DOWN: EmbeddedMigrations = migrate::embed_migrations!("tests/fixtures/testing/bad_down");
static BAD_DOWN_MYSQL: EmbeddedMigrations =
    migrate::embed_migrations!("tests/fixtures/testing/bad_down_mysql");

#[test]
fn single_head_names_the_heads() {
    let err = migrate::testing::single_head(&TWO_HEADS)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "single head: 2 heads (bbbb00000001, cccc00000001); merge them with `migrate merge heads -m MSG`"
    );
    migrate::testing::single_head(&BAD_DOWN).unwrap();
}

#[test]
fn roundtrip_finds_a_downgrade_that_does_not_restore() {
    let err = migrate::testing::up_down_roundtrip(&BAD_DOWN, "sqlite::memory:")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("up/down roundtrip: downgrading bbbb00000002 (tests/fixtures/testing/bad_down/b.sql) does not restore"),
        "{err}"
    );
    assert!(
        err.ends_with("getting back would still take:\n  - drop column a.note"),
        "{err}"
    );
    // Branches: each branch's revision is checked alone, then everything goes.
    migrate::testing::up_down_roundtrip(&TWO_HEADS, "sqlite::memory:").unwrap();
    migrate::testing::upgrade_from_base(&TWO_HEADS, "sqlite::memory:").unwrap();
}

#[test]
fn models_match_lists_what_autogenerate_would_do() {
    let models = Schema {
        tables: vec![Table {
            name: "a".into(),
            columns: vec![Column {
                name: "id".into(),
                ty: ColumnType::Integer,
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
    };
    let err = migrate::testing::models_match_schema(&BAD_DOWN, "sqlite::memory:", &models)
        .unwrap_err()
        .to_string();
    assert!(err.contains("  - drop index ix_a_note on a\n"), "{err}");
    assert!(err.contains("  - drop column a.note\n"), "{err}");
    let mut with_note = models.clone();
    with_note.tables[0].columns.push(Column {
        name: "note".into(),
        ty: ColumnType::Text,
        nullable: true,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    });
    with_note.tables[0].indexes.push(migrate::schema::Index {
        name: "ix_a_note".into(),
        columns: vec!["note".into()],
        unique: false,
        predicate: None,
        ..migrate::schema::Index::default()
    });
    migrate::testing::models_match_schema(&BAD_DOWN, "sqlite::memory:", &with_note).unwrap();
}

#[test]
fn checks_run_on_postgres_too() {
    let Some(db) = common::postgres_db("testing_helpers") else {
        return;
    };
    let err = migrate::testing::up_down_roundtrip(&BAD_DOWN, &db.url)
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not restore"), "{err}");
    // The database is no longer empty: the checks refuse to run on it.
    let err = migrate::testing::upgrade_from_base(&BAD_DOWN, &db.url)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already has tables (a)"), "{err}");
}

#[test]
fn checks_run_on_mysql_too() {
    let Some(db) = common::mysql_db("testing_helpers") else {
        return;
    };
    let err = migrate::testing::up_down_roundtrip(&BAD_DOWN_MYSQL, &db.url)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("up/down roundtrip: downgrading bbbb00000002 (tests/fixtures/testing/bad_down_mysql/b.sql) does not restore"),
        "{err}"
    );
    assert!(
        err.ends_with("getting back would still take:\n  - drop column a.note"),
        "the leftover column is named: {err}"
    );
    let err = migrate::testing::upgrade_from_base(&BAD_DOWN_MYSQL, &db.url)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already has tables (a)"), "{err}");

    // On a fresh database the models check reads MySQL's catalog back.
    let Some(fresh) = common::mysql_db("testing_helpers_models") else {
        return;
    };
    let err =
        migrate::testing::models_match_schema(&BAD_DOWN_MYSQL, &fresh.url, &Schema::default())
            .unwrap_err()
            .to_string();
    assert!(err.contains("drop table a"), "{err}");
}
