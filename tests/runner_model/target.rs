//! The databases a case runs on: one SQLite file, one PostgreSQL schema and
//! one MariaDB database, each with the connection the library path holds.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use mysql::prelude::Queryable;

use crate::common;
use crate::drive::*;
use crate::graph::*;
use crate::model::*;

/// One backend of one case: the URL the binary and `psql`/`sqlite3`/`mysql` use, the
/// connection the library path migrates over, and the migrations directory.
pub(crate) struct Target {
    pub(crate) dialect: Dialect,
    pub(crate) url: String,
    pub(crate) dir: PathBuf,
    pub(crate) sqlite_path: Option<PathBuf>,
    pub(crate) conn: Conn,
}

pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres {
        held: Box<postgres::Client>,
        check: Box<postgres::Client>,
        schema: String,
    },
    Mysql {
        held: Box<mysql::Conn>,
        check: Box<mysql::Conn>,
        /// Dropped with the case.
        db: common::MysqlTestDb,
    },
}

/// The table DML sections write to, in every case's database from the start.
const DATA_ROWS: &str = "CREATE TABLE data_rows (rev VARCHAR(16) PRIMARY KEY)";

impl Target {
    pub(crate) fn sqlite(root: &Path, graph: &Graph) -> Target {
        let path = root.join("db.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        // The runner turns foreign keys off for its transactions; the held
        // connection must get its setting back.
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        conn.execute_batch(DATA_ROWS).unwrap();
        let dir = root.join("sqlite");
        write_files(&dir, graph, Dialect::Sqlite);
        Target {
            dialect: Dialect::Sqlite,
            url: format!("sqlite://{}", path.display()),
            dir,
            sqlite_path: Some(path),
            conn: Conn::Sqlite(conn),
        }
    }

    pub(crate) fn postgres(db: &common::TestDb, root: &Path, graph: &Graph) -> Target {
        static CASE: AtomicU32 = AtomicU32::new(0);
        let schema = format!("case{}", CASE.fetch_add(1, Ordering::Relaxed));
        let mut check = db.connect();
        // A transaction left open must fail the case, not hang it.
        check.batch_execute("SET lock_timeout = '10s'").unwrap();
        check
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let sep = if db.url.contains('?') { '&' } else { '?' };
        let url = format!("{}{sep}options=-csearch_path%3D{schema}", db.url);
        let mut held = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        held.batch_execute(DATA_ROWS).unwrap();
        let dir = root.join("postgres");
        write_files(&dir, graph, Dialect::Postgres);
        Target {
            dialect: Dialect::Postgres,
            url,
            dir,
            sqlite_path: None,
            conn: Conn::Postgres {
                held: Box::new(held),
                check: Box::new(check),
                schema,
            },
        }
    }

    /// A fresh database of its own (MySQL's schemas are databases, and creating
    /// one is cheap there).
    pub(crate) fn mysql(db: common::MysqlTestDb, root: &Path, graph: &Graph) -> Target {
        let mut check = db.connect();
        // A transaction left open must fail the case, not hang it.
        check
            .query_drop("SET SESSION lock_wait_timeout = 10, innodb_lock_wait_timeout = 10")
            .unwrap();
        check.query_drop(DATA_ROWS).unwrap();
        let held = db.connect();
        let dir = root.join("mysql");
        write_files(&dir, graph, Dialect::Mysql);
        Target {
            dialect: Dialect::Mysql,
            url: db.url.clone(),
            dir,
            sqlite_path: None,
            conn: Conn::Mysql {
                held: Box::new(held),
                check: Box::new(check),
                db,
            },
        }
    }

    pub(crate) fn query(&mut self, sql: &str) -> Vec<String> {
        match &mut self.conn {
            Conn::Sqlite(_) => {
                // A connection of its own: the held one may (wrongly) sit in a
                // transaction and see its own uncommitted work.
                let conn = rusqlite::Connection::open(self.sqlite_path.as_ref().unwrap()).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
                rows.map(Result::unwrap).collect()
            }
            Conn::Postgres { check, schema, .. } => {
                let sql = sql.replace("$SCHEMA", schema);
                check
                    .query(&sql, &[])
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect()
            }
            Conn::Mysql { check, .. } => check.query(sql).unwrap(),
        }
    }

    /// The committed state: ledger rows and marker tables.
    pub(crate) fn observe(&mut self, graph: &Graph) -> Result<State, String> {
        let tables = match self.dialect {
            Dialect::Sqlite => self.query("SELECT name FROM sqlite_master WHERE type = 'table'"),
            Dialect::Postgres => self.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = '$SCHEMA'",
            ),
            Dialect::Mysql => self.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
            ),
        };
        let node = |id: &str| graph.revs.iter().position(|r| r.id == id);
        let mut state = State::default();
        for t in &tables {
            if let Some(id) = t.strip_prefix("m_") {
                state
                    .markers
                    .insert(node(id).ok_or(format!("stray table {t}"))?);
            }
        }
        let rows = match self.dialect {
            Dialect::Sqlite | Dialect::Mysql => "SELECT rev FROM data_rows",
            Dialect::Postgres => "SELECT rev::text FROM $SCHEMA.data_rows",
        };
        for id in self.query(rows) {
            let n = node(&id).ok_or(format!("a row for unknown {id}"))?;
            if !state.rows.insert(n) {
                return Err(format!("data_rows lists {id} twice"));
            }
        }
        if tables.iter().any(|t| t == "migrate_version") {
            let sql = match self.dialect {
                Dialect::Sqlite | Dialect::Mysql => "SELECT revision FROM migrate_version",
                Dialect::Postgres => "SELECT revision::text FROM $SCHEMA.migrate_version",
            };
            for id in self.query(sql) {
                let n = node(&id).ok_or(format!("ledger row for unknown {id}"))?;
                if !state.ledger.insert(n) {
                    return Err(format!("the ledger lists {id} twice"));
                }
            }
        }
        Ok(state)
    }

    /// The held connection is as it was lent, and nobody holds the lock.
    pub(crate) fn check_connection(&mut self) -> Result<(), String> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                if !conn.is_autocommit() {
                    return Err("the held SQLite connection has a transaction open".into());
                }
                let fk: i64 = conn
                    .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                    .unwrap();
                if fk != 1 {
                    return Err("the held SQLite connection's foreign_keys is OFF".into());
                }
                let lock = PathBuf::from(format!(
                    "{}.migrate-lock",
                    self.sqlite_path.as_ref().unwrap().display()
                ));
                if let Ok(file) = std::fs::OpenOptions::new().write(true).open(&lock) {
                    // A child process the PostgreSQL thread is spawning holds a
                    // copy of every descriptor until it execs, so a lock may show
                    // as held for a moment; a leaked one stays held.
                    let free = (0..50).any(|_| {
                        let free = file.try_lock().is_ok();
                        if !free {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                        free
                    });
                    if !free {
                        return Err("the migration lock is still held".into());
                    }
                }
                Ok(())
            }
            Conn::Postgres { check, .. } => {
                // A client that exited (the binary, psql) leaves its server
                // process for a moment; the held connection stays.
                let count = |check: &mut postgres::Client, sql: &str| -> i64 {
                    check.query_one(sql, &[]).unwrap().get(0)
                };
                let problems = [
                    (
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                         AND state LIKE 'idle in transaction%'",
                        "a connection sits idle in a transaction",
                    ),
                    (
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = \
                         (SELECT oid FROM pg_database WHERE datname = current_database())",
                        "an advisory lock is still held",
                    ),
                ];
                for (sql, problem) in problems {
                    let settled = (0..50).any(|_| {
                        let zero = count(check, sql) == 0;
                        if !zero {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                        zero
                    });
                    if !settled {
                        return Err(problem.into());
                    }
                }
                Ok(())
            }
            Conn::Mysql { held, check, .. } => {
                let (autocommit, in_transaction): (i64, i64) = held
                    .query_first("SELECT @@autocommit, @@in_transaction")
                    .unwrap()
                    .unwrap();
                if (autocommit, in_transaction) != (1, 0) {
                    return Err(format!(
                        "the held MySQL connection has autocommit {autocommit} and in_transaction {in_transaction}"
                    ));
                }
                // As for PostgreSQL: a client that exited may leave its session
                // for a moment.
                let problems = [
                    (
                        "SELECT COUNT(*) FROM information_schema.innodb_trx t \
                         JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id \
                         WHERE p.db = DATABASE() AND p.id <> CONNECTION_ID()",
                        "a connection sits in a transaction",
                    ),
                    (
                        // The name the runner's `GET_LOCK` takes for this ledger.
                        "SELECT COUNT(IS_USED_LOCK(CONCAT('migrate:', \
                         LEFT(SHA2(CONCAT(DATABASE(), '.', 'migrate_version'), 256), 40))))",
                        "the migration lock is still held",
                    ),
                ];
                for (sql, problem) in problems {
                    let settled = (0..50).any(|_| {
                        let count: i64 = check.query_first(sql).unwrap().unwrap();
                        if count != 0 {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                        count == 0
                    });
                    if !settled {
                        return Err(problem.into());
                    }
                }
                Ok(())
            }
        }
    }
}
