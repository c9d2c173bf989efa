//! `CREATE` statements for every dialect: tables with their columns and
//! constraints, indexes, enum types and comments, and [`Schema::create_sql`],
//! which orders them for a whole schema. The dialects differ only through
//! their type names and capability flags; how each one *alters* a schema is
//! its own file's (`postgres.rs`, `sqlite.rs`).

use super::quote::{list, qualified, quote_ident, quote_literal};
use super::types::column_type_sql;
use super::Dialect;
use crate::operations::TableRef;
use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, ExclusionConstraint, ForeignKey, Index,
    IndexKey, Schema, Table, UniqueConstraint,
};

/// `CONSTRAINT name FOREIGN KEY (...) REFERENCES ...`, as a table element or
/// after `ALTER TABLE ... ADD`, in the order `pg_get_constraintdef` writes the
/// clauses. `NOT VALID` is not part of it: only `ALTER TABLE ... ADD` takes it
/// ([`not_valid_sql`]). SQLite parses `MATCH FULL` and ignores it, and keeps
/// deferral, so both are written for every dialect.
pub(crate) fn foreign_key_sql(fk: &ForeignKey, dialect: Dialect) -> String {
    let mut text = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        list(&fk.columns),
        qualified(fk.ref_schema.as_deref(), &fk.ref_table, dialect),
        list(&fk.ref_columns)
    );
    if fk.match_full {
        text.push_str(" MATCH FULL");
    }
    if let Some(action) = fk.on_update {
        text.push_str(&format!(" ON UPDATE {action}"));
    }
    if let Some(action) = fk.on_delete {
        text.push_str(&format!(" ON DELETE {action}"));
    }
    text.push_str(fk.deferral.sql());
    text
}

/// `CONSTRAINT name UNIQUE (...)`, as a table element or after `ALTER TABLE ... ADD`.
/// SQLite has none of `NULLS NOT DISTINCT`, `INCLUDE` and deferral for a unique
/// constraint; it gets the columns alone.
pub(crate) fn unique_sql(unique: &UniqueConstraint, dialect: Dialect) -> String {
    if dialect != Dialect::Postgres {
        return format!(
            "CONSTRAINT {} UNIQUE ({})",
            quote_ident(&unique.name),
            list(&unique.columns)
        );
    }
    let mut text = format!(
        "CONSTRAINT {} UNIQUE {}({})",
        quote_ident(&unique.name),
        if unique.nulls_not_distinct {
            "NULLS NOT DISTINCT "
        } else {
            ""
        },
        list(&unique.columns)
    );
    if !unique.include.is_empty() {
        text.push_str(&format!(" INCLUDE ({})", list(&unique.include)));
    }
    text.push_str(unique.deferral.sql());
    text
}

/// `CONSTRAINT name CHECK (...)`.
pub(crate) fn check_sql(check: &CheckConstraint) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        quote_ident(&check.name),
        check.expr
    )
}

/// `CONSTRAINT name EXCLUDE ...` (PostgreSQL).
pub(crate) fn exclusion_sql(exclusion: &ExclusionConstraint) -> String {
    format!(
        "CONSTRAINT {} EXCLUDE {}{}",
        quote_ident(&exclusion.name),
        exclusion.definition,
        exclusion.deferral.sql()
    )
}

/// ` NOT VALID` for a constraint whose existing rows were never checked, on a
/// dialect that can add one so. `CREATE TABLE` silently validates its
/// constraints, so such a constraint is added after its table.
pub(crate) fn not_valid_sql(not_valid: bool, dialect: Dialect) -> &'static str {
    if not_valid && dialect.can_add_constraints() {
        " NOT VALID"
    } else {
        ""
    }
}

/// A column definition: name, type, `NOT NULL`, `DEFAULT`, and on dialects
/// without enum types the `CHECK` that stands in for one. That check is named
/// after the enum type (as SQLAlchemy does), so the database keeps the type's
/// name, which a PostgreSQL revision generated from it needs.
pub(crate) fn column_sql(column: &Column, enums: &[EnumType], dialect: Dialect) -> String {
    let mut line = format!(
        "{} {}",
        quote_ident(&column.name),
        column_type_sql(&column.ty, dialect)
    );
    if !column.nullable {
        line.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        line.push_str(&format!(" DEFAULT {default}"));
    }
    if let (ColumnType::Enum(name), false) = (&column.ty, dialect.has_enum_types()) {
        if let Some(e) = enums.iter().find(|e| &e.name == name) {
            let values: Vec<String> = e.variants.iter().map(|v| quote_literal(v)).collect();
            line.push_str(&format!(
                " CONSTRAINT {} CHECK ({} IN ({}))",
                quote_ident(name),
                quote_ident(&column.name),
                values.join(", ")
            ));
        }
    }
    line
}

