//! Schema operations: the steps autogenerate finds between two schemas (Alembic's
//! `operations`). Every operation knows its reverse, so a generated revision gets
//! its downgrade from the same list, reversed.

use std::fmt;

use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, ExclusionConstraint, ForeignKey, Generation,
    Index, Table, UniqueConstraint,
};

/// A table, by (PostgreSQL schema and) name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableRef {
    /// The PostgreSQL schema, if not the default.
    pub schema: Option<String>,
    /// The table name.
    pub name: String,
}

impl TableRef {
    /// The reference to `table`.
    pub fn of(table: &Table) -> TableRef {
        TableRef {
            schema: table.schema.clone(),
            name: table.name.clone(),
        }
    }
}

impl fmt::Display for TableRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A column of an enum type, as recreating the type needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumColumn {
    /// The table.
    pub table: TableRef,
    /// The column.
    pub column: String,
    /// Its default, which must be dropped while the type changes and set again.
    pub default: Option<String>,
}

/// A named table constraint other than the primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// `UNIQUE (...)`
    Unique(UniqueConstraint),
    /// `FOREIGN KEY (...) REFERENCES ...`
    ForeignKey(ForeignKey),
    /// `CHECK (...)`
    Check(CheckConstraint),
    /// An exclusion constraint (PostgreSQL).
    Exclusion(ExclusionConstraint),
}

impl Constraint {
    /// The constraint's name.
    pub fn name(&self) -> &str {
        match self {
            Constraint::Unique(u) => &u.name,
            Constraint::ForeignKey(fk) => &fk.name,
            Constraint::Check(c) => &c.name,
            Constraint::Exclusion(x) => &x.name,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Constraint::Unique(_) => "unique constraint",
            Constraint::ForeignKey(_) => "foreign key",
            Constraint::Check(_) => "check constraint",
            Constraint::Exclusion(_) => "exclusion constraint",
        }
    }
}

/// One change to a schema.
// `AlterColumn` holds two columns with their sequences, several times the other
// variants; a diff holds a few hundred ops at most, so boxing would buy nothing
// but noisier matches.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `CREATE TYPE ... AS ENUM` (PostgreSQL).
    CreateEnum(EnumType),
    /// `DROP TYPE` (PostgreSQL).
    DropEnum(EnumType),
    /// An enum type's values change. Appending renders as `ALTER TYPE ... ADD VALUE`
    /// (outside a transaction); anything else recreates the type and converts the
    /// `columns` that use it.
    AlterEnum {
        /// Before.
        from: EnumType,
        /// After.
        to: EnumType,
        /// The columns of that type, converted when the type is recreated.
        columns: Vec<EnumColumn>,
    },
    /// `CREATE TABLE`, with its indexes and comments.
    CreateTable(Table),
    /// `DROP TABLE`.
    DropTable(Table),
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn {
        /// The table.
        table: TableRef,
        /// The new column.
        column: Column,
    },
    /// `ALTER TABLE ... DROP COLUMN`.
    DropColumn {
        /// The table.
        table: TableRef,
        /// The column as it was.
        column: Column,
    },
    /// A column's type, nullability, default or comment changes.
    AlterColumn {
        /// The table.
        table: TableRef,
        /// Before.
        from: Column,
        /// After.
        to: Column,
    },
    /// The primary key's columns change.
    AlterPrimaryKey {
        /// The table.
        table: TableRef,
        /// Before (empty: none).
        from: Vec<String>,
        /// After (empty: none).
        to: Vec<String>,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// The table.
        table: TableRef,
        /// The index.
        index: Index,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The table.
        table: TableRef,
        /// The index as it was.
        index: Index,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT`.
    AddConstraint {
        /// The table.
        table: TableRef,
        /// The constraint.
        constraint: Constraint,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT`.
    DropConstraint {
        /// The table.
        table: TableRef,
        /// The constraint as it was.
        constraint: Constraint,
    },
    /// A table's comment changes (PostgreSQL).
    SetTableComment {
        /// The table.
        table: TableRef,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
}

impl Op {
    /// The operation that undoes this one.
    pub fn reverse(&self) -> Op {
        match self.clone() {
            Op::CreateEnum(e) => Op::DropEnum(e),
            Op::DropEnum(e) => Op::CreateEnum(e),
            Op::AlterEnum { from, to, columns } => Op::AlterEnum {
                from: to,
                to: from,
                columns,
            },
            Op::CreateTable(t) => Op::DropTable(t),
            Op::DropTable(t) => Op::CreateTable(t),
            Op::AddColumn { table, column } => Op::DropColumn { table, column },
            Op::DropColumn { table, column } => Op::AddColumn { table, column },
            Op::AlterColumn { table, from, to } => Op::AlterColumn {
                table,
                from: to,
                to: from,
            },
            Op::AlterPrimaryKey { table, from, to } => Op::AlterPrimaryKey {
                table,
                from: to,
                to: from,
            },
            Op::CreateIndex { table, index } => Op::DropIndex { table, index },
            Op::DropIndex { table, index } => Op::CreateIndex { table, index },
            Op::AddConstraint { table, constraint } => Op::DropConstraint { table, constraint },
            Op::DropConstraint { table, constraint } => Op::AddConstraint { table, constraint },
            Op::SetTableComment { table, from, to } => Op::SetTableComment {
                table,
                from: to,
                to: from,
            },
        }
    }

    /// The table this operation changes, if it changes one table.
    pub fn table(&self) -> Option<TableRef> {
        match self {
            Op::CreateEnum(_) | Op::DropEnum(_) | Op::AlterEnum { .. } => None,
            Op::CreateTable(t) | Op::DropTable(t) => Some(TableRef::of(t)),
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AlterPrimaryKey { table, .. }
            | Op::CreateIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddConstraint { table, .. }
            | Op::DropConstraint { table, .. }
            | Op::SetTableComment { table, .. } => Some(table.clone()),
        }
    }

    /// A short machine-readable name: `add_column`, `drop_table`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Op::CreateEnum(_) => "create_enum",
            Op::DropEnum(_) => "drop_enum",
            Op::AlterEnum { .. } => "alter_enum",
            Op::CreateTable(_) => "create_table",
            Op::DropTable(_) => "drop_table",
            Op::AddColumn { .. } => "add_column",
            Op::DropColumn { .. } => "drop_column",
            Op::AlterColumn { .. } => "alter_column",
            Op::AlterPrimaryKey { .. } => "alter_primary_key",
            Op::CreateIndex { .. } => "create_index",
            Op::DropIndex { .. } => "drop_index",
            Op::AddConstraint { .. } => "add_constraint",
            Op::DropConstraint { .. } => "drop_constraint",
            Op::SetTableComment { .. } => "set_table_comment",
        }
    }
}

