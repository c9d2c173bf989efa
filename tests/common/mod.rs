//! Helpers shared by the integration tests: real databases, isolated per test.
#![allow(dead_code)]

pub mod db;

use std::sync::atomic::{AtomicU32, Ordering};

/// The server tests use: `MIGRATE_TEST_POSTGRES_URL`, or the local trust-auth default.
pub fn postgres_admin_url() -> String {
    std::env::var("MIGRATE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A fresh PostgreSQL database for one test, dropped when this value is dropped.
pub struct TestDb {
    admin_url: String,
    pub name: String,
    /// URL of the fresh database.
    pub url: String,
}

impl TestDb {
    /// Connects to the fresh database.
    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Creates a uniquely named database, or returns `None` (after printing a notice)
/// when no server answers. With `MIGRATE_REQUIRE_POSTGRES=1` a missing server fails
/// the test instead of skipping it.
pub fn postgres_db(test: &str) -> Option<TestDb> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin_url = postgres_admin_url();
    let mut admin = match postgres::Client::connect(&admin_url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("MIGRATE_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("MIGRATE_REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: {e}");
            }
            eprintln!("notice: skipping PostgreSQL part of `{test}`: no server ({e})");
            return None;
        }
    };
    let name = format!(
        "migrate_t_{}_{}_{}",
        test.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(30)
            .collect::<String>(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
    .to_lowercase();
    // Separate calls: several statements in one would share an implicit transaction,
    // which DROP/CREATE DATABASE refuse.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .expect("drop stale test database");
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .expect("create test database");
    let url = match admin_url.rfind('/') {
        Some(slash) if admin_url[..slash].contains("://") && !admin_url[slash..].contains('@') => {
            let (base, rest) = admin_url.split_at(slash);
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{base}/{name}{query}")
        }
        _ => panic!("MIGRATE_TEST_POSTGRES_URL must look like postgres://user@host:port/db"),
    };
    Some(TestDb {
        admin_url,
        name,
        url,
    })
}

/// The MariaDB/MySQL server tests use: `MIGRATE_TEST_MYSQL_URL`, or the local
/// root-without-password default.
pub fn mysql_admin_url() -> String {
    std::env::var("MIGRATE_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_string())
}

/// The driver's options for a test URL (`mariadb://` spelled as the driver wants).
pub fn mysql_opts(url: &str) -> mysql::Opts {
    let url = url.replacen("mariadb://", "mysql://", 1);
    mysql::Opts::from_url(&url).expect("a mysql:// test URL")
}

/// A fresh MariaDB/MySQL database for one test, dropped when this value is dropped.
pub struct MysqlTestDb {
    admin_url: String,
    pub name: String,
    /// URL of the fresh database.
    pub url: String,
}

impl MysqlTestDb {
    /// Connects to the fresh database.
    pub fn connect(&self) -> mysql::Conn {
        mysql::Conn::new(mysql_opts(&self.url)).expect("connect to test database")
    }
}

impl Drop for MysqlTestDb {
    fn drop(&mut self) {
        use mysql::prelude::Queryable;
        if let Ok(mut admin) = mysql::Conn::new(mysql_opts(&self.admin_url)) {
            let _ = admin.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
        }
    }
}

/// Creates a uniquely named MariaDB/MySQL database, or returns `None` (after
/// printing a notice) when no server answers. With `MIGRATE_REQUIRE_MYSQL=1` a
/// missing server fails the test instead of skipping it.
pub fn mysql_db(test: &str) -> Option<MysqlTestDb> {
    use mysql::prelude::Queryable;
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin_url = mysql_admin_url();
    let mut admin = match mysql::Conn::new(mysql_opts(&admin_url)) {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("MIGRATE_REQUIRE_MYSQL").as_deref() == Ok("1") {
                panic!("MIGRATE_REQUIRE_MYSQL=1 but MariaDB/MySQL is unreachable: {e}");
            }
            eprintln!("notice: skipping MySQL part of `{test}`: no server ({e})");
            return None;
        }
    };
    // Database names are limited to 64 characters.
    let name = format!(
        "migrate_t_{}_{}_{}",
        test.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(30)
            .collect::<String>(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
    .to_lowercase();
    admin
        .query_drop(format!("DROP DATABASE IF EXISTS `{name}`"))
        .expect("drop stale test database");
    admin
        .query_drop(format!("CREATE DATABASE `{name}`"))
        .expect("create test database");
    let (before_query, query) = match admin_url.find('?') {
        Some(q) => admin_url.split_at(q),
        None => (admin_url.as_str(), ""),
    };
    let host_start = before_query.find("://").expect("a URL") + 3;
    let path = before_query[host_start..]
        .find('/')
        .map_or(before_query.len(), |i| host_start + i);
    let url = format!("{}/{name}{query}", &before_query[..path]);
    Some(MysqlTestDb {
        admin_url,
        name,
        url,
    })
}

/// Writes revision files: `(id, down_revision, up_sql, down_sql)`.
pub fn write_revisions(dir: &std::path::Path, revisions: &[(&str, &str, &str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (id, down, up, down_sql) in revisions {
        let text = format!(
            "-- revision: {id}\n-- down_revision: {down}\n-- message: step {id}\n\n-- migrate:up\n{up}\n\n-- migrate:down\n{down_sql}\n"
        );
        std::fs::write(dir.join(format!("{id}.sql")), text).unwrap();
    }
}

/// The generic `migrate` binary with a clean environment: no URL variables leak in
/// from the developer's shell, and the working directory is `cwd`.
pub fn migrate_cmd(cwd: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_migrate"));
    cmd.current_dir(cwd);
    for var in USER_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}

/// Variables of the developer's shell that would point a command at their own
/// databases or change what it writes; tests remove them.
pub const USER_VARIABLES: [&str; 12] = [
    "DATABASE_URL",
    "DATABASE_URL_LOCAL",
    "DATABASE_URL_DEV",
    "DATABASE_URL_STAGING",
    "DATABASE_URL_PROD",
    "ENVIRONMENT",
    "MIGRATE_DIR",
    "MIGRATE_DIALECTS",
    "MIGRATE_TABLE_LOCK_TIMEOUT",
    "MIGRATE_STATEMENT_TIMEOUT",
    "MIGRATE_LOCK_RETRIES",
    "MIGRATE_LOCK_RETRY_DELAY",
];

/// The README's fenced block of kind `lang` (`rust`, `toml`, ...) that contains
/// `marker`, so tests build what the README shows.
pub fn readme_snippet(lang: &str, marker: &str) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    readme
        .split("```")
        .skip(1)
        .step_by(2)
        .filter_map(|block| block.split_once('\n'))
        .find(|(info, body)| info.starts_with(lang) && body.contains(marker))
        .map(|(_, body)| body.to_string())
        .unwrap_or_else(|| panic!("no README {lang} snippet contains {marker}"))
}

/// `cargo` for a user's crate at `root`, outside this workspace: offline against
/// the workspace's lock file (the crate's copy), into `target_dir` (reused between
/// runs, so only the first build is slow), with no user variable leaking in.
/// The target directory the user-crate tests share, under cargo's scratch
/// directory for integration tests (wherever `CARGO_TARGET_DIR` puts it): one cold
/// build of `migrate` serves them all, and cargo's lock serialises them.
pub fn user_target_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("user-crates")
}

pub fn user_cargo(root: &std::path::Path, target_dir: &std::path::Path) -> std::process::Command {
    let mut cmd =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("RUSTFLAGS");
    for var in USER_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs the binary and returns (exit code, stdout, stderr).
pub fn run_migrate(cwd: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = migrate_cmd(cwd).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The `.sql` files of `dir` as `embed_migrations!(given)` compiles them in:
/// paths shown as `given/<file>`, `source_dir` the absolute directory.
pub fn embedded(dir: &std::path::Path, given: &str) -> migrate::EmbeddedMigrations {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut files: Vec<migrate::EmbeddedFile> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|path| migrate::EmbeddedFile {
            path: leak(
                std::path::Path::new(given)
                    .join(path.file_name().unwrap())
                    .display()
                    .to_string(),
            ),
            contents: leak(std::fs::read_to_string(&path).unwrap()),
        })
        .collect();
    files.sort_by_key(|f| f.path);
    migrate::EmbeddedMigrations {
        source_dir: leak(dir.display().to_string()),
        files: Box::leak(files.into_boxed_slice()),
    }
}
