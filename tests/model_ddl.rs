//! `#[model]` as users write it (the README's Models section): registration through inventory,
//! `metadata()`, and DDL that runs on real SQLite and PostgreSQL.

mod common;

use migrate::model;
use migrate::schema::{Column, ColumnType, FkAction};
use migrate::Dialect;

#[model(table = "teams")]
pub struct Team {
    #[column(primary_key)]
    pub id: i64,
    pub name: String,
}

/// People who can sign in.
#[model(
    table = "users",
    index(name = "ix_users_team_email", columns(team_id, email), unique)
)]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(unique, max_length = 255)]
    pub email: String,
    /// Shown next to comments.
    pub display_name: Option<String>,
    #[column(references = "teams.id", on_delete = "cascade", index)]
    pub team_id: i64,
    #[column(default = "0", check = "karma >= 0")]
    pub karma: i32,
    pub status: Status,
    #[column(skip)]
    pub cache: Vec<u8>,
}

#[model]
pub enum Status {
    Active,
    Suspended,
}

/// Reserved words and odd identifiers must survive quoting.
#[model(
    table = "order",
    primary_key(id, line),
    check(name = "ck_order_qty", expr = "\"Quantity\" > 0")
)]
pub struct Order {
    pub id: i64,
    pub line: i32,
    #[column(name = "Quantity")]
    pub quantity: i32,
    #[column(name = "select", references = "users.id", on_delete = "set null")]
    pub select_user: Option<i64>,
    #[column(sql_type = "NUMERIC(10, 2)")]
    pub price: f64,
    pub flags: Option<bool>,
    pub payload: Vec<u8>,
    pub ratio: f32,
    pub small: i16,
}

#[test]
fn metadata_assembles_every_model_sorted_with_foreign_keys_resolved() {
    let schema = migrate::metadata().unwrap();
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    // Referenced tables first: teams before users before order.
    assert_eq!(names, ["teams", "users", "order"]);
    assert_eq!(schema.enums.len(), 1);
    assert_eq!(schema.enums[0].name, "status");
    assert_eq!(schema.enums[0].variants, ["active", "suspended"]);

    let users = schema.table("users").unwrap();
    assert_eq!(users.comment.as_deref(), Some("People who can sign in."));
    assert_eq!(users.primary_key, ["id"]);
    let cols: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        cols,
        ["id", "email", "display_name", "team_id", "karma", "status"],
        "cache is skipped"
    );
    assert_eq!(
        users.column("email").unwrap(),
        &Column {
            name: "email".into(),
            ty: ColumnType::Varchar(255),
            nullable: false,
            default: None,
            comment: None,
            generated: None,
            collation: None,
        }
    );
    assert_eq!(
        users.column("display_name").unwrap().comment.as_deref(),
        Some("Shown next to comments.")
    );
    assert!(users.column("display_name").unwrap().nullable);
    assert_eq!(users.column("karma").unwrap().default.as_deref(), Some("0"));
    assert_eq!(
        users.column("status").unwrap().ty,
        ColumnType::Enum("status".into())
    );
    assert_eq!(users.uniques[0].columns, ["email"]);
    assert_eq!(users.checks[0].expr, "karma >= 0");
    let index_names: Vec<&str> = users.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(index_names, ["ix_users_team_id", "ix_users_team_email"]);
    assert!(users.indexes[1].unique);
    let fk = &users.foreign_keys[0];
    assert_eq!(
        (
            fk.ref_table.as_str(),
            fk.ref_columns.as_slice(),
            fk.on_delete
        ),
        ("teams", &["id".to_string()][..], Some(FkAction::Cascade))
    );

    let order = schema.table("order").unwrap();
    assert_eq!(order.primary_key, ["id", "line"]);
    assert_eq!(
        order.column("price").unwrap().ty,
        ColumnType::Custom("NUMERIC(10, 2)".into())
    );
    assert_eq!(order.foreign_keys[0].columns, ["select"]);
    // Deterministic: the same every time, whatever inventory's order.
    let again = migrate::__private::assemble(
        migrate::__private::inventory::iter::<migrate::__private::ModelTable>,
        migrate::__private::inventory::iter::<migrate::__private::ModelEnum>,
    )
    .unwrap();
    assert_eq!(&again, schema);
}