/// `CREATE TABLE` with its columns and constraints. Foreign keys for which
/// `inline_fk` says no are left out (they are added after the tables they need).
pub fn create_table_sql(
    table: &Table,
    enums: &[EnumType],
    dialect: Dialect,
    inline_fk: &dyn Fn(&ForeignKey) -> bool,
) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| column_sql(column, enums, dialect))
        .collect();
    if !table.primary_key.is_empty() {
        lines.push(format!("PRIMARY KEY ({})", list(&table.primary_key)));
    }
    let later = |not_valid: bool| not_valid && dialect.can_add_constraints();
    lines.extend(table.uniques.iter().map(|u| unique_sql(u, dialect)));
    for fk in table
        .foreign_keys
        .iter()
        .filter(|fk| inline_fk(fk) && !later(fk.not_valid))
    {
        lines.push(foreign_key_sql(fk, dialect));
    }
    lines.extend(
        table
            .checks
            .iter()
            .filter(|c| !later(c.not_valid))
            .map(check_sql),
    );
    if dialect == Dialect::Postgres {
        lines.extend(table.exclusions.iter().map(exclusion_sql));
    }
    format!(
        "CREATE TABLE {} (\n    {}\n)",
        qualified(table.schema.as_deref(), &table.name, dialect),
        lines.join(",\n    ")
    )
}

/// `CREATE [UNIQUE] INDEX`, with its clauses in the order `pg_get_indexdef`
/// writes them.
///
/// SQLite has one kind of index, with no operator classes, `INCLUDE` or
/// `NULLS FIRST/LAST` in an index, and collations of its own (`NOCASE`, not
/// PostgreSQL's `"C"`); it gets the keys (columns or expressions, with `DESC`)
/// and the `WHERE` condition, and the rest, which changes how PostgreSQL
/// searches rather than what a table holds, is left out. (`NULLS NOT DISTINCT`
/// does change what a table holds; SQLite cannot say it.)
pub fn create_index_sql(table: &Table, index: &Index, dialect: Dialect) -> String {
    let postgres = dialect == Dialect::Postgres;
    let keys: Vec<String> = index
        .columns
        .iter()
        .map(|k| index_key_sql(k, dialect))
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        qualified(table.schema.as_deref(), &table.name, dialect),
    );
    if let (true, Some(method)) = (postgres, &index.method) {
        if method != "btree" {
            sql.push_str(&format!("USING {} ", quote_ident(method)));
        }
    }
    sql.push_str(&format!("({})", keys.join(", ")));
    if postgres && !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", list(&index.include)));
    }
    if postgres && index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

