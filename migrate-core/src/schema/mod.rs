//! The schema model: tables, columns, constraints, indexes and enum types.
//!
//! One owned, comparable form for every source of a schema: `#[model]`s linked
//! into the binary ([`model::metadata`]) and, for autogenerate, a live database's
//! catalog. Comparing two schemas is then comparing two values of these types.
//!
//! The model depends on nothing but [`error`](crate::error): rendering it as DDL
//! ([`Schema::create_sql`]) belongs to [`dialect`](crate::dialect), and running
//! that DDL ([`Schema::create_all`]) to [`backend`](crate::backend).

pub mod index_keys;
pub mod model;
pub mod names;
pub mod types;

use std::fmt;

pub use model::{metadata, ModelColumn, ModelEnum, ModelTable};
pub use types::{parse_type, SqlType};

/// A whole schema, as `metadata()` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Tables, each after the tables its foreign keys reference (where possible).
    pub tables: Vec<Table>,
    /// Enum types, sorted by name.
    pub enums: Vec<EnumType>,
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// PostgreSQL schema, if not the default.
    pub schema: Option<String>,
    /// Table name.
    pub name: String,
    /// Columns, in declaration order.
    pub columns: Vec<Column>,
    /// Primary-key columns (empty: none).
    pub primary_key: Vec<String>,
    /// The primary key's constraint name as a database reports it; `None` in
    /// models, whose key the database names (`{table}_pkey` on PostgreSQL).
    pub primary_key_name: Option<String>,
    /// Unique constraints.
    pub uniques: Vec<UniqueConstraint>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Check constraints.
    pub checks: Vec<CheckConstraint>,
    /// Exclusion constraints (PostgreSQL).
    pub exclusions: Vec<ExclusionConstraint>,
    /// Indexes.
    pub indexes: Vec<Index>,
    /// The table comment (from the struct's doc comment).
    pub comment: Option<String>,
}

impl Table {
    /// `schema.name`, or `name`.
    pub fn qualified_name(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Its type.
    pub ty: ColumnType,
    /// `NULL` allowed.
    pub nullable: bool,
    /// A default SQL expression.
    pub default: Option<String>,
    /// The column comment (from the field's doc comment).
    pub comment: Option<String>,
}

/// Column types, normalised: `int4`, `integer` and `i32` are all [`ColumnType::Integer`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// `BOOLEAN`
    Boolean,
    /// `SMALLINT` (i16)
    SmallInt,
    /// `INTEGER` (i32)
    Integer,
    /// `BIGINT` (i64)
    BigInt,
    /// `REAL` (f32)
    Real,
    /// `DOUBLE PRECISION` (f64)
    Double,
    /// `TEXT`
    Text,
    /// `VARCHAR(n)`
    Varchar(u32),
    /// `BYTEA` / `BLOB`
    Blob,
    /// `DATE`
    Date,
    /// `TIME`
    Time,
    /// `TIMESTAMP` (without time zone)
    Timestamp,
    /// `TIMESTAMPTZ`
    TimestampTz,
    /// `UUID`
    Uuid,
    /// `JSONB` / `JSON`
    Json,
    /// `NUMERIC` or `NUMERIC(p, s)`
    Numeric(Option<(u32, u32)>),
    /// A `#[model]` enum, by its SQL type name.
    Enum(String),
    /// Anything else, as written (`#[column(sql_type = "...")]`).
    Custom(String),
}

/// An index.
///
/// Every part of an index that PostgreSQL's `pg_get_indexdef` prints has a field
/// here, so that a dropped index is recreated as it was: key expressions, access
/// method, operator classes, collations, ordering, `INCLUDE` columns and
/// `NULLS NOT DISTINCT`. SQLite keeps what it can express (columns, expressions,
/// `DESC`, collations, `WHERE`); see [`create_index_sql`](crate::dialect::create_index_sql).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// The keys, in order: each a column or an expression.
    pub columns: Vec<IndexKey>,
    /// `CREATE UNIQUE INDEX`.
    pub unique: bool,
    /// A partial index's `WHERE` condition.
    pub predicate: Option<String>,
    /// The access method (`USING gin`); `None` is the database's default, btree.
    pub method: Option<String>,
    /// Non-key columns stored in the index (`INCLUDE (...)`, PostgreSQL).
    pub include: Vec<String>,
    /// `NULLS NOT DISTINCT`: a unique index that lets only one `NULL` in (PostgreSQL 15+).
    pub nulls_not_distinct: bool,
}

impl Index {
    /// An index on plain columns, btree, ascending: what most models declare.
    pub fn on(name: &str, columns: &[&str]) -> Index {
        Index {
            name: name.to_string(),
            columns: columns.iter().map(|c| IndexKey::column(c)).collect(),
            ..Index::default()
        }
    }

    /// The names of the key columns that are plain columns, in order.
    pub fn column_names(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|k| !k.expression)
            .map(|k| k.sql.clone())
            .collect()
    }

    /// The access method, btree when none is given.
    pub fn method_or_default(&self) -> &str {
        self.method.as_deref().unwrap_or("btree")
    }
}

