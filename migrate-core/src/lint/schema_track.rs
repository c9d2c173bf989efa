//! The schema as the linter knows it at a point of the history: which tables
//! exist, their columns and types, and the `CHECK (col IS NOT NULL)`
//! constraints that prove a column has no nulls. `mod.rs` carries one of these
//! along each path of the graph; [`Known::apply`] moves it past one statement.
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
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column name to type.
    pub columns: FxHashMap<String, Option<DataType>>,
    /// Columns a validated `CHECK (col IS NOT NULL)` covers: `SET NOT NULL` on
    /// them skips the table scan.
    pub proven_not_null: FxHashSet<String>,
}

/// The schema at one point of the history.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Table name (folded, see `parse::object_name`) to table.
    pub tables: FxHashMap<String, Table>,
    /// Constraint name to `(table, column)` for `CHECK (column IS NOT NULL)`
    /// constraints, so `VALIDATE CONSTRAINT` can mark the column proven.
    pub not_null_checks: FxHashMap<String, (String, String)>,
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

    /// Moves the schema past one statement. Returns the tables the statement
    /// created.
    pub fn apply(&mut self, statement: &Statement) -> Vec<String> {
        match statement {
            Statement::CreateTable(create) => {
                let name = object_name(&create.name);
                if create.if_not_exists && self.tables.contains_key(&name) {
                    return Vec::new();
                }
                let columns = create
                    .columns
                    .iter()
                    .map(|c| (ident(&c.name), Some(c.data_type.clone())))
                    .collect();
                self.tables.insert(
                    name.clone(),
                    Table {
                        columns,
                        ..Table::default()
                    },
                );
                return vec![name];
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for name in names {
                    self.tables.remove(&object_name(name));
                }
            }
            Statement::AlterTable(alter) => {
                let mut name = object_name(&alter.name);
                for op in &alter.operations {
                    name = self.alter(name, op);
                }
            }
            Statement::RenameTable(renames) => {
                for r in renames {
                    if let Some(t) = self.tables.remove(&object_name(&r.old_name)) {
                        self.tables.insert(object_name(&r.new_name), t);
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// One `ALTER TABLE` operation; returns the table's name after it.
    fn alter(&mut self, table: String, op: &AlterTableOperation) -> String {
        fn entry<'k>(known: &'k mut Known, table: &str) -> &'k mut Table {
            known.tables.entry(table.to_string()).or_default()
        }
        match op {
            AlterTableOperation::AddColumn { column_def, .. } => {
                entry(self, &table)
                    .columns
                    .insert(ident(&column_def.name), Some(column_def.data_type.clone()));
                if column_def
                    .options
                    .iter()
                    .any(|o| matches!(o.option, ColumnOption::NotNull))
                {
                    entry(self, &table)
                        .proven_not_null
                        .insert(ident(&column_def.name));
                }
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                let t = entry(self, &table);
                for c in column_names {
                    t.columns.remove(&ident(c));
                }
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let t = entry(self, &table);
                let ty = t.columns.remove(&ident(old_column_name)).flatten();
                t.columns.insert(ident(new_column_name), ty);
            }
            AlterTableOperation::RenameTable { table_name } => {
                let new = match table_name {
                    RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => object_name(n),
                };
                let t = self.tables.remove(&table).unwrap_or_default();
                self.tables.insert(new.clone(), t);
                return new;
            }
            // MySQL's column redefinitions carry the whole new type.
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                ..
            } => {
                entry(self, &table)
                    .columns
                    .insert(ident(col_name), Some(data_type.clone()));
            }
            AlterTableOperation::ChangeColumn {
                old_name,
                new_name,
                data_type,
                ..
            } => {
                let t = entry(self, &table);
                t.columns.remove(&ident(old_name));
                t.columns.insert(ident(new_name), Some(data_type.clone()));
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                use sqlparser::ast::AlterColumnOperation as Op;
                match op {
                    Op::SetDataType { data_type, .. } => {
                        entry(self, &table)
                            .columns
                            .insert(ident(column_name), Some(data_type.clone()));
                    }
                    Op::SetNotNull => {
                        entry(self, &table)
                            .proven_not_null
                            .insert(ident(column_name));
                    }
                    _ => {}
                }
            }
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::Check(check),
                ..
            } => {
                if let (Some(name), Expr::IsNotNull(inner)) = (&check.name, check.expr.as_ref()) {
                    if let Expr::Identifier(column) = inner.as_ref() {
                        self.not_null_checks
                            .insert(ident(name), (table.clone(), ident(column)));
                    }
                }
            }
            AlterTableOperation::ValidateConstraint { name } => {
                if let Some((t, column)) = self.not_null_checks.get(&ident(name)).cloned() {
                    self.tables
                        .entry(t)
                        .or_default()
                        .proven_not_null
                        .insert(column);
                }
            }
            _ => {}
        }
        table
    }
}
