//! The schema as the linter knows it at a point of the history: which tables
//! exist, their columns and types, and the `CHECK (col IS NOT NULL)`
//! constraints that prove a column has no nulls. `mod.rs` carries one of these
//! along each path of the graph; [`ops`] reads what a statement changes, and
//! [`Known::apply_op`] moves the schema past each change.
//!
//! It is an approximation built from the SQL alone: a table made by a statement
//! the parser cannot read is unknown, and the rules treat unknown tables as
//! existing (they were not created by the revision at hand).

use rustc_hash::{FxHashMap, FxHashSet};
use sqlparser::ast::{
    AlterTableOperation, ColumnOption, DataType, Expr, ObjectType, RenameTableNameKind, Statement,
    TableConstraint,
};

use super::parse::{ident, object_name};

/// One table's columns; a `None` type is one the SQL did not show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column name to type.
    pub columns: FxHashMap<String, Option<DataType>>,
    /// Columns a validated `CHECK (col IS NOT NULL)` covers: `SET NOT NULL` on
    /// them skips the table scan.
    pub proven_not_null: FxHashSet<String>,
}

/// The schema at one point of the history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// Table name (folded, see `parse::object_name`) to table.
    pub tables: FxHashMap<String, Table>,
    /// Constraint name to `(table, column)` for `CHECK (column IS NOT NULL)`
    /// constraints, so `VALIDATE CONSTRAINT` can mark the column proven.
    pub not_null_checks: FxHashMap<String, (String, String)>,
}

