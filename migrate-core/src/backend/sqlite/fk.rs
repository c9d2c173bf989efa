//! The foreign-key check before a SQLite migration transaction commits, at a cost
//! that follows what the migration touched rather than the size of the database.
//!
//! Migrations run with `foreign_keys` off (SQLite's own procedure for schema
//! changes), so a table rebuild (new table, copy, drop, rename) neither cascades nor
//! fails half-way. What the transaction left dangling is found before COMMIT:
//! - an authorizer callback, which SQLite calls while it prepares each statement
//!   (trigger bodies included), names every table the transaction writes, creates,
//!   drops, alters, or drops an index of;
//! - the table names at BEGIN, compared with those at COMMIT, add the tables a
//!   rename created (the authorizer sees only a rename's old name);
//! - `PRAGMA foreign_key_check` then reads each of those tables that still exists
//!   (all its references), and each table with a foreign key to one of them (only
//!   the rows pointing at that one).
//!
//! Other tables are never read. A violation already in the database, in a table
//! the migration does not touch, therefore does not block it: the migration did not
//! make it, and SQLite, which only enforces foreign keys on writes, lets it stay.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::Connection;
use rustc_hash::FxHashSet;

/// A table in one of the connection's databases (`main`, `temp`, an attached one),
/// both names ASCII-lowercased, since SQLite compares names that way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct TableKey {
    schema: String,
    table: String,
}

impl TableKey {
    fn new(schema: &str, table: &str) -> TableKey {
        TableKey {
            schema: schema.to_ascii_lowercase(),
            table: table.to_ascii_lowercase(),
        }
    }
}

/// A row whose foreign key points at no row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Violation {
    /// The referencing table.
    pub table: String,
    /// The row's rowid; `None` in a `WITHOUT ROWID` table.
    pub rowid: Option<i64>,
    /// The table it references.
    pub parent: String,
}

/// One migration transaction under watch, from just after `BEGIN` to just before
/// `COMMIT`.
pub(super) struct Watch {
    touched: Arc<Mutex<FxHashSet<TableKey>>>,
    tables_before: FxHashSet<TableKey>,
}

impl Watch {
    /// Notes the tables that exist and installs the authorizer. SQLite has one
    /// authorizer per connection, so this replaces any the application had set.
    pub(super) fn start(conn: &Connection) -> rusqlite::Result<Watch> {
        let tables_before = tables(conn)?.into_keys().collect();
        let touched = Arc::new(Mutex::new(FxHashSet::default()));
        let sink = Arc::clone(&touched);
        conn.authorizer(Some(move |context: AuthContext<'_>| {
            if let Some(key) = written_table(&context) {
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key);
            }
            Authorization::Allow
        }));
        Ok(Watch {
            touched,
            tables_before,
        })
    }

    /// Removes the authorizer (a no-op when none is set).
    pub(super) fn stop(conn: &Connection) {
        conn.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
    }

    /// Stops watching, then returns the first row, in a table the transaction
    /// touched or one referencing such a table, whose foreign key dangles.
    pub(super) fn check(self, conn: &Connection) -> rusqlite::Result<Option<Violation>> {
        Watch::stop(conn);
        let mut touched =
            std::mem::take(&mut *self.touched.lock().unwrap_or_else(PoisonError::into_inner));
        let tables_after = tables(conn)?;
        touched.extend(
            tables_after
                .keys()
                .filter(|key| !self.tables_before.contains(key))
                .cloned(),
        );
        let schemas: BTreeSet<&str> = touched.iter().map(|key| key.schema.as_str()).collect();
        for schema in schemas {
            // Sorted, so the same migration always reports the same row.
            let whole: BTreeSet<&str> = tables_after
                .iter()
                .filter(|(key, _)| key.schema == schema && touched.contains(*key))
                .map(|(_, name)| name.as_str())
                .collect();
            for table in &whole {
                if let Some(violation) = first_violation(conn, schema, table, |_| true)? {
                    return Ok(Some(violation));
                }
            }
            for (child, parents) in referrers(conn, schema, &touched)? {
                if whole.contains(child.as_str()) {
                    continue;
                }
                let points_at_touched =
                    |parent: &str| parents.contains(&parent.to_ascii_lowercase());
                if let Some(violation) = first_violation(conn, schema, &child, points_at_touched)? {
                    return Ok(Some(violation));
                }
            }
        }
        Ok(None)
    }
}

