//! `CREATE` statements for every dialect: tables with their columns and
//! constraints, indexes, enum types and comments, and [`Schema::create_sql`],
//! which orders them for a whole schema. The dialects differ only through
//! their quoting, type names and capability flags (and MySQL's inline enum
//! lists, comments and `AUTO_INCREMENT`); how each one *alters* a schema is
//! its own file's (`postgres.rs`, `sqlite.rs`, `mysql.rs`).

use super::quote::{
    list, list_in, qualified, quote_ident, quote_ident_in, quote_literal, quote_literal_in,
};
use super::types::column_type_sql;
use super::Dialect;
use crate::operations::TableRef;
use crate::schema::sequence::default_sequence_name;
use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, ExclusionConstraint, ForeignKey, Generation,
    Index, IndexKey, Schema, Sequence, Table, UniqueConstraint,
};

/// `CONSTRAINT name FOREIGN KEY (...) REFERENCES ...`, as a table element or
/// after `ALTER TABLE ... ADD`, in the order `pg_get_constraintdef` writes the
/// clauses. `NOT VALID` is not part of it: only `ALTER TABLE ... ADD` takes it
/// ([`not_valid_sql`]). SQLite parses `MATCH FULL` and ignores it, and keeps
/// deferral, so both are written for SQLite and PostgreSQL. MySQL has no
/// deferral, and a `MATCH` clause there makes it ignore the `ON DELETE` and
/// `ON UPDATE` actions, so neither is written for it.
pub(crate) fn foreign_key_sql(fk: &ForeignKey, dialect: Dialect) -> String {
    let mut text = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident_in(&fk.name, dialect),
        list_in(&fk.columns, dialect),
        qualified(fk.ref_schema.as_deref(), &fk.ref_table, dialect),
        list_in(&fk.ref_columns, dialect)
    );
    let mysql = dialect == Dialect::Mysql;
    if fk.match_full && !mysql {
        text.push_str(" MATCH FULL");
    }
    if let Some(action) = fk.on_update {
        text.push_str(&format!(" ON UPDATE {action}"));
    }
    if let Some(action) = fk.on_delete {
        text.push_str(&format!(" ON DELETE {action}"));
    }
    if !mysql {
        text.push_str(fk.deferral.sql());
    }
    text
}