#[test]
fn the_ddl_runs_on_sqlite_and_enforces_the_constraints() {
    let schema = migrate::metadata().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let url = migrate::config::DatabaseUrl::SqliteFile(tmp.path().join("models.db"));
    let mut db = migrate::backend::connect(&url, &Default::default()).unwrap();
    schema.create_all(db.as_mut()).unwrap();
    let conn = rusqlite::Connection::open(tmp.path().join("models.db")).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let columns: Vec<(String, String, bool)> = conn
        .prepare("SELECT name, type, \"notnull\" FROM pragma_table_info('users')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        columns[1],
        ("email".to_string(), "VARCHAR(255)".to_string(), true)
    );
    assert_eq!(
        columns[2],
        ("display_name".to_string(), "TEXT".to_string(), false)
    );
    conn.execute("INSERT INTO teams (id, name) VALUES (1, 'core')", [])
        .unwrap();
    conn.execute(
        "INSERT INTO users (id, email, team_id, status) VALUES (1, 'a@x', 1, 'active')",
        [],
    )
    .unwrap();
    let enum_check = conn.execute(
        "INSERT INTO users (id, email, team_id, status) VALUES (2, 'b@x', 1, 'bogus')",
        [],
    );
    assert!(enum_check
        .unwrap_err()
        .to_string()
        .contains("CHECK constraint failed"));
    let karma = conn.execute(
        "INSERT INTO users (id, email, team_id, status, karma) VALUES (3, 'c@x', 1, 'active', -1)",
        [],
    );
    assert!(karma
        .unwrap_err()
        .to_string()
        .contains("CHECK constraint failed"));
    let fk = conn.execute(
        "INSERT INTO users (id, email, team_id, status) VALUES (4, 'd@x', 99, 'active')",
        [],
    );
    assert!(fk
        .unwrap_err()
        .to_string()
        .contains("FOREIGN KEY constraint failed"));
    conn.execute("INSERT INTO \"order\" (id, line, \"Quantity\", \"select\", price, payload, ratio, small) VALUES (1, 1, 2, 1, 9.5, x'00', 0.5, 1)", [])
        .unwrap();
    conn.execute("DELETE FROM teams", []).unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "ON DELETE CASCADE");
}

#[test]
fn the_ddl_runs_on_postgres_with_enum_types_and_comments() {
    let Some(test_db) = common::postgres_db("model_ddl") else {
        return;
    };
    let schema = migrate::metadata().unwrap();
    let statements = schema.create_sql(Dialect::Postgres);
    assert_eq!(
        statements[0],
        "CREATE TYPE status AS ENUM ('active', 'suspended')"
    );
    assert!(
        statements
            .iter()
            .any(|s| s.starts_with("CREATE TABLE \"order\" (")),
        "{statements:#?}"
    );
    let url = migrate::config::DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = migrate::backend::connect(&url, &Default::default()).unwrap();
    schema.create_all(db.as_mut()).unwrap();
    let mut client = test_db.connect();
    let types: Vec<(String, String, String)> = client
        .query(
            "SELECT column_name::text, udt_name::text, is_nullable::text FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(types[0], ("id".into(), "int8".into(), "NO".into()));
    assert_eq!(types[1], ("email".into(), "varchar".into(), "NO".into()));
    assert_eq!(
        types[2],
        ("display_name".into(), "text".into(), "YES".into())
    );
    assert_eq!(types[5], ("status".into(), "status".into(), "NO".into()));
    let comment: Option<String> = client
        .query_one("SELECT obj_description('users'::regclass, 'pg_class')", &[])
        .unwrap()
        .get(0);
    assert_eq!(comment.as_deref(), Some("People who can sign in."));
    client.batch_execute("INSERT INTO teams VALUES (1, 'core'); INSERT INTO users (id, email, team_id, status) VALUES (1, 'a@x', 1, 'active')").unwrap();
    let err = client
        .batch_execute(
            "INSERT INTO users (id, email, team_id, status) VALUES (2, 'b@x', 1, 'bogus')",
        )
        .unwrap_err();
    assert!(err
        .as_db_error()
        .unwrap()
        .message()
        .contains("invalid input value for enum status"));
    let err = client.batch_execute("INSERT INTO \"order\" (id, line, \"Quantity\", price, payload, ratio, small) VALUES (1, 1, 0, 1, '', 1, 1)").unwrap_err();
    assert!(err
        .as_db_error()
        .unwrap()
        .message()
        .contains("ck_order_qty"));
    client.batch_execute("DELETE FROM teams").unwrap();
    let left: i64 = client
        .query_one("SELECT count(*) FROM users", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "ON DELETE CASCADE");
}
