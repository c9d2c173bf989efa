//! Shapes of change that MariaDB treats specially, each moved up and down twice
//! on a real server: the index a foreign key relies on.

use migrate::backend::{connect, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::schema::{ColumnType, ForeignKey, Index, Schema, Table, UniqueConstraint};

use super::common;
use super::random::id_column;
use super::roundtrip::roundtrip;

fn parent_and_child(edit: impl FnOnce(&mut Table)) -> Schema {
    let parent = Table {
        name: "parent".into(),
        columns: vec![id_column()],
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    let mut child = parent.clone();
    child.name = "child".into();
    for name in ["parent_id", "note"] {
        let mut column = id_column();
        column.name = name.into();
        column.nullable = true;
        column.ty = ColumnType::BigInt;
        child.columns.push(column);
    }
    child.foreign_keys.push(ForeignKey {
        name: "fk_child_parent".into(),
        columns: vec!["parent_id".into()],
        ref_table: "parent".into(),
        ref_columns: vec!["id".into()],
        ..ForeignKey::default()
    });
    edit(&mut child);
    Schema {
        tables: vec![parent, child],
        enums: vec![],
    }
}

/// MariaDB drops the index it made for a foreign key once another index covers
/// the key, and then refuses to drop that other index ("needed in a foreign key
/// constraint"): adding a unique key or an index on the key's columns must come
/// down again, and dropping one the key relied on must go up, every time.
#[test]
fn mysql_an_index_a_foreign_key_relies_on_comes_and_goes() {
    let plain = parent_and_child(|_| {});
    let unique = parent_and_child(|t| {
        t.uniques.push(UniqueConstraint {
            name: "uq_child_parent".into(),
            columns: vec!["parent_id".into()],
            ..UniqueConstraint::default()
        })
    });
    let unique_index = parent_and_child(|t| {
        let mut index = Index::on("ix_child_parent", &["parent_id"]);
        index.unique = true;
        t.indexes.push(index);
    });
    let wider = parent_and_child(|t| {
        t.indexes
            .push(Index::on("ix_child_parent_note", &["parent_id", "note"]))
    });
    let shapes = [
        ("a unique key added", &plain, &unique),
        ("a unique key dropped", &unique, &plain),
        ("a unique index added", &plain, &unique_index),
        ("an index the key relies on dropped", &wider, &plain),
        ("one covering index for another", &wider, &unique),
    ];
    for (shape, m1, m2) in shapes {
        let Some(test_db) = common::mysql_db("autogen_fk_index") else {
            return;
        };
        let url = DatabaseUrl::parse(&test_db.url).unwrap();
        let mut db = connect(&url, &ConnectOptions::default()).unwrap();
        for round in 1..=2 {
            if let Err(e) = roundtrip(db.as_mut(), m1, m2) {
                panic!("{shape}, round {round}: {e}");
            }
        }
    }
}
