//! Shapes of change that MariaDB treats specially, on a real server: the index
//! a foreign key relies on, and generated columns (which MariaDB re-spells and
//! keeps without `NOT NULL`).

use migrate::autogenerate::{compare, generate, Filter};
use migrate::backend::{connect, Backend, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::operations::Op;
use migrate::schema::{
    Column, ColumnType, ForeignKey, Generation, Index, Schema, Table, UniqueConstraint,
};
use migrate::Dialect;
use mysql::prelude::Queryable;

use super::common;
use super::random::id_column;
use super::roundtrip::{apply, expect, read, read_against, roundtrip};

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

fn generated(name: &str, ty: ColumnType, expr: &str) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable: false,
        default: None,
        comment: None,
        generated: Some(Generation::Stored(expr.into())),
        collation: None,
    }
}

fn measures(columns: Vec<Column>) -> Schema {
    let mut amount = id_column();
    amount.name = "amount".into();
    let mut table = Table {
        name: "measure".into(),
        columns: vec![id_column(), amount],
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    table.columns.extend(columns);
    table
        .indexes
        .push(Index::on("ix_measure_doubled", &["doubled"]));
    Schema {
        tables: vec![table],
        enums: vec![],
    }
}

/// What `check` finds between the database and `models`.
fn check(db: &mut dyn Backend, models: &Schema) -> Vec<Op> {
    compare(
        &read_against(db, models),
        models,
        Dialect::Mysql,
        &Filter::default(),
    )
    .ops
}

fn values(url: &str) -> Vec<(i64, i64, String)> {
    let mut conn = mysql::Conn::new(url).unwrap();
    conn.query("SELECT amount, doubled, label FROM measure ORDER BY id")
        .unwrap()
}

/// A model's generated columns read back as themselves (MariaDB reports
/// `` `amount` * 2 ``), and a changed expression is exactly one change,
/// which applies, recomputes the values, keeps the column's index, and comes
/// back down.
#[test]
fn mysql_generated_columns_are_compared() {
    let Some(test_db) = common::mysql_db("autogen_generated") else {
        return;
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let db = db.as_mut();
    let label = |expr: &str| generated("label", ColumnType::Varchar(40), expr);
    let v1 = measures(vec![
        generated("doubled", ColumnType::BigInt, "amount*2"),
        label("CONCAT('n°', amount, ' it''s')"),
    ]);
    let empty = read(db);
    let create = compare(&empty, &v1, Dialect::Mysql, &Filter::default());
    apply(db, &generate(&create, &empty, &v1, Dialect::Mysql).up).unwrap();
    db.execute("INSERT INTO measure (id, amount) VALUES (1, 5), (2, 7)")
        .unwrap();
    assert_eq!(
        check(db, &v1),
        [],
        "a model with generated columns reads back clean"
    );
    let stored = read(db);
    let column = |schema: &Schema, name: &str| schema.tables[0].column(name).cloned().unwrap();
    assert_eq!(
        column(&stored, "doubled").generated,
        Some(Generation::Stored("`amount` * 2".into())),
        "the server's spelling is kept"
    );
    expect(&v1, &stored, Dialect::Mysql, "after creating v1").unwrap();

    let v2 = measures(vec![
        generated("doubled", ColumnType::BigInt, "amount * 3"),
        label("CONCAT('n°', amount, ' it''s')"),
    ]);
    let at_v1 = read_against(db, &v2);
    let diff = compare(&at_v1, &v2, Dialect::Mysql, &Filter::default());
    let [Op::AlterColumn { from, to, .. }] = diff.ops.as_slice() else {
        panic!("one change of `doubled`: {:?}", diff.ops);
    };
    assert_eq!(
        from.generated,
        Some(Generation::Stored("`amount` * 2".into()))
    );
    assert_eq!(to.generated, Some(Generation::Stored("amount * 3".into())));
    let rendered = generate(&diff, &at_v1, &v2, Dialect::Mysql);
    assert_eq!(
        rendered.up.statements,
        ["ALTER TABLE `measure` MODIFY COLUMN `doubled` BIGINT GENERATED ALWAYS AS (amount * 3) STORED"]
    );
    apply(db, &rendered.up).unwrap();
    assert_eq!(check(db, &v2), [], "after the change");
    assert_eq!(
        values(&test_db.url),
        [
            (5, 15, "n°5 it's".to_string()),
            (7, 21, "n°7 it's".to_string())
        ]
    );
    let index = read(db).tables[0].indexes.clone();
    assert_eq!(index, v2.tables[0].indexes, "the index on the column stays");
    apply(db, &rendered.down).unwrap();
    assert_eq!(check(db, &v1), [], "after the downgrade");
    assert_eq!(values(&test_db.url)[0].1, 10);

    // A generated column that goes plain, and one that comes: each is one
    // change, both ways.
    let mut plain = column(&v1, "doubled");
    plain.generated = None;
    let v3 = measures(vec![
        plain,
        label("CONCAT('n°', amount, ' it''s')"),
        generated("tripled", ColumnType::BigInt, "amount * 3"),
    ]);
    let at_v1 = read_against(db, &v3);
    let diff = compare(&at_v1, &v3, Dialect::Mysql, &Filter::default());
    let kinds: Vec<&str> = diff.ops.iter().map(Op::kind).collect();
    assert_eq!(kinds, ["alter_column", "add_column"], "{:?}", diff.ops);
    let rendered = generate(&diff, &at_v1, &v3, Dialect::Mysql);
    apply(db, &rendered.up).unwrap();
    assert_eq!(check(db, &v3), [], "after v3");
    assert_eq!(
        values(&test_db.url)[0].1,
        10,
        "the plain column keeps its values"
    );
    apply(db, &rendered.down).unwrap();
    assert_eq!(check(db, &v1), [], "back at v1");
}

/// A virtual column never passes for the stored one a model declares: the
/// comparison drops and adds it (MariaDB cannot turn a virtual column into a
/// stored one in place) with the index on it, and the downgrade brings the
/// virtual column and its index back.
#[test]
fn mysql_a_virtual_column_is_not_a_stored_one() {
    let Some(test_db) = common::mysql_db("autogen_virtual") else {
        return;
    };
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let db = db.as_mut();
    db.execute(
        "CREATE TABLE measure (id BIGINT NOT NULL PRIMARY KEY, amount BIGINT NOT NULL, \
         doubled BIGINT AS (amount * 2) VIRTUAL, label VARCHAR(40) AS (CONCAT('n', amount)) VIRTUAL)",
    )
    .unwrap();
    db.execute("CREATE INDEX ix_measure_doubled ON measure (doubled)")
        .unwrap();
    let models = measures(vec![
        generated("doubled", ColumnType::BigInt, "amount * 2"),
        generated("label", ColumnType::Varchar(40), "concat('n', amount)"),
    ]);
    let before = read(db);
    assert_eq!(
        before.tables[0].column("doubled").unwrap().generated,
        Some(Generation::Virtual("`amount` * 2".into()))
    );
    let diff = compare(&before, &models, Dialect::Mysql, &Filter::default());
    let kinds: Vec<String> = diff.ops.iter().map(ToString::to_string).collect();
    assert_eq!(
        kinds,
        [
            "drop index ix_measure_doubled on measure",
            "drop column measure.doubled",
            "add column measure.doubled",
            "drop column measure.label",
            "add column measure.label",
            "create index ix_measure_doubled on measure (doubled)",
        ],
        "{:?}",
        diff.ops
    );
    let rendered = generate(&diff, &before, &models, Dialect::Mysql);
    apply(db, &rendered.up).unwrap();
    let after = read(db);
    assert_eq!(
        after.tables[0].column("doubled").unwrap().generated,
        Some(Generation::Stored("`amount` * 2".into()))
    );
    assert_eq!(check(db, &models), [], "the index on the new column too");
    apply(db, &rendered.down).unwrap();
    let back = read(db);
    assert_eq!(
        back.tables[0].column("label").unwrap().generated,
        Some(Generation::Virtual("concat('n',`amount`)".into()))
    );
    assert_eq!(back.tables[0].indexes, before.tables[0].indexes);
}
