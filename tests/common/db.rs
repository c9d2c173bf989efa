//! One database under test (a SQLite file, a fresh PostgreSQL database or a fresh
//! MariaDB/MySQL database), with just enough inspection to check state, and the
//! CLI pointed at it.

use std::path::{Path, PathBuf};

use mysql::prelude::Queryable;

use super::{mysql_db, postgres_db, run_migrate, MysqlTestDb, TestDb};

pub enum Db {
    /// The temp dir keeps the file alive for the test.
    Sqlite(PathBuf, #[allow(dead_code)] tempfile::TempDir),
    Postgres(TestDb),
    Mysql(MysqlTestDb),
}

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        Db::Sqlite(dir.path().join("test.db"), dir)
    }

    /// Every backend; a server that does not answer is skipped (with a notice),
    /// unless `MIGRATE_REQUIRE_POSTGRES=1` / `MIGRATE_REQUIRE_MYSQL=1`.
    pub fn all(test: &str) -> Vec<Db> {
        let mut dbs = vec![Db::sqlite()];
        dbs.extend(postgres_db(test).map(Db::Postgres));
        dbs.extend(mysql_db(test).map(Db::Mysql));
        dbs
    }

    /// A fresh MariaDB/MySQL database, when a server answers.
    pub fn mysql(test: &str) -> Option<Db> {
        mysql_db(test).map(Db::Mysql)
    }

    /// Another empty database of the same kind.
    pub fn fresh_like(&self, test: &str) -> Db {
        match self {
            Db::Sqlite(..) => Db::sqlite(),
            Db::Postgres(_) => Db::Postgres(postgres_db(test).unwrap()),
            Db::Mysql(_) => Db::Mysql(mysql_db(test).unwrap()),
        }
    }

    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(path, _) => format!("sqlite://{}", path.display()),
            Db::Postgres(db) => db.url.clone(),
            Db::Mysql(db) => db.url.clone(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
            Db::Mysql(_) => "mysql",
        }
    }

    /// MariaDB/MySQL: DDL commits implicitly there.
    pub fn is_mysql(&self) -> bool {
        matches!(self, Db::Mysql(_))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    pub fn query_strings(&self, sql: &str) -> Vec<String> {
        match self {
            Db::Sqlite(path, _) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
                rows.map(Result::unwrap).collect()
            }
            Db::Postgres(db) => db
                .connect()
                .query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect(),
            Db::Mysql(db) => db.connect().query(sql).unwrap(),
        }
    }

    /// User tables, sorted (the ledger excluded).
    pub fn tables(&self) -> Vec<String> {
        let sql = match self {
            Db::Sqlite(..) => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrate_version' ORDER BY name",
            Db::Postgres(_) => "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrate_version' ORDER BY 1",
            Db::Mysql(_) => "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name NOT IN ('migrate_version', 'migrate_version_lock') ORDER BY 1",
        };
        self.query_strings(sql)
    }

    /// Names of the indexes created with CREATE INDEX, sorted (those behind
    /// constraints, and the ledger's, excluded).
    pub fn indexes(&self) -> Vec<String> {
        let sql = match self {
            Db::Sqlite(..) => "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
            Db::Postgres(_) => "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'public' \
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY 1",
            Db::Mysql(_) => "SELECT DISTINCT s.index_name FROM information_schema.statistics s WHERE s.table_schema = DATABASE() \
                AND s.table_name <> 'migrate_version' AND s.index_name <> 'PRIMARY' AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c \
                WHERE c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.constraint_name = s.index_name) ORDER BY 1",
        };
        self.query_strings(sql)
    }

    /// True when the ledger table exists.
    pub fn has_ledger(&self) -> bool {
        let exists = match self {
            Db::Sqlite(..) => "SELECT name FROM sqlite_master WHERE name = 'migrate_version'",
            Db::Postgres(_) => "SELECT 'yes' WHERE to_regclass('migrate_version') IS NOT NULL",
            Db::Mysql(_) => "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'migrate_version'",
        };
        !self.query_strings(exists).is_empty()
    }

    /// Ledger revisions in application order (none when the table does not exist).
    pub fn ledger(&self) -> Vec<String> {
        if !self.has_ledger() {
            return Vec::new();
        }
        self.query_strings("SELECT revision FROM migrate_version ORDER BY id")
    }

    /// `migrate --dir DIR --url URL ARGS...`: (exit code, stdout, stderr).
    pub fn migrate(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        let url = self.url();
        let mut all = vec!["--dir", dir.to_str().unwrap(), "--url", url.as_str()];
        all.extend_from_slice(args);
        run_migrate(dir, &all)
    }

    /// Runs an offline script the way its README says: `sqlite3 FILE < script`,
    /// `psql -v ON_ERROR_STOP=1 -f script`, `mysql DATABASE < script`. Returns
    /// (success, stderr).
    pub fn apply_script(&self, script: &str) -> (bool, String) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), script).unwrap();
        let output = match self {
            Db::Sqlite(path, _) => std::process::Command::new("sqlite3")
                .args(["-bail"])
                .arg(path)
                .stdin(std::fs::File::open(file.path()).unwrap())
                .output(),
            Db::Postgres(db) => std::process::Command::new("psql")
                .args(["-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", &db.url, "-f"])
                .arg(file.path())
                .output(),
            Db::Mysql(db) => mysql_client(&db.url)
                .stdin(std::fs::File::open(file.path()).unwrap())
                .output(),
        }
        .expect("sqlite3 / psql / mysql on PATH");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

/// The `mysql` command-line client pointed at a test URL's database (the
/// password, if any, through `MYSQL_PWD`, so it is not on the command line).
pub fn mysql_client(url: &str) -> std::process::Command {
    let opts = super::mysql_opts(url);
    let mut cmd = std::process::Command::new("mysql");
    cmd.arg("--protocol=TCP")
        .arg(format!("--host={}", opts.get_ip_or_hostname()))
        .arg(format!("--port={}", opts.get_tcp_port()));
    if let Some(user) = opts.get_user() {
        cmd.arg(format!("--user={user}"));
    }
    if let Some(pass) = opts.get_pass() {
        cmd.env("MYSQL_PWD", pass);
    }
    if let Some(db) = opts.get_db_name() {
        cmd.arg(db);
    }
    cmd
}