/// One line for humans, as `check` lists it: `add column users.email`.
impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::CreateEnum(e) => {
                write!(f, "create enum type {} ({})", e.name, e.variants.join(", "))
            }
            Op::DropEnum(e) => write!(f, "drop enum type {}", e.name),
            Op::AlterEnum { from, to, .. } => write!(
                f,
                "change enum type {} from ({}) to ({})",
                to.name,
                from.variants.join(", "),
                to.variants.join(", ")
            ),
            Op::CreateTable(t) => write!(f, "create table {}", t.qualified_name()),
            Op::DropTable(t) => write!(f, "drop table {}", t.qualified_name()),
            Op::AddColumn { table, column } => write!(f, "add column {table}.{}", column.name),
            Op::DropColumn { table, column } => write!(f, "drop column {table}.{}", column.name),
            Op::AlterColumn { table, from, to } => {
                write!(f, "alter column {table}.{}:", to.name)?;
                let label = |ty: &ColumnType| match ty {
                    ColumnType::Enum(_) => "enum".to_string(),
                    other => other.to_string(),
                };
                let (before, after) = (label(&from.ty), label(&to.ty));
                if before != after {
                    write!(f, " type {before} -> {after}")?;
                } else if (
                    from.nullable,
                    &from.default,
                    &from.comment,
                    &from.generated,
                    &from.collation,
                ) == (
                    to.nullable,
                    &to.default,
                    &to.comment,
                    &to.generated,
                    &to.collation,
                ) {
                    // Nothing else differs: an enum's values (SQLite's CHECK).
                    write!(f, " allowed values changed")?;
                }
                if from.nullable != to.nullable {
                    let word = |n: bool| if n { "NULL" } else { "NOT NULL" };
                    write!(f, " {} -> {}", word(from.nullable), word(to.nullable))?;
                }
                if from.default != to.default {
                    let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
                    write!(
                        f,
                        " default {} -> {}",
                        show(&from.default),
                        show(&to.default)
                    )?;
                }
                if from.generated != to.generated {
                    let show = |g: &Option<Generation>| {
                        g.as_ref()
                            .map_or_else(|| "none".into(), ToString::to_string)
                    };
                    write!(f, " {} -> {}", show(&from.generated), show(&to.generated))?;
                }
                if from.collation != to.collation {
                    let show = |c: &Option<String>| c.clone().unwrap_or_else(|| "default".into());
                    write!(
                        f,
                        " collation {} -> {}",
                        show(&from.collation),
                        show(&to.collation)
                    )?;
                }
                if from.comment != to.comment {
                    write!(f, " comment changed")?;
                }
                Ok(())
            }
            Op::AlterPrimaryKey { table, from, to } => write!(
                f,
                "change primary key of {table} from ({}) to ({})",
                from.join(", "),
                to.join(", ")
            ),
            Op::CreateIndex { table, index } => write!(
                f,
                "create {}index {} on {table} ({})",
                if index.unique { "unique " } else { "" },
                index.name,
                index
                    .columns
                    .iter()
                    .map(|k| k.sql.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Op::DropIndex { table, index } => write!(f, "drop index {} on {table}", index.name),
            Op::AddConstraint { table, constraint } => {
                write!(
                    f,
                    "add {} {} on {table}",
                    constraint.kind(),
                    constraint.name()
                )
            }
            Op::DropConstraint { table, constraint } => {
                write!(
                    f,
                    "drop {} {} on {table}",
                    constraint.kind(),
                    constraint.name()
                )
            }
            Op::SetTableComment { table, .. } => write!(f, "change the comment of table {table}"),
        }
    }
}
