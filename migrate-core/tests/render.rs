//! Render snapshots: each kind of change, compared and rendered both ways on each
//! dialect, against `tests/snapshots/render.<dialect>.sql`. Run with
//! `UPDATE_SNAPSHOTS=1` to rewrite the files after an intended change, then review
//! the diff.

use migrate_core::autogenerate::{compare, generate, Filter, Generated};
use migrate_core::schema::{
    CheckConstraint, Column, ColumnType, Deferral, EnumType, ExclusionConstraint, FkAction,
    ForeignKey, Index, IndexKey, Schema, Table, UniqueConstraint,
};
use migrate_core::Dialect;

fn col(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    }
}

fn teams() -> Table {
    Table {
        name: "teams".into(),
        columns: vec![
            col("id", ColumnType::BigInt, false),
            col("name", ColumnType::Text, false),
        ],
        primary_key: vec!["id".into()],
        ..Table::default()
    }
}

fn users() -> Table {
    let mut karma = col("karma", ColumnType::Integer, false);
    karma.default = Some("0".into());
    Table {
        name: "users".into(),
        columns: vec![
            col("id", ColumnType::BigInt, false),
            col("email", ColumnType::Varchar(255), false),
            karma,
            col("team_id", ColumnType::BigInt, true),
        ],
        primary_key: vec!["id".into()],
        ..Table::default()
    }
}

fn base() -> Schema {
    Schema {
        tables: vec![teams(), users()],
        enums: vec![],
    }
}

fn with(f: impl FnOnce(&mut Schema)) -> Schema {
    let mut s = base();
    f(&mut s);
    s
}

fn users_of(s: &mut Schema) -> &mut Table {
    s.tables.iter_mut().find(|t| t.name == "users").unwrap()
}

fn fk() -> ForeignKey {
    ForeignKey {
        name: "fk_users_team_id_teams".into(),
        columns: vec!["team_id".into()],
        ref_schema: None,
        ref_table: "teams".into(),
        ref_columns: vec!["id".into()],
        on_delete: Some(FkAction::Cascade),
        on_update: None,
        ..ForeignKey::default()
    }
}

fn mood(variants: &[&str]) -> EnumType {
    EnumType {
        name: "mood".into(),
        variants: variants.iter().map(|v| v.to_string()).collect(),
    }
}

fn with_mood(variants: &[&str]) -> Schema {
    with(|s| {
        s.enums.push(mood(variants));
        users_of(s)
            .columns
            .push(col("mood", ColumnType::Enum("mood".into()), true));
    })
}