/// One change a statement makes to the tracked schema. A statement's effect
/// is read into these once (`ops`), without looking at the schema, and then
/// applied (`Known::apply_op`): the lint cache keeps each revision's ops, so a
/// later run rebuilds the schema at any revision without parsing its SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `CREATE TABLE`; with `IF NOT EXISTS`, nothing when the table is known.
    CreateTable {
        /// The table.
        name: String,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// Columns and their types, in order (a repeated name: the last wins).
        columns: Vec<(String, DataType)>,
    },
    /// `DROP TABLE`, one per name.
    DropTable(String),
    /// `RENAME TABLE a TO b` (MySQL): only a table lint knows moves.
    MoveKnownTable {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `ALTER TABLE a RENAME TO b`: the table moves, known or not.
    RenameTable {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `ADD COLUMN`.
    AddColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Its type.
        data_type: DataType,
        /// Declared `NOT NULL`.
        not_null: bool,
    },
    /// `DROP COLUMN a, b`.
    DropColumns {
        /// The table.
        table: String,
        /// The columns.
        columns: Vec<String>,
    },
    /// `RENAME COLUMN a TO b`.
    RenameColumn {
        /// The table.
        table: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `ALTER COLUMN c TYPE t`.
    SetType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The new type.
        data_type: DataType,
    },
    /// `ALTER COLUMN c SET NOT NULL`.
    SetNotNull {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// `ADD CONSTRAINT name CHECK (column IS NOT NULL)`.
    NotNullCheck {
        /// The constraint.
        constraint: String,
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// `VALIDATE CONSTRAINT name`.
    Validate(String),
}

/// What `statement` does to the tracked schema, in order; empty for a
/// statement that leaves it alone.
pub fn ops(statement: &Statement) -> Vec<Op> {
    let mut out = Vec::new();
    match statement {
        Statement::CreateTable(create) => out.push(Op::CreateTable {
            name: object_name(&create.name),
            if_not_exists: create.if_not_exists,
            columns: create
                .columns
                .iter()
                .map(|c| (ident(&c.name), c.data_type.clone()))
                .collect(),
        }),
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => out.extend(names.iter().map(|n| Op::DropTable(object_name(n)))),
        Statement::AlterTable(alter) => {
            let mut name = object_name(&alter.name);
            for op in &alter.operations {
                name = alter_ops(name, op, &mut out);
            }
        }
        Statement::RenameTable(renames) => out.extend(renames.iter().map(|r| Op::MoveKnownTable {
            from: object_name(&r.old_name),
            to: object_name(&r.new_name),
        })),
        _ => {}
    }
    out
}

/// One `ALTER TABLE` operation's ops; returns the table's name after it.
fn alter_ops(table: String, op: &AlterTableOperation, out: &mut Vec<Op>) -> String {
    match op {
        AlterTableOperation::AddColumn { column_def, .. } => out.push(Op::AddColumn {
            table: table.clone(),
            column: ident(&column_def.name),
            data_type: column_def.data_type.clone(),
            not_null: column_def
                .options
                .iter()
                .any(|o| matches!(o.option, ColumnOption::NotNull)),
        }),
        AlterTableOperation::DropColumn { column_names, .. } => out.push(Op::DropColumns {
            table: table.clone(),
            columns: column_names.iter().map(ident).collect(),
        }),
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => out.push(Op::RenameColumn {
            table: table.clone(),
            from: ident(old_column_name),
            to: ident(new_column_name),
        }),
        AlterTableOperation::RenameTable { table_name } => {
            let new = match table_name {
                RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => object_name(n),
            };
            out.push(Op::RenameTable {
                from: table,
                to: new.clone(),
            });
            return new;
        }
        // MySQL's column redefinitions carry the whole new type.
        AlterTableOperation::ModifyColumn {
            col_name,
            data_type,
            ..
        } => out.push(Op::SetType {
            table: table.clone(),
            column: ident(col_name),
            data_type: data_type.clone(),
        }),
        AlterTableOperation::ChangeColumn {
            old_name,
            new_name,
            data_type,
            ..
        } => {
            // The old column goes, the new name gets the new type.
            out.push(Op::RenameColumn {
                table: table.clone(),
                from: ident(old_name),
                to: ident(new_name),
            });
            out.push(Op::SetType {
                table: table.clone(),
                column: ident(new_name),
                data_type: data_type.clone(),
            });
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            use sqlparser::ast::AlterColumnOperation as Alter;
            match op {
                Alter::SetDataType { data_type, .. } => out.push(Op::SetType {
                    table: table.clone(),
                    column: ident(column_name),
                    data_type: data_type.clone(),
                }),
                Alter::SetNotNull => out.push(Op::SetNotNull {
                    table: table.clone(),
                    column: ident(column_name),
                }),
                _ => {}
            }
        }
        AlterTableOperation::AddConstraint {
            constraint: TableConstraint::Check(check),
            ..
        } => {
            if let (Some(name), Expr::IsNotNull(inner)) = (&check.name, check.expr.as_ref()) {
                if let Expr::Identifier(column) = inner.as_ref() {
                    out.push(Op::NotNullCheck {
                        constraint: ident(name),
                        table: table.clone(),
                        column: ident(column),
                    });
                }
            }
        }
        AlterTableOperation::ValidateConstraint { name } => out.push(Op::Validate(ident(name))),
        _ => {}
    }
    table
}

impl Known {
    /// Joins a second history into this one (a merge, or a dependency): what
    /// either side made exists.
    pub fn merge(&mut self, other: &Known) {
        for (name, table) in &other.tables {
            self.tables
                .entry(name.clone())
                .or_insert_with(|| table.clone());
        }
        for (name, check) in &other.not_null_checks {
            self.not_null_checks
                .entry(name.clone())
                .or_insert_with(|| check.clone());
        }
    }

    /// The type of `table.column`, when both are known.
    pub fn column_type(&self, table: &str, column: &str) -> Option<&DataType> {
        self.tables.get(table)?.columns.get(column)?.as_ref()
    }

    /// Moves the schema past one op. Returns the table it created, if any.
    pub fn apply_op(&mut self, op: &Op) -> Option<String> {
        fn entry<'k>(known: &'k mut Known, table: &str) -> &'k mut Table {
            if !known.tables.contains_key(table) {
                known.tables.insert(table.to_string(), Table::default());
            }
            known.tables.get_mut(table).expect("inserted above")
        }
        match op {
            Op::CreateTable {
                name,
                if_not_exists,
                columns,
            } => {
                if *if_not_exists && self.tables.contains_key(name) {
                    return None;
                }
                let columns = columns
                    .iter()
                    .map(|(c, t)| (c.clone(), Some(t.clone())))
                    .collect();
                self.tables.insert(
                    name.clone(),
                    Table {
                        columns,
                        ..Table::default()
                    },
                );
                return Some(name.clone());
            }
            Op::DropTable(name) => {
                self.tables.remove(name);
            }
            Op::MoveKnownTable { from, to } => {
                if let Some(t) = self.tables.remove(from) {
                    self.tables.insert(to.clone(), t);
                }
            }
            Op::RenameTable { from, to } => {
                let t = self.tables.remove(from).unwrap_or_default();
                self.tables.insert(to.clone(), t);
            }
            Op::AddColumn {
                table,
                column,
                data_type,
                not_null,
            } => {
                let t = entry(self, table);
                t.columns.insert(column.clone(), Some(data_type.clone()));
                if *not_null {
                    t.proven_not_null.insert(column.clone());
                }
            }
            Op::DropColumns { table, columns } => {
                let t = entry(self, table);
                for c in columns {
                    t.columns.remove(c);
                }
            }
            Op::RenameColumn { table, from, to } => {
                let t = entry(self, table);
                let ty = t.columns.remove(from).flatten();
                t.columns.insert(to.clone(), ty);
            }
            Op::SetType {
                table,
                column,
                data_type,
            } => {
                entry(self, table)
                    .columns
                    .insert(column.clone(), Some(data_type.clone()));
            }
            Op::SetNotNull { table, column } => {
                entry(self, table).proven_not_null.insert(column.clone());
            }
            Op::NotNullCheck {
                constraint,
                table,
                column,
            } => {
                self.not_null_checks
                    .insert(constraint.clone(), (table.clone(), column.clone()));
            }
            Op::Validate(name) => {
                if let Some((t, column)) = self.not_null_checks.get(name).cloned() {
                    self.tables
                        .entry(t)
                        .or_default()
                        .proven_not_null
                        .insert(column);
                }
            }
        }
        None
    }
}
