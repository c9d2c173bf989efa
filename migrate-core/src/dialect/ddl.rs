//! Rendering a [`Schema`] as `CREATE` statements, shared by both dialects; the
//! differences sit in `sqlite.rs`/`postgres.rs` and the capability flags.

use super::{postgres, sqlite, Dialect};
use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, ForeignKey, Index, Schema, Table,
    UniqueConstraint,
};

/// Words that must be quoted as identifiers in either dialect.
const RESERVED: &[&str] = &[
    "abort",
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "glob",
    "grant",
    "group",
    "having",
    "if",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "match",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "regexp",
    "returning",
    "right",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "transaction",
    "trigger",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "view",
    "when",
    "where",
    "window",
    "with",
];

/// An identifier, quoted only when it must be: anything but a lowercase word
/// (`[a-z_][a-z0-9_]*`) that is not reserved is wrapped in double quotes, with
/// inner quotes doubled.
///
/// ```
/// use migrate_core::dialect::quote_ident;
/// assert_eq!(quote_ident("users"), "users");
/// assert_eq!(quote_ident("user"), "\"user\"");
/// assert_eq!(quote_ident("Mixed Case"), "\"Mixed Case\"");
/// assert_eq!(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
/// ```
pub fn quote_ident(name: &str) -> String {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && RESERVED.binary_search(&name).is_err();
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `'text'` with inner quotes doubled.
pub(crate) fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

pub(crate) fn qualified(schema: Option<&str>, name: &str, dialect: Dialect) -> String {
    match (schema, dialect) {
        (Some(schema), Dialect::Postgres) => {
            format!("{}.{}", quote_ident(schema), quote_ident(name))
        }
        _ => quote_ident(name),
    }
}

pub(crate) fn list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL type of a column.
pub fn column_type_sql(ty: &ColumnType, dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => sqlite::type_sql(ty),
        Dialect::Postgres => postgres::type_sql(ty),
    }
}

/// What a type read from a `dialect` database means in every dialect (see
/// `sqlite::portable_type`); PostgreSQL's types already say it.
pub fn portable_type(ty: &ColumnType, dialect: Dialect) -> ColumnType {
    match dialect {
        Dialect::Sqlite => sqlite::portable_type(ty),
        Dialect::Postgres => ty.clone(),
    }
}

pub(crate) fn foreign_key_sql(fk: &ForeignKey, dialect: Dialect) -> String {
    let mut text = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        list(&fk.columns),
        qualified(fk.ref_schema.as_deref(), &fk.ref_table, dialect),
        list(&fk.ref_columns)
    );
    if let Some(action) = fk.on_delete {
        text.push_str(&format!(" ON DELETE {action}"));
    }
    if let Some(action) = fk.on_update {
        text.push_str(&format!(" ON UPDATE {action}"));
    }
    text
}

/// `CONSTRAINT name UNIQUE (...)`, as a table element or after `ALTER TABLE ... ADD`.
pub(crate) fn unique_sql(unique: &UniqueConstraint) -> String {
    format!(
        "CONSTRAINT {} UNIQUE ({})",
        quote_ident(&unique.name),
        list(&unique.columns)
    )
}

/// `CONSTRAINT name CHECK (...)`.
pub(crate) fn check_sql(check: &CheckConstraint) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        quote_ident(&check.name),
        check.expr
    )
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
    lines.extend(table.uniques.iter().map(unique_sql));
    for fk in table.foreign_keys.iter().filter(|fk| inline_fk(fk)) {
        lines.push(foreign_key_sql(fk, dialect));
    }
    lines.extend(table.checks.iter().map(check_sql));
    format!(
        "CREATE TABLE {} (\n    {}\n)",
        qualified(table.schema.as_deref(), &table.name, dialect),
        lines.join(",\n    ")
    )
}

/// `CREATE [UNIQUE] INDEX`.
pub fn create_index_sql(table: &Table, index: &Index, dialect: Dialect) -> String {
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        qualified(table.schema.as_deref(), &table.name, dialect),
        list(&index.columns)
    );
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

/// Every statement that creates `schema` (see [`Schema::create_sql`]).
pub(crate) fn create_schema_sql(schema: &Schema, dialect: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    if dialect.has_enum_types() {
        out.extend(schema.enums.iter().map(postgres::create_enum_sql));
    }
    let mut created: Vec<String> = Vec::new();
    let mut deferred: Vec<(&Table, &ForeignKey)> = Vec::new();
    for table in &schema.tables {
        let me = table.qualified_name();
        let ready = |fk: &ForeignKey| {
            let target = match &fk.ref_schema {
                Some(s) => format!("{s}.{}", fk.ref_table),
                None => fk.ref_table.clone(),
            };
            // SQLite checks references only when rows change, so it takes them all inline.
            !dialect.can_add_constraints() || target == me || created.contains(&target)
        };
        out.push(create_table_sql(table, &schema.enums, dialect, &ready));
        deferred.extend(
            table
                .foreign_keys
                .iter()
                .filter(|fk| !ready(fk))
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
    for table in &schema.tables {
        out.extend(table_extras_sql(table, dialect));
    }
    out
}

/// What `CREATE TABLE` leaves out: the table's indexes and, where the dialect has
/// them, its comments.
pub(crate) fn table_extras_sql(table: &Table, dialect: Dialect) -> Vec<String> {
    let mut out: Vec<String> = table
        .indexes
        .iter()
        .map(|i| create_index_sql(table, i, dialect))
        .collect();
    if dialect.has_comments() {
        out.extend(postgres::comment_sql(table));
    }
    out
}