/// The first dangling reference anywhere in the database (every table read).
pub(super) fn whole_database(conn: &Connection) -> rusqlite::Result<Option<Violation>> {
    let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = statement.query([])?;
    match rows.next()? {
        Some(row) => Ok(Some(Violation {
            table: row.get(0)?,
            rowid: row.get(1)?,
            parent: row.get(2)?,
        })),
        None => Ok(None),
    }
}

/// The table a statement writes to, from one authorizer call. Reads, views,
/// triggers and new indexes cannot leave a reference dangling; a dropped index
/// can (the parent key loses its unique index, which SQLite reports as a
/// "foreign key mismatch").
fn written_table(context: &AuthContext<'_>) -> Option<TableKey> {
    let schema = context.database_name.unwrap_or("main");
    let (schema, table) = match context.action {
        AuthAction::Insert { table_name }
        | AuthAction::Delete { table_name }
        | AuthAction::Update { table_name, .. }
        | AuthAction::CreateTable { table_name }
        | AuthAction::CreateTempTable { table_name }
        | AuthAction::DropTable { table_name }
        | AuthAction::DropTempTable { table_name }
        | AuthAction::DropIndex { table_name, .. }
        | AuthAction::DropTempIndex { table_name, .. } => (schema, table_name),
        AuthAction::AlterTable {
            database_name,
            table_name,
        } => (database_name, table_name),
        _ => return None,
    };
    // SQLite's own tables (the schema table, sqlite_sequence, statistics) have no
    // foreign keys and are written by ordinary DDL.
    if table.len() >= 7 && table[..7].eq_ignore_ascii_case("sqlite_") {
        return None;
    }
    Some(TableKey::new(schema, table))
}

/// Every ordinary table of every attached database: key to the name as declared.
fn tables(conn: &Connection) -> rusqlite::Result<BTreeMap<TableKey, String>> {
    let mut schemas = conn.prepare("SELECT name FROM pragma_database_list")?;
    let schemas = schemas
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut tables = BTreeMap::new();
    for schema in schemas {
        let mut statement = conn.prepare(&format!(
            "SELECT name FROM {}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            quote(&schema)
        ))?;
        let names = statement.query_map([], |row| row.get::<_, String>(0))?;
        for name in names {
            let name = name?;
            tables.insert(TableKey::new(&schema, &name), name);
        }
    }
    Ok(tables)
}

/// The tables of `schema` with a foreign key to a touched table: name to the
/// touched tables (lowercased) they reference.
fn referrers(
    conn: &Connection,
    schema: &str,
    touched: &FxHashSet<TableKey>,
) -> rusqlite::Result<BTreeMap<String, FxHashSet<String>>> {
    let mut statement = conn.prepare(&format!(
        "SELECT m.name, f.\"table\" FROM {}.sqlite_master AS m, pragma_foreign_key_list(m.name, ?1) AS f \
         WHERE m.type = 'table'",
        quote(schema)
    ))?;
    let mut rows = statement.query([schema])?;
    let mut referrers: BTreeMap<String, FxHashSet<String>> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let parent = TableKey::new(schema, &row.get::<_, String>(1)?);
        if touched.contains(&parent) {
            referrers
                .entry(row.get(0)?)
                .or_default()
                .insert(parent.table);
        }
    }
    Ok(referrers)
}

/// The first row `PRAGMA foreign_key_check` reports for `table` whose parent
/// `keep` accepts.
fn first_violation(
    conn: &Connection,
    schema: &str,
    table: &str,
    keep: impl Fn(&str) -> bool,
) -> rusqlite::Result<Option<Violation>> {
    let mut statement = conn.prepare(&format!(
        "PRAGMA {}.foreign_key_check({})",
        quote(schema),
        quote(table)
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let parent: String = row.get(2)?;
        if keep(&parent) {
            return Ok(Some(Violation {
                table: row.get(0)?,
                rowid: row.get(1)?,
                parent,
            }));
        }
    }
    Ok(None)
}

fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}