/// (name, expected operation kinds, before, after)
fn cases() -> Vec<(&'static str, Vec<&'static str>, Schema, Schema)> {
    vec![
        (
            "create table",
            vec!["create_table"],
            base(),
            with(|s| {
                s.tables.push(Table {
                    name: "projects".into(),
                    columns: vec![
                        col("id", ColumnType::BigInt, false),
                        col("team_id", ColumnType::BigInt, false),
                    ],
                    primary_key: vec!["id".into()],
                    foreign_keys: vec![ForeignKey {
                        name: "fk_projects_team_id_teams".into(),
                        columns: vec!["team_id".into()],
                        ..fk()
                    }],
                    indexes: vec![Index {
                        name: "ix_projects_team_id".into(),
                        columns: vec!["team_id".into()],
                        unique: false,
                        predicate: None,
                        ..Index::default()
                    }],
                    comment: Some("Work, grouped.".into()),
                    ..Table::default()
                })
            }),
        ),
        (
            "drop table",
            vec!["drop_table"],
            base(),
            with(|s| s.tables.retain(|t| t.name != "users")),
        ),
        (
            "add nullable column",
            vec!["add_column"],
            base(),
            with(|s| users_of(s).columns.push(col("bio", ColumnType::Text, true))),
        ),
        (
            "add NOT NULL column with a default",
            vec!["add_column"],
            base(),
            with(|s| {
                let mut c = col("active", ColumnType::Boolean, false);
                c.default = Some("true".into());
                users_of(s).columns.push(c)
            }),
        ),
        (
            "add NOT NULL column without a default",
            vec!["add_column"],
            base(),
            with(|s| {
                users_of(s)
                    .columns
                    .push(col("handle", ColumnType::Text, false))
            }),
        ),
        (
            "drop column",
            vec!["drop_column"],
            base(),
            with(|s| users_of(s).columns.retain(|c| c.name != "karma")),
        ),
        (
            "alter column type",
            vec!["alter_column"],
            base(),
            with(|s| users_of(s).columns[1].ty = ColumnType::Text),
        ),
        (
            "alter column nullability",
            vec!["alter_column"],
            base(),
            with(|s| users_of(s).columns[1].nullable = true),
        ),
        (
            "alter column default",
            vec!["alter_column"],
            base(),
            with(|s| users_of(s).columns[2].default = Some("10".into())),
        ),
        (
            "alter column comment",
            vec!["alter_column"],
            base(),
            with(|s| users_of(s).columns[1].comment = Some("Where we write.".into())),
        ),
        (
            "alter primary key",
            vec!["alter_primary_key"],
            base(),
            with(|s| users_of(s).primary_key = vec!["id".into(), "email".into()]),
        ),
        (
            "create index",
            vec!["create_index"],
            base(),
            with(|s| {
                users_of(s).indexes.push(Index {
                    name: "ix_users_email_karma".into(),
                    columns: vec!["email".into(), "karma".into()],
                    unique: true,
                    predicate: None,
                    ..Index::default()
                })
            }),
        ),
        (
            "drop partial index",
            vec!["drop_index"],
            with(|s| {
                users_of(s).indexes.push(Index {
                    name: "ix_users_active".into(),
                    columns: vec!["email".into()],
                    unique: false,
                    predicate: Some("karma > 0".into()),
                    ..Index::default()
                })
            }),
            base(),
        ),
        (
            "add unique constraint",
            vec!["add_constraint"],
            base(),
            with(|s| {
                users_of(s).uniques.push(UniqueConstraint {
                    name: "uq_users_email".into(),
                    columns: vec!["email".into()],
                    ..UniqueConstraint::default()
                })
            }),
        ),
        (
            "drop unique constraint",
            vec!["drop_constraint"],
            with(|s| {
                users_of(s).uniques.push(UniqueConstraint {
                    name: "uq_users_email".into(),
                    columns: vec!["email".into()],
                    ..UniqueConstraint::default()
                })
            }),
            base(),
        ),
        (
            "add foreign key",
            vec!["add_constraint"],
            base(),
            with(|s| users_of(s).foreign_keys.push(fk())),
        ),
        (
            "drop foreign key",
            vec!["drop_constraint"],
            with(|s| users_of(s).foreign_keys.push(fk())),
            base(),
        ),
        (
            "add check constraint",
            vec!["add_constraint"],
            base(),
            with(|s| {
                users_of(s).checks.push(CheckConstraint {
                    name: "ck_users_karma".into(),
                    expr: "karma >= 0".into(),
                    ..CheckConstraint::default()
                })
            }),
        ),
        (
            "drop check constraint",
            vec!["drop_constraint"],
            with(|s| {
                users_of(s).checks.push(CheckConstraint {
                    name: "ck_users_karma".into(),
                    expr: "karma >= 0".into(),
                    ..CheckConstraint::default()
                })
            }),
            base(),
        ),
        (
            "create enum type and a column using it",
            vec!["create_enum", "add_column"],
            base(),
            with_mood(&["calm", "busy"]),
        ),
        (
            "add enum values",
            vec!["alter_enum"],
            with_mood(&["calm"]),
            with_mood(&["calm", "busy", "it's late"]),
        ),
        (
            "remove an enum value",
            vec!["alter_enum"],
            with_mood(&["calm", "busy"]),
            with_mood(&["calm"]),
        ),
        (
            "table comment",
            vec!["set_table_comment"],
            base(),
            with(|s| users_of(s).comment = Some("People who sign in.".into())),
        ),
        (
            "reserved and odd identifiers",
            vec!["create_table"],
            base(),
            with(|s| {
                s.tables.push(Table {
                    name: "order".into(),
                    columns: vec![
                        col("select", ColumnType::Integer, false),
                        col("Mixed Case", ColumnType::Text, true),
                    ],
                    primary_key: vec!["select".into()],
                    indexes: vec![Index {
                        name: "ix order".into(),
                        columns: vec!["Mixed Case".into()],
                        unique: false,
                        predicate: None,
                        ..Index::default()
                    }],
                    ..Table::default()
                })
            }),
        ),
        (
            "index expressions, methods, operator classes and ordering",
            vec!["create_index", "create_index", "create_index"],
            base(),
            with(|s| users_of(s).indexes.extend(feature_indexes())),
        ),
        (
            "drop indexes with expressions and options",
            vec!["drop_index", "drop_index", "drop_index"],
            with(|s| users_of(s).indexes.extend(feature_indexes())),
            base(),
        ),
        (
            "an index's method changes",
            vec!["drop_index", "create_index"],
            with(|s| {
                users_of(s)
                    .indexes
                    .push(Index::on("ix_users_email", &["email"]))
            }),
            with(|s| {
                let mut index = Index::on("ix_users_email", &["email"]);
                index.method = Some("hash".into());
                users_of(s).indexes.push(index)
            }),
        ),
        (
            "constraint options",
            vec![
                "add_constraint",
                "add_constraint",
                "add_constraint",
                "add_constraint",
            ],
            base(),
            with(|s| add_feature_constraints(users_of(s))),
        ),
        (
            "a deferrable unique constraint becomes immediate",
            vec!["drop_constraint", "add_constraint"],
            with(|s| {
                users_of(s).uniques.push(UniqueConstraint {
                    name: "uq_users_email".into(),
                    columns: vec!["email".into()],
                    deferral: Deferral::Deferred,
                    ..UniqueConstraint::default()
                })
            }),
            with(|s| {
                users_of(s).uniques.push(UniqueConstraint {
                    name: "uq_users_email".into(),
                    columns: vec!["email".into()],
                    ..UniqueConstraint::default()
                })
            }),
        ),
        (
            "create a table with constraint options",
            vec!["create_table"],
            base(),
            with(|s| {
                let mut table = Table {
                    name: "members".into(),
                    columns: vec![
                        col("id", ColumnType::BigInt, false),
                        col("email", ColumnType::Text, true),
                        col("karma", ColumnType::Integer, true),
                        col("team_id", ColumnType::BigInt, true),
                    ],
                    primary_key: vec!["id".into()],
                    indexes: feature_indexes(),
                    ..Table::default()
                };
                add_feature_constraints(&mut table);
                s.tables.push(table)
            }),
        ),
        (
            // MySQL refuses a check on an AUTO_INCREMENT column: the key loses
            // it first, and gets it back once the check is gone.
            "a check on the key column",
            vec!["add_constraint"],
            base(),
            with(|s| {
                users_of(s).checks.push(CheckConstraint {
                    name: "ck_users_id".into(),
                    expr: "id > 0".into(),
                    not_valid: false,
                })
            }),
        ),
    ]
}