/// One key of an index: a column or an expression, with its collation,
/// operator class and ordering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexKey {
    /// The column's name, or the expression's SQL when `expression`.
    pub sql: String,
    /// `sql` is an expression (`lower(email)`), rendered in parentheses.
    pub expression: bool,
    /// `COLLATE name`, unquoted.
    pub collation: Option<String>,
    /// The operator class (`gin_trgm_ops`), as SQL; `None` is the type's default.
    pub opclass: Option<String>,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST` (`Some(true)`) or `NULLS LAST` (`Some(false)`); `None`
    /// is the default for the direction (last ascending, first descending).
    pub nulls_first: Option<bool>,
}

impl IndexKey {
    /// A plain, ascending column key.
    pub fn column(name: &str) -> IndexKey {
        IndexKey {
            sql: name.to_string(),
            ..IndexKey::default()
        }
    }

    /// An expression key.
    pub fn expr(sql: &str) -> IndexKey {
        IndexKey {
            sql: sql.to_string(),
            expression: true,
            ..IndexKey::default()
        }
    }

    /// Whether nulls sort first, spelled out or by default.
    pub fn nulls_sort_first(&self) -> bool {
        self.nulls_first.unwrap_or(self.descending)
    }
}

impl From<&str> for IndexKey {
    fn from(name: &str) -> IndexKey {
        IndexKey::column(name)
    }
}

impl From<String> for IndexKey {
    fn from(name: String) -> IndexKey {
        IndexKey {
            sql: name,
            ..IndexKey::default()
        }
    }
}

/// Whether a constraint's check can wait until the transaction commits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Deferral {
    /// `NOT DEFERRABLE` (the default): checked after each statement.
    #[default]
    NotDeferrable,
    /// `DEFERRABLE INITIALLY IMMEDIATE`: checked after each statement unless
    /// the transaction says `SET CONSTRAINTS ... DEFERRED`.
    Immediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at commit.
    Deferred,
}

impl Deferral {
    /// From `pg_constraint`'s `condeferrable` and `condeferred`.
    pub fn from_flags(deferrable: bool, deferred: bool) -> Deferral {
        match (deferrable, deferred) {
            (false, _) => Deferral::NotDeferrable,
            (true, false) => Deferral::Immediate,
            (true, true) => Deferral::Deferred,
        }
    }

    /// The clause as `pg_get_constraintdef` writes it, with a leading space,
    /// or nothing.
    pub fn sql(self) -> &'static str {
        match self {
            Deferral::NotDeferrable => "",
            Deferral::Immediate => " DEFERRABLE",
            Deferral::Deferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

/// A unique constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UniqueConstraint {
    /// Constraint name.
    pub name: String,
    /// Columns, in order.
    pub columns: Vec<String>,
    /// `DEFERRABLE` and `INITIALLY DEFERRED` (PostgreSQL).
    pub deferral: Deferral,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
    pub nulls_not_distinct: bool,
    /// `INCLUDE (...)` columns of the constraint's index (PostgreSQL).
    pub include: Vec<String>,
}

/// An exclusion constraint (PostgreSQL): no two rows may match on every
/// element's operator, as in `EXCLUDE USING gist (room WITH =, during WITH &&)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExclusionConstraint {
    /// Constraint name.
    pub name: String,
    /// What follows `EXCLUDE`, without the deferral: `USING gist (room WITH =)`
    /// and any `WHERE (...)`, as `pg_get_constraintdef` writes it.
    pub definition: String,
    /// `DEFERRABLE` and `INITIALLY DEFERRED`.
    pub deferral: Deferral,
}

/// A check constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckConstraint {
    /// Constraint name.
    pub name: String,
    /// The SQL boolean expression.
    pub expr: String,
    /// `NOT VALID`: existing rows were not checked (PostgreSQL).
    pub not_valid: bool,
}

/// What a foreign key does when the referenced row changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FkAction {
    /// `CASCADE`
    Cascade,
    /// `SET NULL`
    SetNull,
    /// `SET DEFAULT`
    SetDefault,
    /// `RESTRICT`
    Restrict,
    /// `NO ACTION` (the default)
    NoAction,
}

impl FkAction {
    /// Parses `cascade`, `set null`/`set_null`, `set default`, `restrict`, `no action`.
    pub fn parse(text: &str) -> Option<FkAction> {
        match text.trim().to_ascii_lowercase().replace('_', " ").as_str() {
            "cascade" => Some(FkAction::Cascade),
            "set null" => Some(FkAction::SetNull),
            "set default" => Some(FkAction::SetDefault),
            "restrict" => Some(FkAction::Restrict),
            "no action" => Some(FkAction::NoAction),
            _ => None,
        }
    }

    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
            FkAction::Restrict => "RESTRICT",
            FkAction::NoAction => "NO ACTION",
        }
    }
}

impl fmt::Display for FkAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sql())
    }
}

/// A foreign key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Local columns.
    pub columns: Vec<String>,
    /// The referenced table's schema.
    pub ref_schema: Option<String>,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: Option<FkAction>,
    /// `ON UPDATE`.
    pub on_update: Option<FkAction>,
    /// `MATCH FULL`: a multi-column key is either all `NULL` or all set
    /// (PostgreSQL; the default is `MATCH SIMPLE`).
    pub match_full: bool,
    /// `DEFERRABLE` and `INITIALLY DEFERRED`.
    pub deferral: Deferral,
    /// `NOT VALID`: existing rows were not checked (PostgreSQL).
    pub not_valid: bool,
}

/// An enum type: `CREATE TYPE ... AS ENUM` on PostgreSQL, `TEXT` + `CHECK` on SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The SQL type name.
    pub name: String,
    /// The values, in declaration order.
    pub variants: Vec<String>,
}

impl Schema {
    /// The table with this (possibly `schema.`-qualified) name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.qualified_name() == name || t.name == name)
    }

    /// The enum type with this name.
    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.iter().find(|e| e.name == name)
    }
}
