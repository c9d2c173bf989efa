//! One database under test (a SQLite file or a fresh PostgreSQL database), with
//! just enough inspection to check state, and the CLI pointed at it.

use std::path::{Path, PathBuf};

use super::{postgres_db, run_migrate, TestDb};

pub enum Db {
    /// The temp dir keeps the file alive for the test.
    Sqlite(PathBuf, #[allow(dead_code)] tempfile::TempDir),
    Postgres(TestDb),
}

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        Db::Sqlite(dir.path().join("test.db"), dir)
    }

    /// Both backends; PostgreSQL is skipped (with a notice) when no server answers,
    /// unless `MIGRATE_REQUIRE_POSTGRES=1`.
    pub fn all(test: &str) -> Vec<Db> {
        let mut dbs = vec![Db::sqlite()];
        dbs.extend(postgres_db(test).map(Db::Postgres));
        dbs
    }

    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(path, _) => format!("sqlite://{}", path.display()),
            Db::Postgres(db) => db.url.clone(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
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
        }
    }

    /// User tables, sorted (the ledger excluded).
    pub fn tables(&self) -> Vec<String> {
        let sql = match self {
            Db::Sqlite(..) => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrate_version' ORDER BY name",
            Db::Postgres(_) => "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrate_version' ORDER BY 1",
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
        };
        self.query_strings(sql)
    }

    /// True when the ledger table exists.
    pub fn has_ledger(&self) -> bool {
        let exists = match self {
            Db::Sqlite(..) => "SELECT name FROM sqlite_master WHERE name = 'migrate_version'",
            Db::Postgres(_) => "SELECT 'yes' WHERE to_regclass('migrate_version') IS NOT NULL",
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
    /// `psql -v ON_ERROR_STOP=1 -f script`. Returns (success, stderr).
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
        }
        .expect("sqlite3 / psql on PATH");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}