/// One index of each kind: an expression, a method with operator classes, and
/// a btree with ordering, collation, `INCLUDE`, `NULLS NOT DISTINCT` and `WHERE`.
fn feature_indexes() -> Vec<Index> {
    vec![
        Index {
            name: "ix_users_lower_email".into(),
            columns: vec![IndexKey::expr("lower(email)")],
            unique: true,
            ..Index::default()
        },
        Index {
            name: "ix_users_email_trgm".into(),
            columns: vec![IndexKey {
                opclass: Some("gin_trgm_ops".into()),
                ..IndexKey::column("email")
            }],
            method: Some("gin".into()),
            ..Index::default()
        },
        Index {
            name: "ix_users_karma".into(),
            columns: vec![
                IndexKey {
                    descending: true,
                    nulls_first: Some(false),
                    ..IndexKey::column("karma")
                },
                IndexKey {
                    collation: Some("C".into()),
                    opclass: Some("text_pattern_ops".into()),
                    nulls_first: Some(true),
                    ..IndexKey::column("email")
                },
            ],
            unique: true,
            predicate: Some("karma > 0".into()),
            include: vec!["team_id".into()],
            nulls_not_distinct: true,
            ..Index::default()
        },
    ]
}

/// A unique constraint with every option, a `MATCH FULL` deferrable foreign key
/// that is `NOT VALID`, a `NOT VALID` check and an exclusion constraint.
fn add_feature_constraints(table: &mut Table) {
    let name = table.name.clone();
    table.uniques.push(UniqueConstraint {
        name: format!("uq_{name}_email"),
        columns: vec!["email".into()],
        deferral: Deferral::Deferred,
        nulls_not_distinct: true,
        include: vec!["karma".into()],
    });
    table.foreign_keys.push(ForeignKey {
        name: format!("fk_{name}_team_id_teams"),
        match_full: true,
        deferral: Deferral::Immediate,
        not_valid: true,
        ..fk()
    });
    table.checks.push(CheckConstraint {
        name: format!("ck_{name}_karma"),
        expr: "karma >= 0".into(),
        not_valid: true,
    });
    table.exclusions.push(ExclusionConstraint {
        name: format!("ex_{name}_karma"),
        definition: "USING gist (karma WITH =) WHERE (karma > 0)".into(),
        deferral: Deferral::Deferred,
    });
}