/// `CONSTRAINT name UNIQUE (...)`, as a table element or after `ALTER TABLE ... ADD`.
/// SQLite and MySQL have none of `NULLS NOT DISTINCT`, `INCLUDE` and deferral
/// for a unique constraint; they get the columns alone.
pub(crate) fn unique_sql(unique: &UniqueConstraint, dialect: Dialect) -> String {
    if dialect != Dialect::Postgres {
        return format!(
            "CONSTRAINT {} UNIQUE ({})",
            quote_ident_in(&unique.name, dialect),
            list_in(&unique.columns, dialect)
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
pub(crate) fn check_sql(check: &CheckConstraint, dialect: Dialect) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        quote_ident_in(&check.name, dialect),
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
/// dialect that can add one so (PostgreSQL). `CREATE TABLE` silently validates
/// its constraints, so such a constraint is added after its table.
pub(crate) fn not_valid_sql(not_valid: bool, dialect: Dialect) -> &'static str {
    if not_valid && adds_not_valid(dialect) {
        " NOT VALID"
    } else {
        ""
    }
}

/// Whether `dialect` can add a constraint without checking existing rows
/// (`NOT VALID`): PostgreSQL only. Elsewhere such a constraint is an ordinary one.
fn adds_not_valid(dialect: Dialect) -> bool {
    dialect == Dialect::Postgres
}

/// A column definition: name, type, collation, `NOT NULL`, `DEFAULT` or what
/// generates the value, and on SQLite the `CHECK` that stands in for an enum
/// type. That check is named after the enum type (as SQLAlchemy does), so the
/// database keeps the type's name, which a PostgreSQL revision generated from it
/// needs. MySQL writes an enum as its inline `ENUM(...)` list, and keeps the
/// column's comment in the definition.
///
/// Serial and identity columns and collations are PostgreSQL's: elsewhere a
/// serial or identity column is a plain column (an `INTEGER PRIMARY KEY` numbers
/// rows by itself on SQLite, `AUTO_INCREMENT` is MySQL's own), and PostgreSQL's
/// collation names mean nothing there. A stored generated column is
/// `GENERATED ALWAYS AS (...) STORED` on all three, without `NOT NULL` on MySQL
/// (MariaDB has none for it).
pub(crate) fn column_sql(
    column: &Column,
    table: &TableRef,
    enums: &[EnumType],
    dialect: Dialect,
) -> String {
    column_def(column, table, enums, dialect, false)
}

/// [`column_sql`], with MySQL's `AUTO_INCREMENT` when `auto_increment` says so.
pub(crate) fn column_def(
    column: &Column,
    table: &TableRef,
    enums: &[EnumType],
    dialect: Dialect,
    auto_increment: bool,
) -> String {
    let postgres = dialect == Dialect::Postgres;
    let ty = match (&column.ty, dialect, serial_keyword(column)) {
        (ColumnType::Enum(name), Dialect::Mysql, _) => enums
            .iter()
            .find(|e| &e.name == name)
            .map(|e| super::types::enum_type_sql(&e.variants))
            .unwrap_or_else(|| column_type_sql(&column.ty, dialect)),
        (_, Dialect::Postgres, Some(keyword)) => keyword.to_string(),
        (ty, _, _) => column_type_sql(ty, dialect),
    };
    let mut line = format!("{} {ty}", quote_ident_in(&column.name, dialect));
    if let (Some(collation), true) = (&column.collation, postgres) {
        line.push_str(&format!(" COLLATE {}", collation_sql(collation)));
    }
    // MariaDB refuses `NOT NULL` on a generated column, before or after the
    // expression (MySQL takes it after); its values are the expression's.
    let unconstrained = dialect == Dialect::Mysql
        && matches!(
            column.generated,
            Some(Generation::Stored(_) | Generation::Virtual(_))
        );
    if !column.nullable && !unconstrained {
        line.push_str(" NOT NULL");
    }
    match (&column.generated, postgres) {
        // PostgreSQL before 18 computes only stored columns; a virtual one's
        // values are the same.
        (Some(Generation::Stored(expr)), _) | (Some(Generation::Virtual(expr)), true) => {
            line.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
        }
        (Some(Generation::Virtual(expr)), false) => {
            line.push_str(&format!(" GENERATED ALWAYS AS ({expr}) VIRTUAL"));
        }
        (Some(Generation::Identity { always, sequence }), true) => {
            line.push_str(&identity_sql(*always, sequence));
        }
        (Some(Generation::Serial(sequence)), true) if serial_keyword(column).is_none() => {
            let name = sequence_name(table, &column.name, sequence);
            line.push_str(&format!(" DEFAULT {}", nextval_sql(table, &name)));
        }
        _ => {}
    }
    if let Some(default) = &column.default {
        line.push_str(&format!(" DEFAULT {default}"));
    }
    if dialect == Dialect::Mysql {
        if auto_increment {
            line.push_str(" AUTO_INCREMENT");
        }
        if let Some(comment) = &column.comment {
            line.push_str(&format!(" COMMENT {}", quote_literal_in(comment, dialect)));
        }
    }
    if let (ColumnType::Enum(name), Dialect::Sqlite) = (&column.ty, dialect) {
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

/// A collation as `COLLATE` takes it: `"C"`, `other."de-x-icu"`.
pub(crate) fn collation_sql(collation: &str) -> String {
    match collation.split_once('.') {
        Some((schema, name)) => format!("{}.{}", quote_ident(schema), quote_ident(name)),
        None => quote_ident(collation),
    }
}

/// `SERIAL`, `BIGSERIAL` or `SMALLSERIAL` for a serial column whose sequence
/// is exactly the one that keyword makes: PostgreSQL's name, default options.
fn serial_keyword(column: &Column) -> Option<&'static str> {
    let Some(Generation::Serial(sequence)) = &column.generated else {
        return None;
    };
    if *sequence != Sequence::default() {
        return None;
    }
    match column.ty {
        ColumnType::SmallInt => Some("SMALLSERIAL"),
        ColumnType::Integer => Some("SERIAL"),
        ColumnType::BigInt => Some("BIGSERIAL"),
        _ => None,
    }
}

/// ` GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)]`.
fn identity_sql(always: bool, sequence: &Sequence) -> String {
    let mut options = Vec::new();
    if let Some(name) = &sequence.name {
        options.push(format!("SEQUENCE NAME {}", quote_ident(name)));
    }
    options.extend(sequence_options(sequence));
    let mut out = format!(
        " GENERATED {} AS IDENTITY",
        if always { "ALWAYS" } else { "BY DEFAULT" }
    );
    if !options.is_empty() {
        out.push_str(&format!(" ({})", options.join(" ")));
    }
    out
}

/// The options of `sequence` that are not PostgreSQL's defaults, as
/// `CREATE SEQUENCE` and an identity's parentheses take them.
pub(crate) fn sequence_options(sequence: &Sequence) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = sequence.increment {
        out.push(format!("INCREMENT BY {n}"));
    }
    if let Some(n) = sequence.min_value {
        out.push(format!("MINVALUE {n}"));
    }
    if let Some(n) = sequence.max_value {
        out.push(format!("MAXVALUE {n}"));
    }
    if let Some(n) = sequence.start {
        out.push(format!("START WITH {n}"));
    }
    if let Some(n) = sequence.cache {
        out.push(format!("CACHE {n}"));
    }
    if sequence.cycle {
        out.push("CYCLE".to_string());
    }
    out
}

/// The name of a serial or identity column's sequence, PostgreSQL's own when
/// the sequence names none.
pub(crate) fn sequence_name(table: &TableRef, column: &str, sequence: &Sequence) -> String {
    sequence
        .name
        .clone()
        .unwrap_or_else(|| default_sequence_name(&table.name, column))
}

/// `nextval('seq'::regclass)`, as PostgreSQL itself writes a serial's default.
pub(crate) fn nextval_sql(table: &TableRef, sequence: &str) -> String {
    let name = qualified(table.schema.as_deref(), sequence, Dialect::Postgres);
    format!("nextval({}::regclass)", quote_literal(&name))
}

/// The integer type a sequence counts in (`AS ...`), that of its column.
pub(crate) fn sequence_type(ty: &ColumnType) -> Option<&'static str> {
    match ty {
        ColumnType::SmallInt => Some("smallint"),
        ColumnType::Integer => Some("integer"),
        ColumnType::BigInt => Some("bigint"),
        _ => None,
    }
}

/// What must exist before a serial column whose sequence `SERIAL` cannot make
/// (its own name or options) is created or added: `CREATE SEQUENCE` (PostgreSQL).
pub(crate) fn sequence_before(table: &TableRef, column: &Column) -> Option<String> {
    let Some(Generation::Serial(sequence)) = &column.generated else {
        return None;
    };
    if serial_keyword(column).is_some() {
        return None;
    }
    Some(create_sequence_sql(table, column, sequence))
}

/// `CREATE SEQUENCE` for a serial column's `sequence`, `AS` the column's type.
pub(crate) fn create_sequence_sql(
    table: &TableRef,
    column: &Column,
    sequence: &Sequence,
) -> String {
    let name = sequence_name(table, &column.name, sequence);
    let mut sql = format!(
        "CREATE SEQUENCE {}",
        qualified(table.schema.as_deref(), &name, Dialect::Postgres)
    );
    if let Some(ty) = sequence_type(&column.ty) {
        sql.push_str(&format!(" AS {ty}"));
    }
    for option in sequence_options(sequence) {
        sql.push(' ');
        sql.push_str(&option);
    }
    sql
}

/// What follows [`sequence_before`] once the column exists: the column owns the
/// sequence, so dropping one drops the other, as with `SERIAL`.
pub(crate) fn sequence_after(table: &TableRef, column: &Column) -> Option<String> {
    let Some(Generation::Serial(sequence)) = &column.generated else {
        return None;
    };
    if serial_keyword(column).is_some() {
        return None;
    }
    Some(owned_by_sql(table, column, sequence))
}

/// `ALTER SEQUENCE ... OWNED BY table.column`.
pub(crate) fn owned_by_sql(table: &TableRef, column: &Column, sequence: &Sequence) -> String {
    let name = sequence_name(table, &column.name, sequence);
    format!(
        "ALTER SEQUENCE {} OWNED BY {}.{}",
        qualified(table.schema.as_deref(), &name, Dialect::Postgres),
        table_name(table, Dialect::Postgres),
        quote_ident(&column.name)
    )
}

/// `CREATE TABLE` with its columns and constraints. Foreign keys for which
/// `inline_fk` says no are left out (they are added after the tables they need).
pub fn create_table_sql(
    table: &Table,
    enums: &[EnumType],
    dialect: Dialect,
    inline_fk: &dyn Fn(&ForeignKey) -> bool,
) -> String {
    let reference = TableRef::of(table);
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            let auto =
                dialect == Dialect::Mysql && super::mysql_columns::auto_increment(table, column);
            column_def(column, &reference, enums, dialect, auto)
        })
        .collect();
    if !table.primary_key.is_empty() {
        lines.push(format!(
            "PRIMARY KEY ({})",
            list_in(&table.primary_key, dialect)
        ));
    }
    let later = |not_valid: bool| not_valid && adds_not_valid(dialect);
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
            .map(|c| check_sql(c, dialect)),
    );
    if dialect == Dialect::Postgres {
        lines.extend(table.exclusions.iter().map(exclusion_sql));
    }
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        qualified(table.schema.as_deref(), &table.name, dialect),
        lines.join(",\n    ")
    );
    if let (Dialect::Mysql, Some(comment)) = (dialect, &table.comment) {
        sql.push_str(&format!(
            " COMMENT = {}",
            quote_literal_in(comment, dialect)
        ));
    }
    sql
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
///
/// MySQL, which has no partial indexes, gets the keys without the condition,
/// each `TEXT` or `BLOB` column of a plain index with a key length (see
/// [`mysql`](super::mysql)): that needs `table`'s columns.
pub fn create_index_sql(table: &Table, index: &Index, dialect: Dialect) -> String {
    let postgres = dialect == Dialect::Postgres;
    let keys: Vec<String> = index
        .columns
        .iter()
        .map(|k| match dialect {
            Dialect::Mysql => super::mysql_columns::key_part(table, index, k),
            _ => index_key_sql(k, dialect),
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident_in(&index.name, dialect),
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
    if let (Some(predicate), true) = (&index.predicate, dialect.has_partial_indexes()) {
        sql.push_str(&format!(" WHERE {predicate}"));
    }
    sql
}

/// One key of `CREATE INDEX`: `col` or `(expr)`, then `COLLATE`, the operator
/// class, `DESC` and `NULLS FIRST/LAST` (the last two only where they differ
/// from the direction's default, as PostgreSQL prints them).
pub(crate) fn index_key_sql(key: &IndexKey, dialect: Dialect) -> String {
    let postgres = dialect == Dialect::Postgres;
    let mut sql = if key.expression {
        format!("({})", key.sql)
    } else {
        quote_ident_in(&key.sql, dialect)
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
    let mut out = sequences_before(table, dialect);
    out.push(create_table_sql(table, enums, dialect, &|_| true));
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
    ///         columns: vec![Column { name: "id".into(), ty: ColumnType::BigInt, nullable: false, default: None, comment: None, generated: None, collation: None }],
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
            out.extend(sequences_before(table, dialect));
            out.push(create_table_sql(table, &self.enums, dialect, &ready));
            deferred.extend(
                table
                    .foreign_keys
                    .iter()
                    // A NOT VALID key is added after every table anyway.
                    .filter(|fk| !(ready(fk) || fk.not_valid && adds_not_valid(dialect)))
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

/// The sequences a table's serial columns need before `CREATE TABLE` (PostgreSQL).
fn sequences_before(table: &Table, dialect: Dialect) -> Vec<String> {
    if dialect != Dialect::Postgres {
        return Vec::new();
    }
    let reference = TableRef::of(table);
    table
        .columns
        .iter()
        .filter_map(|c| sequence_before(&reference, c))
        .collect()
}

/// What `CREATE TABLE` leaves out: its sequences' ownership, constraints that
/// are `NOT VALID`, the table's indexes and, where the dialect has them, its
/// comments.
pub(crate) fn table_extras_sql(table: &Table, dialect: Dialect) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if dialect == Dialect::Postgres {
        let reference = TableRef::of(table);
        out.extend(
            table
                .columns
                .iter()
                .filter_map(|c| sequence_after(&reference, c)),
        );
    }
    if adds_not_valid(dialect) {
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
                check_sql(check, dialect)
            ));
        }
    }
    out.extend(
        table
            .indexes
            .iter()
            .map(|i| create_index_sql(table, i, dialect)),
    );
    // MySQL keeps comments inside the table's and columns' definitions.
    if dialect == Dialect::Postgres {
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
