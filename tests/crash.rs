//! `kill -9` of the real `migrate` binary at random moments of a long upgrade, on
//! a SQLite file and on PostgreSQL, with one transaction for the whole run and
//! with `--transaction-per-migration`, and on MariaDB, where DDL commits
//! statement by statement.
//!
//! Every revision's up creates a marker table (and fills it, so the run lasts).
//! After each kill the ledger must list exactly the revisions whose marker exists
//! (all or nothing in one-transaction mode, a prefix of the chain per
//! migration), and a rerun must finish with every revision applied once. On
//! MariaDB the ledger must never list a revision whose marker is missing, and at
//! most the one revision after the ledger's last may have its marker without
//! being listed (killed halfway; its statements are written to be rerun).
//!
//! The kill moments are uniform over the length of a full run, measured first.
//! The seed is printed and `MIGRATE_CRASH_SEED` replays a run.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::migrate_cmd;

/// Revisions in the chain.
const REVISIONS: usize = 16;
/// Kills that must land while the binary is running, per backend and mode.
const KILLS: usize = 20;

fn id(i: usize) -> String {
    format!("r{i:02}")
}

/// A linear chain whose every up creates and fills `m_<id>`. `fill` is the
/// dialect's SQL that inserts rows into `{t}`.
fn write_chain(dir: &Path, fill: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 1..=REVISIONS {
        let down = if i == 1 {
            "none".to_string()
        } else {
            id(i - 1)
        };
        let t = format!("m_{}", id(i));
        let text = format!(
            "-- revision: {}\n-- down_revision: {down}\n\n-- migrate:up\n\
             CREATE TABLE {t} (id INTEGER PRIMARY KEY, v TEXT);\n{}\nCREATE INDEX ix_{t} ON {t} (v);\n\n\
             -- migrate:down\nDROP TABLE {t};\n",
            id(i),
            fill.replace("{t}", &t)
        );
        std::fs::write(dir.join(format!("{}.sql", id(i))), text).unwrap();
    }
}

/// The database side: what the ledger lists and which markers exist, read in
/// one snapshot, and a way back to an empty database.
trait Database {
    fn url(&self) -> &str;
    /// Waits until the killed process's effects are settled (PostgreSQL: its
    /// session is gone, so its transaction is rolled back or committed).
    fn settle(&mut self);
    /// (ledger, markers), both as revision ids.
    fn state(&mut self) -> (BTreeSet<String>, BTreeSet<String>);
    fn reset(&mut self);
    /// DDL commits statement by statement (MySQL): a killed revision may leave
    /// its marker behind, unrecorded.
    fn commits_ddl_implicitly(&self) -> bool {
        false
    }
}

struct Sqlite {
    path: PathBuf,
    url: String,
}

impl Database for Sqlite {
    fn url(&self) -> &str {
        &self.url
    }

    fn settle(&mut self) {
        // The OS drops a dead process's file locks; the next connection rolls a
        // hot journal back.
    }