fn snapshot(dialect: Dialect) -> String {
    let mut out = String::new();
    for (name, kinds, before, after) in cases() {
        let diff = compare(&before, &after, dialect, &Filter::default());
        let found: Vec<&str> = diff.ops.iter().map(|op| op.kind()).collect();
        // SQLite has no enum types or comments: those changes show (or vanish) otherwise.
        if dialect == Dialect::Postgres {
            assert_eq!(found, kinds, "{name} on {dialect}");
        }
        let generated = generate(&diff, &before, &after, dialect);
        out.push_str(&format!("-- ===== {name}\n"));
        for op in &diff.ops {
            out.push_str(&format!("-- {op}\n"));
        }
        push_generated(&mut out, "", &generated);
        push_follow_up(&mut out, "", &generated);
        out.push('\n');
    }
    out
}

/// Appends what autogenerate moves out of the main revision's transaction
/// (indexes built concurrently, constraints validated without blocking writes),
/// so the snapshot shows where each statement went.
fn push_follow_up(out: &mut String, label: &str, generated: &Generated) {
    if generated.concurrent_up.statements.is_empty() {
        return;
    }
    for (section, rendered) in [
        ("up", &generated.concurrent_up),
        ("down", &generated.concurrent_down),
    ] {
        out.push_str(&format!(
            "-- {section}{label} follow-up transaction:false\n{}",
            rendered.script()
        ));
    }
}

/// Appends `-- up<label>[ transaction:false]` and the upgrade's script, then the
/// same for the downgrade.
fn push_generated(out: &mut String, label: &str, generated: &Generated) {
    for (section, rendered) in [("up", &generated.up), ("down", &generated.down)] {
        let options = if rendered.transactional {
            ""
        } else {
            " transaction:false"
        };
        out.push_str(&format!(
            "-- {section}{label}{options}\n{}",
            rendered.script()
        ));
    }
}

/// Compares `actual` with `tests/snapshots/<name>`, or rewrites that file under
/// `UPDATE_SNAPSHOTS`.
fn assert_snapshot(name: &str, actual: &str) {
    let path = format!("{}/tests/snapshots/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{path} is missing: run with UPDATE_SNAPSHOTS=1"));
    assert!(
        expected == actual,
        "{path} differs from the rendering; rerun with UPDATE_SNAPSHOTS=1 and review the diff.\n--- actual ---\n{actual}"
    );
}

#[test]
fn render_snapshots() {
    for dialect in Dialect::ALL {
        assert_snapshot(&format!("render.{dialect}.sql"), &snapshot(dialect));
    }
}

