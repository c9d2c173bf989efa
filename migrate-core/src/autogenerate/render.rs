//! Rendering operations as SQL for one dialect (Alembic's `autogenerate.render`).
//!
//! The SQL is each dialect's own: [`dialect::postgres`] alters in place, and
//! [`dialect::sqlite`] rebuilds a table where `ALTER TABLE` cannot do the change.
//! What is left here is what every dialect shares: operations may come from a
//! comparison made for several dialects ([`compare_for`](super::compare_for)),
//! so a column change that this dialect would store identically (`i32` to `i64`
//! on SQLite, or a comment) is left out before its renderer sees it.

use super::normalize::column_differs;
pub use crate::dialect::Rendered;
use crate::dialect::{self, Dialect};
use crate::operations::Op;
use crate::schema::Schema;

/// Renders `ops`, which turn `from` into `to`, for `dialect`.
pub fn render(ops: &[Op], from: &Schema, to: &Schema, dialect: Dialect) -> Rendered {
    let visible: Vec<Op> = ops
        .iter()
        .filter(|op| visible(op, from, to, dialect))
        .cloned()
        .collect();
    match dialect {
        Dialect::Postgres => dialect::postgres::render(&visible, from, to),
        Dialect::Sqlite => dialect::sqlite::render(&visible, from, to),
        Dialect::Mysql => dialect::mysql::render(&visible, from, to),
    }
}

/// Whether `dialect` has anything to do for `op`.
fn visible(op: &Op, from: &Schema, to: &Schema, dialect: Dialect) -> bool {
    match op {
        Op::AlterColumn {
            from: before,
            to: after,
            ..
        } => column_differs(before, &from.enums, after, &to.enums, false, dialect),
        _ => true,
    }
}