/// One key of `CREATE INDEX`: `col` or `(expr)`, then `COLLATE`, the operator
/// class, `DESC` and `NULLS FIRST/LAST` (the last two only where they differ
/// from the direction's default, as PostgreSQL prints them).
fn index_key_sql(key: &IndexKey, dialect: Dialect) -> String {
    let postgres = dialect == Dialect::Postgres;
    let mut sql = if key.expression {
        format!("({})", key.sql)
    } else {
        quote_ident(&key.sql)
    };
    if let (true, Some(collation)) = (postgres, &key.collation) {
        sql.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let (true, Some(opclass)) = (postgres, &key.opclass) {
        sql.push_str(&format!(" {opclass}"));
    }
    if key.descending {
        sql.push_str(" DESC");
    }
    if postgres && key.nulls_sort_first() != key.descending {
        sql.push_str(if key.nulls_sort_first() {
            " NULLS FIRST"
        } else {
            " NULLS LAST"
        });
    }
    sql
}

/// A table that an operation names, as `CREATE INDEX` and the like need it.
pub(crate) fn table_name(table: &TableRef, dialect: Dialect) -> String {
    qualified(table.schema.as_deref(), &table.name, dialect)
}

/// `CREATE [UNIQUE] INDEX` on a table that an operation names.
pub(crate) fn create_index_on(table: &TableRef, index: &Index, dialect: Dialect) -> String {
    let bare = Table {
        schema: table.schema.clone(),
        name: table.name.clone(),
        ..Table::default()
    };
    create_index_sql(&bare, index, dialect)
}

/// A table whole: `CREATE TABLE` with every foreign key inline, then its
/// indexes and comments.
pub(crate) fn create_table_whole(
    table: &Table,
    enums: &[EnumType],
    dialect: Dialect,
) -> Vec<String> {
    let mut out = vec![create_table_sql(table, enums, dialect, &|_| true)];
    out.extend(table_extras_sql(table, dialect));
    out
}

impl Schema {
    /// The DDL that creates this schema on `dialect`, one statement per entry, in an
    /// order the database accepts: enum types, tables (referenced before
    /// referencing), foreign keys that close a cycle, indexes, comments.
    ///
    /// ```
    /// use migrate_core::schema::{Column, ColumnType, Schema, Table};
    /// use migrate_core::Dialect;
    /// let schema = Schema {
    ///     tables: vec![Table {
    ///         name: "order".into(), // a reserved word
    ///         columns: vec![Column { name: "id".into(), ty: ColumnType::BigInt, nullable: false, default: None, comment: None }],
    ///         primary_key: vec!["id".into()],
    ///         ..Table::default()
    ///     }],
    ///     enums: vec![],
    /// };
    /// assert_eq!(schema.create_sql(Dialect::Postgres), ["CREATE TABLE \"order\" (\n    id BIGINT NOT NULL,\n    PRIMARY KEY (id)\n)"]);
    /// ```
    pub fn create_sql(&self, dialect: Dialect) -> Vec<String> {
        let mut out = Vec::new();
        if dialect.has_enum_types() {
            out.extend(self.enums.iter().map(create_enum_sql));
        }
        let mut created: Vec<String> = Vec::new();
        let mut deferred: Vec<(&Table, &ForeignKey)> = Vec::new();
        for table in &self.tables {
            let me = table.qualified_name();
            let ready = |fk: &ForeignKey| {
                let target = match &fk.ref_schema {
                    Some(s) => format!("{s}.{}", fk.ref_table),
                    None => fk.ref_table.clone(),
                };
                // SQLite checks references only when rows change, so it takes them all inline.
                !dialect.can_add_constraints() || target == me || created.contains(&target)
            };
            out.push(create_table_sql(table, &self.enums, dialect, &ready));
            deferred.extend(
                table
                    .foreign_keys
                    .iter()
                    // A NOT VALID key is added after every table anyway.
                    .filter(|fk| !(ready(fk) || fk.not_valid && dialect.can_add_constraints()))
                    .map(|fk| (table, fk)),
            );
            created.push(me);
        }
        for (table, fk) in deferred {
            out.push(format!(
                "ALTER TABLE {} ADD {}",
                qualified(table.schema.as_deref(), &table.name, dialect),
                foreign_key_sql(fk, dialect)
            ));
        }
        for table in &self.tables {
            out.extend(table_extras_sql(table, dialect));
        }
        out
    }
}

/// What `CREATE TABLE` leaves out: constraints that are `NOT VALID`, the
/// table's indexes and, where the dialect has them, its comments.
pub(crate) fn table_extras_sql(table: &Table, dialect: Dialect) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if dialect.can_add_constraints() {
        let name = qualified(table.schema.as_deref(), &table.name, dialect);
        for fk in table.foreign_keys.iter().filter(|fk| fk.not_valid) {
            out.push(format!(
                "ALTER TABLE {name} ADD {} NOT VALID",
                foreign_key_sql(fk, dialect)
            ));
        }
        for check in table.checks.iter().filter(|c| c.not_valid) {
            out.push(format!(
                "ALTER TABLE {name} ADD {} NOT VALID",
                check_sql(check)
            ));
        }
    }
    out.extend(
        table
            .indexes
            .iter()
            .map(|i| create_index_sql(table, i, dialect)),
    );
    if dialect.has_comments() {
        out.extend(comment_sql(table));
    }
    out
}

/// `CREATE TYPE name AS ENUM (...)` (PostgreSQL).
pub fn create_enum_sql(e: &EnumType) -> String {
    let values: Vec<String> = e.variants.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        quote_ident(&e.name),
        values.join(", ")
    )
}

/// `COMMENT ON <object> IS '...'`, or `IS NULL` to remove a comment.
pub(crate) fn comment_on(object: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON {object} IS {}",
        comment.map_or_else(|| "NULL".to_string(), quote_literal)
    )
}

/// `COMMENT ON` statements for a table and its columns (PostgreSQL).
pub fn comment_sql(table: &Table) -> Vec<String> {
    let name = qualified(table.schema.as_deref(), &table.name, Dialect::Postgres);
    let mut out = Vec::new();
    if let Some(comment) = &table.comment {
        out.push(comment_on(&format!("TABLE {name}"), Some(comment)));
    }
    for column in &table.columns {
        if let Some(comment) = &column.comment {
            let object = format!("COLUMN {name}.{}", quote_ident(&column.name));
            out.push(comment_on(&object, Some(comment)));
        }
    }
    out
}