#[test]
fn sqlite_ops_without_alter_rebuild_the_table() {
    let diff = compare(
        &base(),
        &with(|s| users_of(s).columns[1].ty = ColumnType::Text),
        Dialect::Sqlite,
        &Filter::default(),
    );
    let generated = generate(
        &diff,
        &base(),
        &with(|s| users_of(s).columns[1].ty = ColumnType::Text),
        Dialect::Sqlite,
    );
    let up = generated.up.statements.join("\n");
    assert!(up.contains("CREATE TABLE _migrate_new_users"), "{up}");
    assert!(up.contains("INSERT INTO _migrate_new_users (id, email, karma, team_id) SELECT id, email, karma, team_id FROM users"), "{up}");
    assert!(
        up.contains("ALTER TABLE _migrate_new_users RENAME TO users"),
        "{up}"
    );
}

#[test]
fn a_key_column_keeps_not_null_when_another_property_changes() {
    // The model says the key column may be NULL (PostgreSQL refuses that for a
    // key), and its default changes: only the default is altered.
    let before = base();
    let after = with(|s| {
        let id = &mut users_of(s).columns[0];
        id.nullable = true;
        id.default = Some("1".into());
    });
    let diff = compare(&before, &after, Dialect::Postgres, &Filter::default());
    let generated = generate(&diff, &before, &after, Dialect::Postgres);
    assert_eq!(
        generated.up.statements,
        ["ALTER TABLE users ALTER COLUMN id SET DEFAULT 1"]
    );
    assert_eq!(
        generated.down.statements,
        ["ALTER TABLE users ALTER COLUMN id DROP DEFAULT"]
    );
}

/// Each case's "before" created on SQLite and read back, then compared there
/// and rendered for both dialects, as `revision --autogenerate` does on a SQLite
/// database: against `tests/snapshots/render.from-sqlite.sql`. The PostgreSQL
/// SQL uses the models' types (`BIGINT` for the `i64` keys SQLite reports as
/// `INTEGER`) and real enum types.
#[test]
fn render_snapshots_compared_on_sqlite() {
    use migrate_core::autogenerate::generate_for;
    use migrate_core::backend::{connect, ConnectOptions, LedgerConfig};
    use migrate_core::config::DatabaseUrl;

    let mut out = String::new();
    for (name, _, before, after) in cases() {
        let mut db = connect(&DatabaseUrl::SqliteMemory, &ConnectOptions::default()).unwrap();
        before.create_all(db.as_mut()).unwrap();
        let read = db.introspect(&[], &LedgerConfig::default()).unwrap();
        let generated = generate_for(
            &read,
            Dialect::Sqlite,
            &after,
            &[Dialect::Sqlite, Dialect::Postgres],
            &Filter::default(),
        );
        out.push_str(&format!("-- ===== {name}\n"));
        for op in &generated.diff.ops {
            out.push_str(&format!("-- {op}\n"));
        }
        for (dialect, sql) in &generated.dialects {
            push_generated(&mut out, &format!(" {dialect}"), sql);
            push_follow_up(&mut out, &format!(" {dialect}"), sql);
        }
        out.push('\n');
    }
    assert_snapshot("render.from-sqlite.sql", &out);
}