    fn state(&mut self) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.busy_timeout(Duration::from_secs(30)).unwrap();
        let tx = conn.transaction().unwrap();
        let has_ledger: bool = tx
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'migrate_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let strings = |sql: &str| -> BTreeSet<String> {
            let mut stmt = tx.prepare(sql).unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        let ledger = if has_ledger {
            strings("SELECT revision FROM migrate_version")
        } else {
            BTreeSet::new()
        };
        let markers = strings(
            "SELECT substr(name, 3) FROM sqlite_master WHERE type = 'table' AND name LIKE 'm\\_%' ESCAPE '\\'",
        );
        drop(tx);
        (ledger, markers)
    }

    fn reset(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

struct Postgres {
    db: common::TestDb,
    client: postgres::Client,
}

impl Database for Postgres {
    fn url(&self) -> &str {
        &self.db.url
    }

    fn settle(&mut self) {
        let started = Instant::now();
        loop {
            let others: i64 = self
                .client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap()
                .get(0);
            if others == 0 {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the killed client's session never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn state(&mut self) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()
            .unwrap();
        let strings = |tx: &mut postgres::Transaction<'_>, sql: &str| -> BTreeSet<String> {
            tx.query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect()
        };
        let has_ledger: bool = tx
            .query_one(
                "SELECT to_regclass('public.migrate_version') IS NOT NULL",
                &[],
            )
            .unwrap()
            .get(0);
        let ledger = if has_ledger {
            strings(&mut tx, "SELECT revision::text FROM migrate_version")
        } else {
            BTreeSet::new()
        };
        let markers = strings(
            &mut tx,
            "SELECT substr(tablename::text, 3) FROM pg_tables \
             WHERE schemaname = 'public' AND tablename LIKE 'm\\_%'",
        );
        tx.commit().unwrap();
        (ledger, markers)
    }

    fn reset(&mut self) {
        self.client
            .batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            .unwrap();
    }
}

struct Mariadb {
    db: common::MysqlTestDb,
    conn: mysql::Conn,
}

impl Database for Mariadb {
    fn url(&self) -> &str {
        &self.db.url
    }

    fn settle(&mut self) {
        use mysql::prelude::Queryable;
        let started = Instant::now();
        loop {
            let others: i64 = self
                .conn
                .query_first(
                    "SELECT count(*) FROM information_schema.processlist \
                     WHERE db = DATABASE() AND id <> CONNECTION_ID()",
                )
                .unwrap()
                .unwrap();
            if others == 0 {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the killed client's session never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn state(&mut self) -> (BTreeSet<String>, BTreeSet<String>) {
        use mysql::prelude::Queryable;
        // Settled: no other session runs, so two reads see one state.
        let tables: Vec<String> = self
            .conn
            .query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
            )
            .unwrap();
        let ledger = if tables.iter().any(|t| t == "migrate_version") {
            self.conn
                .query("SELECT revision FROM migrate_version")
                .unwrap()
                .into_iter()
                .collect()
        } else {
            BTreeSet::new()
        };
        let markers = tables
            .iter()
            .filter_map(|t| t.strip_prefix("m_"))
            .map(str::to_string)
            .collect();
        (ledger, markers)
    }

    fn reset(&mut self) {
        use mysql::prelude::Queryable;
        let name = &self.db.name;
        self.conn
            .query_drop(format!(
                "DROP DATABASE `{name}`; CREATE DATABASE `{name}`; USE `{name}`"
            ))
            .unwrap();
    }

    fn commits_ddl_implicitly(&self) -> bool {
        true
    }
}

/// xorshift64*: enough randomness for kill moments, with a printable seed.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("MIGRATE_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

fn upgrade(dir: &Path, url: &str, per_migration: bool) -> std::process::Command {
    let mut cmd = migrate_cmd(dir);
    cmd.args([
        "--dir",
        dir.to_str().unwrap(),
        "--url",
        url,
        "-q",
        "upgrade",
        "--lock-timeout",
        "30",
    ]);
    if per_migration {
        cmd.arg("--transaction-per-migration");
    }
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

fn finish(child: Child) {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the upgrade failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn crash_many_times(db: &mut dyn Database, dir: &Path, per_migration: bool) {
    let all: BTreeSet<String> = (1..=REVISIONS).map(id).collect();
    let chain: Vec<String> = (1..=REVISIONS).map(id).collect();
    let mut rng = Rng::from_env();
    let seed = rng.0;
    let mode = if per_migration {
        "--transaction-per-migration"
    } else {
        "one transaction"
    };
    let context = format!("{mode}, MIGRATE_CRASH_SEED={seed}");

    // A full run, timed: kills land uniformly over its length.
    let started = Instant::now();
    finish(upgrade(dir, db.url(), per_migration).spawn().unwrap());
    let full = started.elapsed();
    assert_eq!(db.state(), (all.clone(), all.clone()), "{context}");
    db.reset();

    let (mut kills, mut partial, mut finished_first) = (0, 0, 0);
    while kills < KILLS {
        assert!(
            kills + finished_first < 4 * KILLS,
            "the runs keep finishing before the kill ({context})"
        );
        let before = db.state().0;
        let mut child = upgrade(dir, db.url(), per_migration).spawn().unwrap();
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64));
        std::thread::sleep(delay);
        let landed = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if landed {
            kills += 1;
        } else {
            finished_first += 1;
            assert!(
                status.success(),
                "a run that was not killed failed ({context})"
            );
        }
        db.settle();
        let (ledger, markers) = db.state();
        let at = format!("kill {kills} after {delay:?}; {context}");
        if db.commits_ddl_implicitly() {
            let prefix: BTreeSet<String> = chain[..ledger.len()].iter().cloned().collect();
            assert_eq!(ledger, prefix, "not a prefix of the chain ({at})");
            assert!(
                ledger.is_subset(&markers),
                "the ledger lists a revision whose marker is missing ({at})"
            );
            let unrecorded: Vec<&String> = markers.difference(&ledger).collect();
            assert!(
                unrecorded.is_empty() || unrecorded == [&chain[ledger.len()]],
                "markers beyond the revision in progress: {unrecorded:?} ({at})"
            );
            if !ledger.is_empty() && ledger != all {
                partial += 1;
            }
        } else {
            assert_eq!(
                ledger, markers,
                "the ledger and the revisions whose markers exist differ ({at})"
            );
            if per_migration {
                let prefix: BTreeSet<String> = chain[..ledger.len()].iter().cloned().collect();
                assert_eq!(ledger, prefix, "not a prefix of the chain ({at})");
                assert!(
                    ledger.is_superset(&before),
                    "applied revisions were lost ({at})"
                );
                if !ledger.is_empty() && ledger != all {
                    partial += 1;
                }
            } else {
                assert!(
                    ledger == before || ledger == all,
                    "one transaction must apply all or nothing: {ledger:?} ({at})"
                );
            }
        }
        // A rerun finishes, with each revision applied once.
        finish(upgrade(dir, db.url(), per_migration).spawn().unwrap());
        assert_eq!(db.state(), (all.clone(), all.clone()), "rerun ({at})");
        db.reset();
    }
    eprintln!(
        "crash ({context}): {kills} kills mid-run ({partial} left some revisions applied), \
         {finished_first} runs finished before their kill; a full run takes {full:?}"
    );
    if per_migration || db.commits_ddl_implicitly() {
        assert!(
            partial > 0,
            "no kill landed between two revisions; the chain is too short ({context})"
        );
    }
}

fn sqlite(per_migration: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    write_chain(
        &dir,
        "INSERT INTO {t} (v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) \
         SELECT hex(randomblob(16)) FROM n;",
    );
    let path = tmp.path().join("crash.db");
    let mut db = Sqlite {
        url: format!("sqlite://{}", path.display()),
        path,
    };
    crash_many_times(&mut db, &dir, per_migration);
}

fn postgres(test: &str, per_migration: bool) {
    let Some(db) = common::postgres_db(test) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    write_chain(
        &dir,
        "INSERT INTO {t} (id, v) SELECT i, md5(i::text) FROM generate_series(1, 200) AS i;",
    );
    let client = db.connect();
    let mut db = Postgres { db, client };
    crash_many_times(&mut db, &dir, per_migration);
}

fn mariadb(test: &str) {
    let Some(db) = common::mysql_db(test) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    // Statements that can be rerun after a kill halfway, as the README advises
    // for MySQL: CREATE TABLE and CREATE INDEX ... IF NOT EXISTS, INSERT IGNORE.
    std::fs::create_dir_all(&dir).unwrap();
    for i in 1..=REVISIONS {
        let down = if i == 1 {
            "none".to_string()
        } else {
            id(i - 1)
        };
        let t = format!("m_{}", id(i));
        let text = format!(
            "-- revision: {}\n-- down_revision: {down}\n\n-- migrate:up\n\
             CREATE TABLE IF NOT EXISTS {t} (id INTEGER PRIMARY KEY, v VARCHAR(64));\n\
             INSERT IGNORE INTO {t} (id, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT i, MD5(i) FROM n;\n\
             CREATE INDEX IF NOT EXISTS ix_{t} ON {t} (v);\n\n\
             -- migrate:down\nDROP TABLE {t};\n",
            id(i)
        );
        std::fs::write(dir.join(format!("{}.sql", id(i))), text).unwrap();
    }
    let conn = db.connect();
    let mut db = Mariadb { db, conn };
    crash_many_times(&mut db, &dir, false);
}

#[test]
fn kill_9_during_an_upgrade_on_mariadb() {
    mariadb("crash_my");
}

#[test]
fn kill_9_during_an_upgrade_of_a_sqlite_file_in_one_transaction() {
    sqlite(false);
}

#[test]
fn kill_9_during_an_upgrade_of_a_sqlite_file_per_migration() {
    sqlite(true);
}

#[test]
fn kill_9_during_an_upgrade_on_postgres_in_one_transaction() {
    postgres("crash_one", false);
}

#[test]
fn kill_9_during_an_upgrade_on_postgres_per_migration() {
    postgres("crash_each", true);
}