/// Each case on a real MySQL or MariaDB server (`MIGRATE_TEST_MYSQL_URL`, default
/// the local `mysql://root@127.0.0.1:3306/test`; skipped with a notice when none
/// answers, unless `MIGRATE_REQUIRE_MYSQL=1`), a database per case: "before" is
/// created from the models' DDL and must read back as itself; the rendered
/// upgrade must bring it to "after", with nothing left to find, and the rendered
/// downgrade back to "before".
#[cfg(feature = "mysql")]
#[test]
fn mysql_renderings_apply_and_read_back() {
    use migrate_core::autogenerate::normalize_schema;
    use migrate_core::backend::introspect::mysql::introspect;
    use mysql::prelude::Queryable;

    let url = std::env::var("MIGRATE_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_string());
    let opts = mysql::Opts::from_url(&url).expect("MIGRATE_TEST_MYSQL_URL");
    let mut admin = match mysql::Conn::new(opts.clone()) {
        Ok(conn) => conn,
        Err(e) => {
            assert!(
                std::env::var("MIGRATE_REQUIRE_MYSQL").as_deref() != Ok("1"),
                "MIGRATE_REQUIRE_MYSQL=1 but MySQL is unreachable: {e}"
            );
            eprintln!("notice: skipping mysql_renderings_apply_and_read_back: no server ({e})");
            return;
        }
    };
    let dialect = Dialect::Mysql;
    let filter = Filter::default();
    let version: String = admin.query_first("SELECT VERSION()").unwrap().unwrap();
    let expression_keys = |s: &Schema| {
        s.tables
            .iter()
            .flat_map(|t| &t.indexes)
            .any(|i| i.columns.iter().any(|k| k.expression))
    };
    for (i, (name, _, before, after)) in cases().into_iter().enumerate() {
        // MariaDB has no expression indexes (MySQL has since 8.0.13).
        if version.contains("MariaDB") && (expression_keys(&before) || expression_keys(&after)) {
            continue;
        }
        let db = format!("migrate_t_render_{}_{i}", std::process::id());
        admin
            .query_drop(format!("DROP DATABASE IF EXISTS `{db}`"))
            .unwrap();
        admin.query_drop(format!("CREATE DATABASE `{db}`")).unwrap();
        let mut conn =
            mysql::Conn::new(mysql::OptsBuilder::from_opts(opts.clone()).db_name(Some(&db)))
                .unwrap();
        let apply = |conn: &mut mysql::Conn, statements: &[String], stage: &str| {
            for statement in statements {
                if let Err(e) = conn.query_drop(statement) {
                    panic!("{name}, {stage}: {statement}: {e}");
                }
            }
        };
        let read = |conn: &mut mysql::Conn| introspect(conn, "migrate_version").unwrap();
        let same = |want: &Schema, got: &Schema, stage: &str| {
            assert_eq!(
                normalize_schema(got, dialect),
                normalize_schema(want, dialect),
                "{name}: {stage}"
            );
        };
        apply(&mut conn, &before.create_sql(dialect), "creating before");
        let at_before = read(&mut conn);
        same(&before, &at_before, "before reads back as itself");
        assert!(
            compare(&at_before, &before, dialect, &filter).is_empty(),
            "{name}: before compares clean"
        );
        let diff = compare(&at_before, &after, dialect, &filter);
        let generated = generate(&diff, &at_before, &after, dialect);
        apply(&mut conn, &generated.up.statements, "upgrade");
        let at_after = read(&mut conn);
        same(&after, &at_after, "after the upgrade");
        let left = compare(&at_after, &after, dialect, &filter);
        assert!(
            left.is_empty(),
            "{name}: left after the upgrade: {:?}",
            left.ops
        );
        apply(&mut conn, &generated.down.statements, "downgrade");
        same(&before, &read(&mut conn), "after the downgrade");
        drop(conn);
        admin.query_drop(format!("DROP DATABASE `{db}`")).unwrap();
    }
}

/// A table with every kind of column PostgreSQL fills or types specially.
fn accounts() -> Table {
    use migrate_core::schema::{Generation, Sequence};
    let with_generation = |mut c: Column, g: Generation| {
        c.generated = Some(g);
        c
    };
    let mut handle = col("handle", ColumnType::Text, false);
    handle.collation = Some("C".into());
    Table {
        name: "accounts".into(),
        columns: vec![
            with_generation(
                col("id", ColumnType::Integer, false),
                Generation::Serial(Sequence::default()),
            ),
            with_generation(
                col("ticket", ColumnType::BigInt, false),
                Generation::Serial(Sequence {
                    name: Some("ticket_numbers".into()),
                    start: Some(1000),
                    increment: Some(10),
                    cache: Some(5),
                    ..Sequence::default()
                }),
            ),
            with_generation(
                col("rank", ColumnType::BigInt, false),
                Generation::Identity {
                    always: true,
                    sequence: Sequence {
                        start: Some(100),
                        increment: Some(-1),
                        min_value: Some(1),
                        max_value: Some(100),
                        cycle: true,
                        ..Sequence::default()
                    },
                },
            ),
            with_generation(
                col("serial_no", ColumnType::SmallInt, false),
                Generation::Identity {
                    always: false,
                    sequence: Sequence::default(),
                },
            ),
            handle,
            col("price", ColumnType::Numeric(Some((10, 2))), false),
            col("quantity", ColumnType::Integer, false),
            with_generation(
                col("total", ColumnType::Numeric(Some((12, 2))), true),
                Generation::Stored("price * quantity".into()),
            ),
            col("tags", ColumnType::Custom("text[]".into()), true),
            col("code", ColumnType::Varchar(12), true),
            col("seen_at", ColumnType::TimestampTz, true),
            col(
                "opens_at",
                ColumnType::Custom("time(3) with time zone".into()),
                true,
            ),
            col("email", ColumnType::Custom("other.email".into()), true),
        ],
        primary_key: vec!["id".into()],
        ..Table::default()
    }
}

/// Column cases: what PostgreSQL fills itself (serial, identity, stored
/// expressions) and special types; against `tests/snapshots/render.columns.<dialect>.sql`.
fn column_cases() -> Vec<(&'static str, Schema, Schema)> {
    use migrate_core::schema::{Generation, Sequence};
    let accounts_schema = || Schema {
        tables: vec![accounts()],
        enums: vec![],
    };
    let change = |f: &dyn Fn(&mut Table)| {
        let mut s = accounts_schema();
        f(&mut s.tables[0]);
        s
    };
    vec![
        ("create table", Schema::default(), accounts_schema()),
        // The downgrade recreates the sequences the drop took with it.
        ("drop table", accounts_schema(), Schema::default()),
        (
            "add serial columns",
            change(&|t| t.columns.retain(|c| c.name != "ticket" && c.name != "id")),
            accounts_schema(),
        ),
        (
            "a plain column becomes an identity",
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "rank").unwrap();
                c.generated = None;
                c.default = Some("0".into());
            }),
            accounts_schema(),
        ),
        (
            "identity options change",
            accounts_schema(),
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "rank").unwrap();
                c.generated = Some(Generation::Identity {
                    always: false,
                    sequence: Sequence {
                        name: Some("ranks".into()),
                        increment: Some(2),
                        ..Sequence::default()
                    },
                });
            }),
        ),
        (
            "serial options change",
            accounts_schema(),
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "ticket").unwrap();
                c.generated = Some(Generation::Serial(Sequence {
                    name: Some("ticket_numbers".into()),
                    ..Sequence::default()
                }));
            }),
        ),
        (
            "a serial column becomes plain",
            accounts_schema(),
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "ticket").unwrap();
                c.generated = None;
                c.default = Some("0".into());
            }),
        ),
        (
            "a stored expression changes",
            accounts_schema(),
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "total").unwrap();
                c.generated = Some(Generation::Stored("price * quantity * 2".into()));
            }),
        ),
        (
            "a stored column becomes plain",
            accounts_schema(),
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "total").unwrap();
                c.generated = None;
            }),
        ),
        (
            "collations change",
            accounts_schema(),
            change(&|t| {
                let c = t.columns.iter_mut().find(|c| c.name == "handle").unwrap();
                c.collation = Some("en-x-icu".into());
                let c = t.columns.iter_mut().find(|c| c.name == "code").unwrap();
                c.collation = Some("C".into());
            }),
        ),
    ]
}

#[test]
fn column_render_snapshots() {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let mut out = String::new();
        for (name, before, after) in column_cases() {
            let diff = compare(&before, &after, dialect, &Filter::default());
            let generated = generate(&diff, &before, &after, dialect);
            out.push_str(&format!("-- ===== {name}\n"));
            for op in &diff.ops {
                out.push_str(&format!("-- {op}\n"));
            }
            push_generated(&mut out, "", &generated);
            out.push('\n');
        }
        assert_snapshot(&format!("render.columns.{dialect}.sql"), &out);
    }
}
